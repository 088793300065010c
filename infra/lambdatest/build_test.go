package lambdatest_test

import (
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/lambdatest"
	"github.com/coopcarepathway/pathway/infra/repotest"
	"github.com/coopcarepathway/pathway/infra/templatecheck"
)

// MaxBootstrap is the most a function's bootstrap may weigh, as the
// Makefile builds it for SAM (linux/arm64, stripped). The README records
// the sizes.
const MaxBootstrap = 16 << 20

// credentialChain are the modules of the SDK's default credential chain
// (config.LoadDefaultConfig): in Lambda the credentials are in the
// environment (lambdaenv.Config), so no function links them.
var credentialChain = []string{
	"github.com/aws/aws-sdk-go-v2/config",
	"github.com/aws/aws-sdk-go-v2/service/sso",
	"github.com/aws/aws-sdk-go-v2/service/ssooidc",
	"github.com/aws/aws-sdk-go-v2/service/sts",
	"github.com/aws/aws-sdk-go-v2/service/signin",
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds",
}

// TestEveryFunctionBuildsForArm64 runs each function's SAM build target
// (make build-<LogicalId>, as `sam build` does) and checks the bootstrap it
// makes: a static ARM64 ELF executable (no interpreter, so provided.al2023
// needs no libc), built with Tags, at most MaxBootstrap, without the
// default credential chain.
func TestEveryFunctionBuildsForArm64(t *testing.T) {
	root := repotest.Root(t)
	tpl, err := templatecheck.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ids := tpl.OfType(templatecheck.TypeFunction)
	if len(ids) == 0 {
		t.Fatal("template.yaml has no functions")
	}
	for _, id := range ids {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cmd := exec.Command("make", "--no-print-directory", "-C", root, "build-"+id, "ARTIFACTS_DIR="+dir)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("make build-%s: %v\n%s", id, err, out)
			}
			if !strings.Contains(string(out), "-tags "+lambdatest.Tags+" ") {
				t.Errorf("make build-%s does not build with -tags %s, as the tests do:\n%s", id, lambdatest.Tags, out)
			}
			path := filepath.Join(dir, "bootstrap")
			checkELF(t, path)
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: bootstrap %d bytes (%s)", id, fi.Size(), mib(fi.Size()))
			if fi.Size() > MaxBootstrap {
				t.Errorf("%s's bootstrap is %s, more than %s", id, mib(fi.Size()), mib(MaxBootstrap))
			}
			info, err := buildinfo.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range info.Deps {
				for _, m := range credentialChain {
					if d.Path == m {
						t.Errorf("%s links %s: build its aws.Config with lambdaenv.Config, not config.LoadDefaultConfig", id, m)
					}
				}
			}
		})
	}
}

// checkELF fails unless path is a static AArch64 executable.
func checkELF(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
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
}

// mib formats a size in MiB.
func mib(n int64) string { return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20)) }

// TestNoValidateFn: the deployed build leaves validator's validateFn out
// (Tags), where using it panics, so no struct tag may use it.
func TestNoValidateFn(t *testing.T) {
	root := repotest.Root(t)
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "validateFn") {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s uses validator's validateFn, which the Lambda build (-tags %s) leaves out", rel, lambdatest.Tags)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
