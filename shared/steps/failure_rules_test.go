package steps_test

// What the agency is told when a co-op's workflow fails.

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// Rule: a failure is shown as "error: cause", with a Lambda error's
// message taken out of its JSON; a failure without a name is an unknown
// error, and one without a cause is just its name.
func TestFailureDescription(t *testing.T) {
	for _, tc := range []struct {
		name    string
		failure steps.Failure
		want    string
	}{
		{"a plain cause", steps.Failure{Error: "States.Timeout", Cause: "The task timed out."}, "States.Timeout: The task timed out."},
		{"a Lambda error", steps.Failure{Error: "Pathway.Conflict", Cause: `{"errorMessage":"Changed meanwhile.","errorType":"Pathway.Conflict"}`},
			"Pathway.Conflict: Changed meanwhile."},
		{"JSON without a message", steps.Failure{Error: "States.Runtime", Cause: `{"other":"x"}`}, `States.Runtime: {"other":"x"}`},
		{"no name", steps.Failure{Cause: " It broke. "}, "Unknown error: It broke."},
		{"no cause", steps.Failure{Error: " States.TaskFailed "}, "States.TaskFailed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			out, err := f.steps.RecordFailure(f.ctx, steps.FailureInput{Invocation: f.enter("RecordFailure"), CoopID: f.coop, Failure: tc.failure})
			must(t, err)
			if !out.Recorded || out.Failure != tc.want || f.coopNow().Failure != tc.want {
				t.Fatalf("RecordFailure = %+v, stored %q; want %q recorded", out, f.coopNow().Failure, tc.want)
			}
		})
	}
}

// Rule: a failure is recorded once however often the workflow reports it,
// and a failure of no co-op, or of one that does not exist, records
// nothing.
func TestFailureRecordedOnce(t *testing.T) {
	f := newFixture(t)
	failure := steps.Failure{Error: "States.Timeout", Cause: "The task timed out."}
	for range 2 {
		_, err := f.steps.RecordFailure(f.ctx, steps.FailureInput{Invocation: f.enter("RecordFailure"), CoopID: f.coop, Failure: failure})
		must(t, err)
	}
	n := 0
	for _, e := range f.events() {
		if e.Action == pathway.ActionWorkflowFailed {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d failure events, want 1", n)
	}
	for _, id := range []string{"", "coop-missing"} {
		out, err := f.steps.RecordFailure(f.ctx, steps.FailureInput{Invocation: f.enter("RecordFailure"), CoopID: id, Failure: failure})
		if err != nil || out.Recorded {
			t.Fatalf("RecordFailure of co-op %q = %+v, %v; want nothing recorded", id, out, err)
		}
	}
}
