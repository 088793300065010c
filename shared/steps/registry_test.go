package steps_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/coopcarepathway/pathway/shared/steps"
)

// dispatch runs the registry's handler over the fixture's steps with the
// payload and returns the output as JSON, or the function error.
func dispatch(f *fixture, r steps.Registry, payload string) (string, *messages.InvokeResponse_Error) {
	f.t.Helper()
	out, err := r.Handler(f.steps)(f.ctx, json.RawMessage(payload))
	if err != nil {
		var fe messages.InvokeResponse_Error
		if !errors.As(err, &fe) {
			f.t.Fatalf("%s: error %T %v is not a function error with an ASL name", payload, err, err)
		}
		return "", &fe
	}
	b, jerr := json.Marshal(out)
	if jerr != nil {
		f.t.Fatal(jerr)
	}
	return string(b), nil
}

// TestRegistryDispatchesByStepName runs a step through its workflow's
// handler: the payload's "step" picks it, the same object is its typed
// input, and its typed output comes back.
func TestRegistryDispatchesByStepName(t *testing.T) {
	f := newFixture(t)
	payload := `{"step":"screen-eligibility","coopId":"` + f.coop + `","executionId":"` + f.exec +
		`","state":"ScreenEligibility","enteredTime":"` + start.Format(time.RFC3339Nano) + `"}`
	out, fe := dispatch(f, steps.Application, payload)
	if fe != nil {
		t.Fatalf("screen-eligibility: %v", fe)
	}
	var screen steps.ScreenOutput
	if err := json.Unmarshal([]byte(out), &screen); err != nil || !screen.Eligible {
		t.Errorf("screen-eligibility returned %s (%v), want an eligible screening", out, err)
	}
}

// TestRegistryErrors: a payload naming no step of the function, or a step
// this function does not run, is Pathway.UnknownStep, listing the steps it
// runs; a payload that is not an object, or whose fields do not fit the
// step's input, is Pathway.Invalid; a step's own error keeps its name.
func TestRegistryErrors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, payload string
		r             steps.Registry
		typ, msg      string
	}{
		{"no step", `{"coopId":"coop-holme"}`, steps.Application, steps.ErrUnknownStep, `no "step" field`},
		{"unknown step", `{"step":"screen-eligibilty"}`, steps.Application, steps.ErrUnknownStep, `"screen-eligibilty"`},
		{"another workflow's step", `{"step":"build-checklist"}`, steps.Application, steps.ErrUnknownStep, "record-panel-outcome"},
		{"step is not a string", `{"step":7}`, steps.Registration, steps.ErrInvalid, "not a JSON object"},
		{"not an object", `[1,2]`, steps.Registration, steps.ErrInvalid, "not a JSON object"},
		{"input of the wrong type", `{"step":"open-panel-task","round":"first"}`, steps.Application, steps.ErrInvalid, "input could not be read"},
		{"the step's own check", `{"step":"validate-application"}`, steps.Application, steps.ErrInvalid, "executionId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, fe := dispatch(f, tc.r, tc.payload)
			if fe == nil || fe.Type != tc.typ || !strings.Contains(fe.Message, tc.msg) {
				t.Errorf("%s: %v, want %s mentioning %q", tc.payload, fe, tc.typ, tc.msg)
			}
		})
	}
}

// TestRegistryNames: step names are lower-case words joined by hyphens,
// and every workflow function's registry is non-empty.
func TestRegistryNames(t *testing.T) {
	name := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	for id, r := range steps.Functions {
		if len(r) == 0 {
			t.Errorf("%s runs no step", id)
		}
		for _, n := range r.Names() {
			if !name.MatchString(n) {
				t.Errorf("%s: step name %q is not lower-case words joined by hyphens", id, n)
			}
		}
	}
	if hs := steps.Handlers(nil); len(hs) != len(steps.Functions) {
		t.Errorf("Handlers has %d functions, Functions %d", len(hs), len(steps.Functions))
	}
}
