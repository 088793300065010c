package workflowtest

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestReturnedChecklistItemIsDoneAgain(t *testing.T) {
	j := newJourney(t)
	j.acceptPanel()
	wait := j.openOne(pathway.TaskChecklist, pathway.RoleFounder)
	req := j.required()
	returned := req[0]
	for _, id := range req {
		j.setItem(id, pathway.ItemDone, founder, "")
	}
	j.setItem(returned, pathway.ItemReturned, officer, "The certificate has expired; upload the current one.")
	for _, id := range req[1:] {
		j.setItem(id, pathway.ItemVerified, officer, "")
	}
	// One item is back with the founders: the workflow keeps waiting.
	j.later(7 * day)
	j.expectStatus(pathway.WorkflowRegistration, states.ExecRunning)
	j.expectStage(pathway.StageCQCPreparing)
	if again := j.openOne(pathway.TaskChecklist, pathway.RoleFounder); again.ID != wait.ID {
		t.Errorf("the checklist task changed from %s to %s while waiting", wait.ID, again.ID)
	}

	j.setItem(returned, pathway.ItemDone, founder, "")
	j.setItem(returned, pathway.ItemVerified, officer, "")
	j.answer(wait, officer, map[string]any{"checklist": "verified", "item": returned})
	j.expectStage(pathway.StageCQCReady)
	j.expectEvent("checklist.verified")
	if ts := j.open(pathway.TaskChecklist); len(ts) != 0 {
		t.Errorf("checklist tasks still open: %v", ids(ts))
	}
	j.openOne(pathway.TaskCQCSubmission, pathway.RoleFounder)
}

func TestRegistered(t *testing.T) {
	j := newJourney(t)
	j.acceptPanel()
	j.verifyChecklist()
	j.submit()
	if n := len(j.open(pathway.TaskCQCDecision)); n != 2 {
		t.Fatalf("%d cqc-decision tasks, want the founders' and the agency's", n)
	}
	j.decide(pathway.RoleFounder, map[string]any{"outcome": "registered", "providerId": "1-234567890",
		"decidedOn": j.clock.Now().Format(time.DateOnly)})
	j.expectStatus(pathway.WorkflowRegistration, states.ExecSucceeded)
	j.expectStage(pathway.StageCQCRegistered)
	if c := j.coopNow(); c.ProviderID != "1-234567890" {
		t.Errorf("provider ID %q, want 1-234567890", c.ProviderID)
	}
	if ts := j.open(pathway.TaskCQCDecision); len(ts) != 0 {
		t.Errorf("decision tasks still open: %v", ids(ts))
	}
}

func TestDecisionIsRemindedThenEscalated(t *testing.T) {
	j := newJourney(t)
	j.acceptPanel()
	j.verifyChecklist()
	j.submit()
	// CQC's decision is expected 10 weeks after the submission date, and
	// escalated 26 weeks after it.
	on := j.clock.Now().Truncate(day)
	first := j.openOne(pathway.TaskCQCDecision, pathway.RoleAgency)
	told := j.count("notification.sent", "founders")

	j.later(on.Add(10*7*day).Sub(j.clock.Now()) - time.Minute)
	if n := j.count("cqc.reminder"); n != 0 {
		t.Fatalf("%d reminders before 10 weeks", n)
	}
	j.later(2 * time.Minute)
	j.expectEvent("cqc.reminder")
	if j.count("notification.sent", "founders") != told+1 {
		t.Errorf("the founders were not reminded")
	}
	if again := j.openOne(pathway.TaskCQCDecision, pathway.RoleAgency); again.ID == first.ID {
		t.Errorf("the decision task was not re-opened at the reminder")
	}

	j.later(on.Add(26*7*day).Sub(j.clock.Now()) - time.Minute)
	if n := len(j.open(pathway.TaskCQCEscalation)); n != 0 {
		t.Fatalf("escalated %d times before 26 weeks", n)
	}
	j.later(2 * time.Minute)
	lead := j.openOne(pathway.TaskCQCEscalation, pathway.RoleAgencyLead)
	j.expectEvent("cqc.overdue")
	j.expectStatus(pathway.WorkflowRegistration, states.ExecRunning)
	j.answer(lead, officer, map[string]any{"outcome": "registered", "providerId": "1-345678901"})
	j.expectStatus(pathway.WorkflowRegistration, states.ExecSucceeded)
	j.expectStage(pathway.StageCQCRegistered)
}

func TestNoticeOfProposalThenRegistered(t *testing.T) {
	j := newJourney(t)
	j.acceptPanel()
	j.verifyChecklist()
	j.submit()
	j.decide(pathway.RoleAgency, map[string]any{"outcome": "proposal-to-refuse"})
	proposed := j.clock.Now()
	j.expectStage(pathway.StageCQCProposalToRefuse)
	j.expectStatus(pathway.WorkflowRegistration, states.ExecRunning)
	task := j.openOne(pathway.TaskCQCDecision, pathway.RoleFounder)
	if want := proposed.Add(pathway.RepresentationsDays * day); !task.Due.Equal(want) || !strings.Contains(task.ID, ".2.") {
		t.Errorf("after the notice the decision task is %s due %v, want round 2 due %v (28 days for representations)", task.ID, task.Due, want)
	}
	j.later(pathway.RepresentationsDays*day + time.Minute)
	j.expectEvent("cqc.reminder")
	j.decide(pathway.RoleFounder, map[string]any{"outcome": "registered", "providerId": "1-456789012"})
	j.expectStatus(pathway.WorkflowRegistration, states.ExecSucceeded)
	j.expectStage(pathway.StageCQCRegistered)
}

func TestRefused(t *testing.T) {
	j := newJourney(t)
	j.acceptPanel()
	j.verifyChecklist()
	j.submit()
	j.decide(pathway.RoleAgency, map[string]any{"outcome": "refused", "decidedOn": j.clock.Now().Format(time.DateOnly)})
	j.expectStatus(pathway.WorkflowRegistration, states.ExecSucceeded)
	j.expectStage(pathway.StageCQCRefused)
	j.expectEvent("cqc.refused")
	if ts := j.open(pathway.TaskCQCDecision); len(ts) != 0 {
		t.Errorf("decision tasks still open: %v", ids(ts))
	}
}
