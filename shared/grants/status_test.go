package grants_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// allStatuses are the statuses the API promises, exactly.
var allStatuses = []string{"draft", "submitted", "ineligible", "in-review", "awaiting-decision", "rejected", "awarded", "declined", "active", "closed", "withdrawn"}

func TestStatusesAreTheContract(t *testing.T) {
	codes := pathway.TermCodes(grants.Statuses)
	if len(codes) != len(allStatuses) {
		t.Fatalf("statuses = %v, want %v", codes, allStatuses)
	}
	for _, s := range allStatuses {
		if _, ok := pathway.TermOf(grants.Statuses, s); !ok {
			t.Errorf("status %q has no words", s)
		}
		a := application()
		a.Status = s
		if err := a.Validate(); err != nil {
			t.Errorf("status %q refused by validation: %v", s, err)
		}
	}
}

// TestMoves holds the status table to every allowed move, and every other
// pair of statuses to a refusal that changes nothing.
func TestMoves(t *testing.T) {
	allowed := map[[2]string]bool{
		{"draft", "submitted"}:             true,
		{"draft", "withdrawn"}:             true,
		{"submitted", "ineligible"}:        true,
		{"submitted", "in-review"}:         true,
		{"submitted", "withdrawn"}:         true,
		{"ineligible", "submitted"}:        true,
		{"in-review", "awaiting-decision"}: true,
		{"in-review", "withdrawn"}:         true,
		{"awaiting-decision", "in-review"}: true,
		{"awaiting-decision", "awarded"}:   true,
		{"awaiting-decision", "rejected"}:  true,
		{"awaiting-decision", "withdrawn"}: true,
		{"awarded", "active"}:              true,
		{"awarded", "declined"}:            true,
		{"active", "closed"}:               true,
	}
	if len(grants.Moves) != len(allowed) {
		t.Errorf("the table has %d moves, the test %d", len(grants.Moves), len(allowed))
	}
	for _, m := range grants.Moves {
		if m.Why == "" {
			t.Errorf("move %s → %s gives no reason", m.From, m.To)
		}
	}
	at := day.Add(time.Hour)
	for _, from := range allStatuses {
		for _, to := range allStatuses {
			a := application()
			a.Status = from
			err := grants.Move(a, to, at)
			if allowed[[2]string{from, to}] {
				if err != nil || a.Status != to || !a.UpdatedAt.Equal(at) {
					t.Errorf("%s → %s: err %v, status %s, updated %v", from, to, err, a.Status, a.UpdatedAt)
				}
				continue
			}
			if pathway.ErrorCode(err) != pathway.ECONFLICT || a.Status != from || !a.UpdatedAt.IsZero() {
				t.Errorf("%s → %s: err %v, status %s: want a conflict changing nothing", from, to, err, a.Status)
			}
		}
	}
}

func TestSendCountsAttempts(t *testing.T) {
	a := application()
	a.Status, a.Attempt = grants.StatusDraft, 0
	if err := grants.Move(a, grants.StatusSubmitted, day); err != nil {
		t.Fatal(err)
	}
	if a.Attempt != 1 || !a.SubmittedAt.Equal(day) {
		t.Fatalf("first send: attempt %d, sent %v", a.Attempt, a.SubmittedAt)
	}
	a.Reasons = []pathway.Reason{{Field: "amount", Rule: grants.RuleAmountRange, Message: "too much"}}
	must(t, grants.Move(a, grants.StatusIneligible, day))
	later := day.Add(24 * time.Hour)
	must(t, grants.Move(a, grants.StatusSubmitted, later))
	if a.Attempt != 2 || !a.SubmittedAt.Equal(later) || a.Reasons != nil {
		t.Fatalf("second send: attempt %d, sent %v, reasons %v", a.Attempt, a.SubmittedAt, a.Reasons)
	}
}

func TestEnds(t *testing.T) {
	for _, s := range allStatuses {
		want := s == "rejected" || s == "declined" || s == "closed" || s == "withdrawn"
		if grants.IsEnd(s) != want {
			t.Errorf("IsEnd(%s) = %v", s, !want)
		}
	}
}

// must fails the test at once on an error (shared/testkit).
var must = testkit.Must
