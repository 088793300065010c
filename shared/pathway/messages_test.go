package pathway_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// fieldsOf returns the sorted names of the fields an error names.
func fieldsOf(err error) []string { return slices.Sorted(maps.Keys(pathway.ErrorFields(err))) }

func TestPanelDecisionCheck(t *testing.T) {
	tests := []struct {
		d    pathway.PanelDecision
		want []string
	}{
		{pathway.PanelDecision{Outcome: pathway.PanelAccept}, nil},
		{pathway.PanelDecision{Outcome: pathway.PanelDefer}, nil},
		{pathway.PanelDecision{Outcome: pathway.PanelDecline, Notes: "Too few founders yet."}, nil},
		{pathway.PanelDecision{Outcome: pathway.PanelDecline, Notes: "  "}, []string{"notes"}},
		{pathway.PanelDecision{Outcome: ""}, []string{"outcome"}},
		{pathway.PanelDecision{Outcome: "maybe"}, []string{"outcome"}},
		{pathway.PanelDecision{Outcome: pathway.PanelAccept, Notes: strings.Repeat("n", 2001)}, []string{"notes"}},
	}
	for _, tt := range tests {
		if got := fieldsOf(tt.d.Check()); !slices.Equal(got, tt.want) {
			t.Errorf("%+v: fields %v, want %v", tt.d, got, tt.want)
		}
	}
}

func TestCQCDecisionCheck(t *testing.T) {
	now := time.Date(2027, 7, 14, 23, 30, 0, 0, time.UTC) // 15 July in London
	tests := []struct {
		d    pathway.CQCDecision
		want []string
	}{
		{pathway.CQCDecision{Outcome: pathway.CQCRegistered, ProviderID: "1-123456789", DecidedOn: "2027-07-15"}, nil},
		{pathway.CQCDecision{Outcome: pathway.CQCRegistered}, []string{"providerId"}},
		{pathway.CQCDecision{Outcome: pathway.CQCRegistered, ProviderID: "123456789"}, []string{"providerId"}},
		{pathway.CQCDecision{Outcome: pathway.CQCRegistered, ProviderID: "1-12345"}, []string{"providerId"}},
		{pathway.CQCDecision{Outcome: pathway.CQCRefused, ProviderID: "1-123456789"}, []string{"providerId"}},
		{pathway.CQCDecision{Outcome: pathway.CQCProposalToRefuse}, nil},
		{pathway.CQCDecision{Outcome: pathway.CQCRefused, DecidedOn: "2027-07-16"}, []string{"decidedOn"}},
		{pathway.CQCDecision{Outcome: "withdrawn"}, []string{"outcome"}},
	}
	for _, tt := range tests {
		if got := fieldsOf(tt.d.Check(now)); !slices.Equal(got, tt.want) {
			t.Errorf("%+v: fields %v, want %v", tt.d, got, tt.want)
		}
	}
}

func TestSubmissionCheck(t *testing.T) {
	now := time.Date(2027, 7, 14, 23, 30, 0, 0, time.UTC) // 15 July in London
	if d, err := (pathway.Submission{SubmittedOn: "2027-07-15"}).Check(now); err != nil || d.Day() != 15 {
		t.Errorf("today in London: %v, %v", d, err)
	}
	if _, err := (pathway.Submission{SubmittedOn: "2027-07-16"}).Check(now); !slices.Equal(fieldsOf(err), []string{"submittedOn"}) {
		t.Errorf("tomorrow: %v, want submittedOn named", err)
	}
}

func TestInField(t *testing.T) {
	err := pathway.InField(pathway.PanelDecision{Outcome: "maybe"}.Check(), "decision")
	if got := pathway.ErrorFields(err); got["decision.outcome"] != "Must be one of: accept, decline, defer" || len(got) != 1 {
		t.Errorf("InField fields = %v", got)
	}
	if pathway.InField(nil, "decision") != nil {
		t.Error("InField(nil) is not nil")
	}
}

func TestTaskSummary(t *testing.T) {
	t0 := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	open := func(due time.Time) *pathway.Task { return &pathway.Task{Status: pathway.TaskOpen, Due: due} }
	s := pathway.SummariseTasks([]*pathway.Task{open(t0.Add(48 * time.Hour)), open(time.Time{}), open(t0),
		{Status: pathway.TaskCompleted, Due: t0.Add(-time.Hour)}})
	if s.Open != 3 || !s.NextDue.Equal(t0) {
		t.Fatalf("summary = %+v, want 3 open, next due %v", s, t0)
	}
	if s.Overdue(t0) || !s.Overdue(t0.Add(time.Second)) {
		t.Error("overdue is not \"after the earliest due date\"")
	}
	if (pathway.TaskSummary{}).Overdue(t0) || pathway.SummariseTasks([]*pathway.Task{open(time.Time{})}).Overdue(t0) {
		t.Error("no tasks, or none with a due date, is overdue")
	}
}
