package templatecheck_test

import (
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/templatecheck"
)

// A fixture workflow whose function runs two steps, each named by a Task
// state: one invoking the function directly, one through
// lambda:invoke.waitForTaskToken.
const (
	stepsDefinition = `{"StartAt":"A","States":{
"A":{"Type":"Task","Resource":"${StepArn}","Parameters":{"step":"first","n.$":"$.n","lit":"${Literal}","esc":"${!Kept}"},"Next":"B"},
"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Parameters":{"FunctionName":"${StepArn}","Payload":{"step":"second","taskToken.$":"$$.Task.Token"}},"End":true}}}`
)

func stepRegistries() templatecheck.Registries {
	return templatecheck.Registries{"StepFunction": {"first", "second"}}
}

func TestCheckStepsFindsProblems(t *testing.T) {
	if problems := templatecheck.CheckSteps(writeRepo(t, baseTemplate, stepsDefinition, baseMakefile), stepRegistries()); len(problems) != 0 {
		t.Fatalf("the fixture should pass, got %q", problems)
	}
	tests := []struct {
		name           string
		defFrom, defTo string
		regs           templatecheck.Registries
		want           string
	}{
		{name: "unknown step", defFrom: `"step":"first"`, defTo: `"step":"frist"`, want: `state A names the step "frist", which StepFunction does not run (its steps: first, second)`},
		{name: "no step", defFrom: `"step":"first",`, defTo: ``, want: `state A: its payload names no step`},
		{name: "step from a path", defFrom: `"step":"first"`, defTo: `"step.$":"$.step"`, want: `state A: its payload takes "step" from a path`},
		{name: "payload not an object", defFrom: `"Payload":{"step":"second","taskToken.$":"$$.Task.Token"}`, defTo: `"Payload.$":"$"`, want: `state B: its payload is not an object`},
		{name: "step named by no state", regs: templatecheck.Registries{"StepFunction": {"first", "second", "third"}}, want: `StepFunction runs the step "third", which no Task state names`},
		{name: "function without a registry", regs: templatecheck.Registries{}, want: `state A invokes StepFunction, which has no step registry`},
		{name: "registry of no function", regs: templatecheck.Registries{"StepFunction": {"first", "second"}, "GoneFunction": {"x"}}, want: `the step registry has GoneFunction, which is not a function of the template`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			def := stepsDefinition
			if tc.defFrom != "" {
				if !strings.Contains(def, tc.defFrom) {
					t.Fatalf("fixture lacks %q", tc.defFrom)
				}
				def = strings.Replace(def, tc.defFrom, tc.defTo, 1)
			}
			regs := tc.regs
			if regs == nil {
				regs = stepRegistries()
			}
			problems := templatecheck.CheckSteps(writeRepo(t, baseTemplate, def, baseMakefile), regs)
			for _, p := range problems {
				if strings.Contains(p, tc.want) {
					return
				}
			}
			t.Errorf("no problem mentions %q; got %q", tc.want, problems)
		})
	}
}

// TestCheckFindsMakefileTargetWithoutFunction: a build-<LogicalId> target
// for a function the template does not have is reported.
func TestCheckFindsMakefileTargetWithoutFunction(t *testing.T) {
	mk := baseMakefile + "build-GoneFunction:\n\t$(GO_LAMBDA) -o \"$(ARTIFACTS_DIR)/bootstrap\" ./functions/step\n"
	want := "Makefile: build-GoneFunction builds GoneFunction, which is not a function of the template"
	problems := templatecheck.Check(writeRepo(t, baseTemplate, baseDefinition, mk))
	for _, p := range problems {
		if p == want {
			return
		}
	}
	t.Errorf("problems %q lack %q", problems, want)
}
