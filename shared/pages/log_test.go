package pages_test

import (
	"io"
	"log/slog"
)

// quietLogger drops request logs, which would drown the test output.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
