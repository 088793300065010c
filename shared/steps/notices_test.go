package steps_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// mailOf lists the mail queue's notices of a kind.
func (f *fixture) mailOf(notice string) []*pathway.Delivery {
	f.t.Helper()
	all, err := f.store.PendingMail(f.ctx, pathway.MaxPageSize)
	must(f.t, err)
	var out []*pathway.Delivery
	for _, d := range all {
		if d.Mail.Notice == notice {
			out = append(out, d)
		}
	}
	return out
}

// Rule: a decision's founders' email is recorded with the decision, once,
// even when the step runs twice; a task's notice with the task.
func TestDecisionNotices(t *testing.T) {
	for _, tc := range []struct {
		name    string
		outcome string
		notes   string
		detail  string
	}{
		{"accept", pathway.PanelAccept, "", "The panel accepted the co-op onto the programme."},
		{"decline", pathway.PanelDecline, "Too few members yet.", "The panel declined the application: Too few members yet."},
		{"defer", pathway.PanelDefer, "", "The panel deferred its decision to its next meeting."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.toAwaitingPanel()
			if got := f.mailOf(pathway.NoticeTaskOpened); len(got) != 1 || got[0].Mail.Audience != pathway.AudienceAgency ||
				got[0].Mail.Organisation != "org-cda" || got[0].Mail.Title != "Panel decision: Holme Valley Home Care Co-op" {
				t.Fatalf("task notices after opening the panel task: %+v", got)
			}
			in := steps.PanelOutcomeInput{Invocation: f.enter("RecordPanelOutcome"), CoopID: f.coop, Round: 1,
				Decision: pathway.PanelDecision{Outcome: tc.outcome, Notes: tc.notes, By: "user-agency"}}
			for range 2 { // Step Functions may run a step twice
				_, err := f.steps.RecordPanelOutcome(f.ctx, in)
				must(t, err)
			}
			got := f.mailOf(pathway.NoticeDecision)
			if len(got) != 1 {
				t.Fatalf("%d decision notices after the step ran twice, want 1", len(got))
			}
			n := got[0].Mail
			if n.Audience != pathway.AudienceFounders || n.Coop != f.coop || n.Detail != tc.detail || n.Path != "/coops/"+f.coop {
				t.Errorf("decision notice %+v", n)
			}
		})
	}
}

// failingUpdates is a store whose co-op updates fail.
type failingUpdates struct {
	pathway.Store
}

func (failingUpdates) UpdateCoop(context.Context, *pathway.Coop, *pathway.Event) error {
	return errors.New("store down")
}

// Rule: a decision that is not recorded tells nobody.
func TestNoNoticeWithoutTheDecision(t *testing.T) {
	f := newFixture(t)
	f.toAwaitingPanel()
	failing := steps.New(failingUpdates{f.store}, func() time.Time { return f.now })
	in := steps.PanelOutcomeInput{Invocation: f.enter("RecordPanelOutcome"), CoopID: f.coop, Round: 1,
		Decision: pathway.PanelDecision{Outcome: pathway.PanelAccept}}
	if _, err := failing.RecordPanelOutcome(f.ctx, in); err == nil {
		t.Fatal("the step succeeded although the store failed")
	}
	if got := f.mailOf(pathway.NoticeDecision); len(got) != 0 {
		t.Errorf("%d decision notices recorded without the decision", len(got))
	}
}

// Rule: an escalation tells the agency's lead, and the agency of the
// re-opened task, that it is overdue.
func TestEscalationNotices(t *testing.T) {
	f := newFixture(t)
	f.toAwaitingPanel()
	f.now = f.now.Add(15 * 24 * time.Hour)
	_, err := f.steps.EscalatePanel(f.ctx, f.taskInput("EscalateOverduePanel", 1, 0))
	must(t, err)
	audiences := map[string]bool{}
	for _, d := range f.mailOf(pathway.NoticeTaskOverdue) {
		audiences[d.Mail.Audience] = true
	}
	if !audiences[pathway.AudienceAgencyLead] || !audiences[pathway.AudienceAgency] || len(audiences) != 2 {
		t.Errorf("overdue notices went to %v, want the lead and the agency", audiences)
	}
}
