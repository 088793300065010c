package templatecheck_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/repotest"
	"github.com/coopcarepathway/pathway/infra/templatecheck"
	"github.com/coopcarepathway/pathway/shared/grants/grantsteps"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/tenders/tendersteps"
)

// registries returns shared/steps' registries as templatecheck reads them.
func registries() templatecheck.Registries {
	regs := templatecheck.Registries{}
	for id, r := range steps.Functions {
		regs[id] = r.Names()
	}
	regs[grantsteps.FunctionID] = grantsteps.Grant.Names()
	regs[tendersteps.FunctionID] = tendersteps.Tender.Names()
	return regs
}

// TestStepRegistryMatchesWorkflows checks the step registries (which the
// local engine runs, and each workflow's function deploys) against
// template.yaml and workflows/: every Task state names a step its
// function runs, every step is named by a Task state, every registry is a
// function of the template, and each workflow function's main.go starts
// its own registry.
func TestStepRegistryMatchesWorkflows(t *testing.T) {
	root := repotest.Root(t)
	if templatecheck.StepField != steps.StepField {
		t.Errorf("templatecheck.StepField %q, steps.StepField %q", templatecheck.StepField, steps.StepField)
	}
	for _, p := range templatecheck.CheckSteps(root, registries()) {
		t.Error(p)
	}
	tpl, err := templatecheck.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	pkgs := tpl.FunctionPackages(root)
	for id := range steps.Functions {
		pkg, ok := pkgs[id]
		if !ok {
			t.Errorf("steps.Functions has %s, which template.yaml does not build", id)
			continue
		}
		main, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(pkg), "main.go"))
		if err != nil {
			t.Error(err)
			continue
		}
		// The registry of XFunction is steps.X.
		if call := "steps." + strings.TrimSuffix(id, "Function") + ")"; !strings.Contains(string(main), "workflowfn.Start(") || !strings.Contains(string(main), call) {
			t.Errorf("%s/main.go does not start %s, the registry of %s", pkg, call, id)
		}
	}
	// The grant workflow's registry lives with the grants
	// (shared/grants/grantsteps) and its main.go starts it the same way.
	if pkg, ok := pkgs[grantsteps.FunctionID]; !ok {
		t.Errorf("template.yaml does not build %s", grantsteps.FunctionID)
	} else if main, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(pkg), "main.go")); err != nil {
		t.Error(err)
	} else if !strings.Contains(string(main), "workflowfn.StartGrant(") || !strings.Contains(string(main), "grantsteps.Grant)") {
		t.Errorf("%s/main.go does not start grantsteps.Grant", pkg)
	}
	// So does the tender workflow's (shared/tenders/tendersteps).
	if pkg, ok := pkgs[tendersteps.FunctionID]; !ok {
		t.Errorf("template.yaml does not build %s", tendersteps.FunctionID)
	} else if main, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(pkg), "main.go")); err != nil {
		t.Error(err)
	} else if !strings.Contains(string(main), "workflowfn.StartTender(") || !strings.Contains(string(main), "tendersteps.Tender,") {
		t.Errorf("%s/main.go does not start tendersteps.Tender", pkg)
	}
	if len(steps.Functions) == 0 {
		t.Error("steps.Functions is empty")
	}
}
