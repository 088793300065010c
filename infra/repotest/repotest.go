// Package repotest finds the repository's root for tests that read its
// files (template.yaml, functions/, workflows/), wherever the test runs.
package repotest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Root returns the directory holding go.mod, found upwards from the working
// directory (a test runs in its package's directory); without one the test
// fails.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// Dir is Root for callers without a testing.TB: it returns the error
// instead of failing a test.
func Dir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("repotest: no go.mod above the working directory")
		}
		dir = parent
	}
}
