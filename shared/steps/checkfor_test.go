package steps_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// CheckFor names every missing field at once, the step's own ID among them.
func TestCheckForNamesTheFields(t *testing.T) {
	_, err := steps.Invocation{State: "Close"}.CheckFor("tender", "", "Enter the tender's ID")
	fields := pathway.ErrorFields(err)
	for _, f := range []string{"executionId", "enteredTime", "tender"} {
		if fields[f] == "" {
			t.Errorf("CheckFor: fields %v lack %q", fields, f)
		}
	}
	at, err := steps.Invocation{ExecutionID: "arn:x", State: "Close", EnteredTime: "2026-11-23T12:00:00Z"}.CheckFor("tender", "tender-1", "Enter the tender's ID")
	if err != nil || at.IsZero() {
		t.Errorf("CheckFor = %v, %v; want the entry time", at, err)
	}
}

func TestFailureWhy(t *testing.T) {
	for _, tc := range []struct {
		f    steps.Failure
		want string
	}{
		{steps.Failure{Error: "States.Timeout"}, "States.Timeout"},
		{steps.Failure{Error: "Pathway.Invalid", Cause: "no tender"}, "Pathway.Invalid: no tender"},
	} {
		if got := tc.f.Why(); got != tc.want {
			t.Errorf("%+v.Why() = %q, want %q", tc.f, got, tc.want)
		}
	}
}
