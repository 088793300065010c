package steps_test

import (
	"context"
	"errors"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// TestRegistrationTellsGrants checks the registration step's telling of
// a CQC registration (OnRegistered, which releases grant tranches): told
// once the co-op is registered, for a registration only; a failure to tell
// fails the step, and its retry (the co-op registered already) tells again.
func TestRegistrationTellsGrants(t *testing.T) {
	for _, tt := range []struct {
		outcome, provider string
		want              int
	}{
		{pathway.CQCRegistered, "1-234567890", 1},
		{pathway.CQCProposalToRefuse, "", 0},
		{pathway.CQCRefused, "", 0},
	} {
		t.Run(tt.outcome, func(t *testing.T) {
			f := newFixture(t)
			var told []string
			err0 := errors.New("the table is busy")
			f.steps.OnRegistered(func(_ context.Context, coop string) error {
				if c := f.coopNow(); c.Stage != pathway.StageCQCRegistered {
					t.Errorf("told while the co-op is %q", c.Stage)
				}
				told = append(told, coop)
				err := err0 // the first telling fails
				err0 = nil
				return err
			})
			f.toCQCSubmitted()
			in := steps.DecisionInput{Invocation: f.enter("RecordCQCDecision"), CoopID: f.coop, Round: 1,
				Decision: pathway.CQCDecision{Outcome: tt.outcome, ProviderID: tt.provider}}
			_, err := f.steps.RecordDecision(f.ctx, in)
			if tt.want == 0 {
				must(t, err)
				if len(told) != 0 {
					t.Errorf("told of %v after %s", told, tt.outcome)
				}
				return
			}
			if err == nil {
				t.Fatal("a failure to tell did not fail the step")
			}
			if _, err := f.steps.RecordDecision(f.ctx, in); err != nil {
				t.Fatalf("the retry: %v", err)
			}
			if len(told) != 2 || told[1] != f.coop {
				t.Errorf("told %v, want the co-op on the first run and its retry", told)
			}
			if n := countAction(f.events(), pathway.ActionCQCRegistered); n != 1 {
				t.Errorf("%d registered events after a retry, want 1", n)
			}
		})
	}
}

func countAction(events []*pathway.Event, action string) int {
	n := 0
	for _, e := range events {
		if e.Action == action {
			n++
		}
	}
	return n
}
