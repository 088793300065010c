package steps_test

import (
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/steps"
)

// Rule: every step needs the state entry it runs for (execution ID, state
// name, RFC 3339 entry time, from which its IDs are derived) and the
// co-op; each one missing is named, and nothing else is.
func TestInvocationIsChecked(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(in *steps.CoopInput)
	}{
		{"executionId", func(in *steps.CoopInput) { in.ExecutionID = "" }},
		{"state", func(in *steps.CoopInput) { in.State = "" }},
		{"enteredTime", func(in *steps.CoopInput) { in.EnteredTime = "" }},
		{"enteredTime", func(in *steps.CoopInput) { in.EnteredTime = "2027-02-01 09:00" }},
		{"coopId", func(in *steps.CoopInput) { in.CoopID = "" }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			f := newFixture(t)
			in := steps.CoopInput{Invocation: f.enter("ValidateApplication"), CoopID: f.coop}
			tc.edit(&in)
			_, err := f.steps.ValidateApplication(f.ctx, in)
			wantInvalid(t, err, tc.field)
			for _, other := range []string{"executionId", "state", "enteredTime", "coopId"} {
				if other != tc.field && err != nil && strings.Contains(err.Error(), other+":") {
					t.Fatalf("error %v names %q too", err, other)
				}
			}
		})
	}
}
