package main

import (
	"io"

	"github.com/coopcarepathway/pathway/infra/local/states"
)

// statesTest runs `states test`: one definition with mocked tasks on a
// fake clock (see states.TestCommand).
func statesTest(args []string, stdout, stderr io.Writer) int {
	return states.TestCommand(args, stdout, stderr)
}
