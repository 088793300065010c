package repotest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/repotest"
)

// The root is the folder of this module's go.mod, two levels above this
// package: not merely some go.mod further up.
func TestRootHoldsThisModule(t *testing.T) {
	root := repotest.Root(t)
	if mod, _ := os.ReadFile(filepath.Join(root, "go.mod")); !strings.HasPrefix(string(mod), "module github.com/coopcarepathway/pathway\n") {
		t.Errorf("%s/go.mod is not this module's", root)
	}
	if here, _ := os.Getwd(); filepath.Join(root, "infra", "repotest") != here {
		t.Errorf("root %s is not two levels above %s", root, here)
	}
}
