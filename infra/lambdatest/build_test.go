package lambdatest_test

import (
	"debug/elf"
	"os"
	"path/filepath"
	"testing"

	"github.com/coopcarepathway/pathway/infra/lambdatest"
	"github.com/coopcarepathway/pathway/infra/repotest"
)

// TestEveryFunctionBuildsForArm64 builds every functions/<name> as the
// linux/arm64 bootstrap Lambda runs, and checks it is one: a static ARM64
// ELF executable (no interpreter, so provided.al2023 needs no libc).
func TestEveryFunctionBuildsForArm64(t *testing.T) {
	root := repotest.Root(t)
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, "functions", e.Name(), "main.go")); err != nil {
			t.Errorf("functions/%s has no main.go", e.Name())
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			f, err := elf.Open(lambdatest.BuildFor(t, e.Name(), "arm64"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Machine != elf.EM_AARCH64 || f.Type != elf.ET_EXEC {
				t.Errorf("machine %v type %v, want an AArch64 executable", f.Machine, f.Type)
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					t.Error("dynamically linked: CGO must be off")
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no functions found")
	}
}
