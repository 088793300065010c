package templatecheck_test

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/repotest"
	"github.com/coopcarepathway/pathway/infra/templatecheck"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// TestStepRegistryMatchesFunctions checks that steps.Handlers, which the
// local engine runs, and the step functions template.yaml deploys are the
// same set: every function but the API is in the registry under its
// logical ID, every registry entry is a function of the template, and each
// function's main.go starts the very method the registry names.
func TestStepRegistryMatchesFunctions(t *testing.T) {
	root := repotest.Root(t)
	tpl, err := templatecheck.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	pkgs := tpl.FunctionPackages(root)
	handlers := steps.Handlers(steps.New(nil, nil))
	for id, pkg := range pkgs {
		if pkg == "functions/api" {
			continue
		}
		fn, ok := handlers[id]
		if !ok {
			t.Errorf("%s (%s) has no entry in steps.Handlers", id, pkg)
			continue
		}
		main, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(pkg), "main.go"))
		if err != nil {
			t.Error(err)
			continue
		}
		if call := "(*steps.Steps)." + methodName(fn) + ")"; !strings.Contains(string(main), call) {
			t.Errorf("%s/main.go does not start %s, the method steps.Handlers gives %s", pkg, call, id)
		}
	}
	for id := range handlers {
		if _, ok := pkgs[id]; !ok {
			t.Errorf("steps.Handlers has %s, which template.yaml does not build", id)
		}
	}
	if len(handlers) == 0 {
		t.Error("steps.Handlers is empty")
	}
}

// methodName returns the name of the method a method value calls, e.g.
// "BuildChecklist" for s.BuildChecklist.
func methodName(fn any) string {
	name := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()).Name() // …steps.(*Steps).BuildChecklist-fm
	name = strings.TrimSuffix(name, "-fm")
	return name[strings.LastIndexByte(name, '.')+1:]
}
