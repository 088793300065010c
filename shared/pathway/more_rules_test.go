package pathway_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Rule: the statement of purpose is kept under review and CQC is sent any
// revision within 28 days (Care Quality Commission (Registration)
// Regulations 2009, regulation 12); the checklist says so once, on the
// statement's first element.
func TestStatementOfPurposeReviewRule(t *testing.T) {
	items := pathway.BuildChecklist(eligibleCoop())
	for _, id := range []string{"SOP-01", "SOP-02", "SOP-05"} {
		it := itemByID(items, id)
		if it == nil {
			t.Fatalf("no %s item", id)
		}
		says := strings.Contains(it.Guidance, "within 28 days")
		if says != (id == "SOP-01") {
			t.Errorf("%s guidance %q: mentions the 28-day revision rule %v, want %v", id, it.Guidance, says, id == "SOP-01")
		}
	}
}

// Rule: a co-op's tasks are overdue only when one is open and its due
// date has passed; a summary with no open task is never overdue, whatever
// due date it carries, and a task due this instant is not overdue yet.
func TestTaskSummaryOverdue(t *testing.T) {
	now := time.Date(2027, 5, 4, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		s    pathway.TaskSummary
		want bool
	}{
		{"open, due yesterday", pathway.TaskSummary{Open: 1, NextDue: now.Add(-24 * time.Hour)}, true},
		{"open, due now", pathway.TaskSummary{Open: 1, NextDue: now}, false},
		{"open, due tomorrow", pathway.TaskSummary{Open: 2, NextDue: now.Add(24 * time.Hour)}, false},
		{"open, no due date", pathway.TaskSummary{Open: 1}, false},
		{"none open, a past date left", pathway.TaskSummary{Open: 0, NextDue: now.Add(-24 * time.Hour)}, false},
	} {
		if got := tc.s.Overdue(now); got != tc.want {
			t.Errorf("%s: Overdue = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Rule: the panel's notes (its reasons, which the founders see) may run
// to 2000 characters, counted as characters rather than bytes.
func TestPanelNotesLength(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want bool // accepted
	}{{2000, true}, {2001, false}} {
		d := pathway.PanelDecision{Outcome: pathway.PanelDecline, Notes: strings.Repeat("é", tc.n), By: "user-x"}
		err := d.Check()
		if (err == nil) != tc.want {
			t.Errorf("notes of %d characters: Check = %v, want accepted %v", tc.n, err, tc.want)
		}
	}
}
