package workflowtest

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/infra/local/states"
	journeysvc "github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// withdraw has u withdraw the co-op through the journey service over the
// local engine: the stops go through the outbox to the engine.
func (j *journey) withdraw(u *pathway.User) {
	j.t.Helper()
	j.later(time.Hour)
	svc := journeysvc.New(j.store, localsfn.New(j.engine), j.clock.Now)
	v, err := svc.Withdraw(j.ctx, u, j.coop, "The founding group has paused: two members took jobs elsewhere.")
	j.must(err)
	if v.Stage != pathway.StageWithdrawn {
		j.t.Fatalf("withdraw answered %q, want withdrawn", v.Stage)
	}
	j.engine.WaitIdle()
}

// expectNothingOpen fails when the co-op has an open task left.
func (j *journey) expectNothingOpen() {
	j.t.Helper()
	all, err := j.store.ListTasks(j.ctx, pathway.TaskFilter{Coop: j.coop})
	j.must(err)
	if len(all) != 0 {
		j.t.Fatalf("%d tasks left open: %v", len(all), ids(all))
	}
}

// The founders withdraw while the panel's decision is awaited: the
// application execution (the real ASL in the local engine) is stopped
// where it waits, the panel's task leaves the agency's inbox, and later
// timers (the panel's escalation) fire nothing.
func TestWithdrawWhileAwaitingThePanel(t *testing.T) {
	j := newJourney(t)
	j.start()
	j.openOne(pathway.TaskPanelDecision, pathway.RoleAgency)
	j.withdraw(&pathway.User{ID: founder, Name: "Ash Example", Role: pathway.RoleFounder})
	ex := j.expectStatus(pathway.WorkflowApplication, states.ExecAborted)
	if ex.Error != "Pathway.Ended" {
		t.Errorf("stopped with %q, want Pathway.Ended", ex.Error)
	}
	j.expectStage(pathway.StageWithdrawn)
	j.expectNothingOpen()
	j.later(30 * day) // past the panel's due date: no escalation
	j.expectNothingOpen()
	j.expectStage(pathway.StageWithdrawn)
	if n := j.count(pathway.ActionCoopWithdrawn); n != 1 {
		t.Errorf("%d withdrawal events, want 1", n)
	}
	if ex := j.execution(pathway.WorkflowRegistration); ex != nil {
		t.Errorf("a withdrawn co-op has a registration execution %s", ex.ARN)
	}
}

// The agency withdraws a co-op preparing for CQC: the registration
// execution is stopped where it waits for the checklist (the application
// one had ended already: stopping it does nothing), and the founders'
// checklist task is closed.
func TestWithdrawDuringRegistration(t *testing.T) {
	j := newJourney(t)
	j.start()
	j.answer(j.openOne(pathway.TaskPanelDecision, pathway.RoleAgency), officer, map[string]any{"outcome": "accept"})
	j.expectStatus(pathway.WorkflowRegistration, states.ExecRunning)
	j.openOne(pathway.TaskChecklist, pathway.RoleFounder)
	j.withdraw(&pathway.User{ID: officer, Name: "Rowan Officer", Role: pathway.RoleAgency, Organisation: agency})
	j.expectStatus(pathway.WorkflowApplication, states.ExecSucceeded)
	j.expectStatus(pathway.WorkflowRegistration, states.ExecAborted)
	j.expectStage(pathway.StageWithdrawn)
	j.expectNothingOpen()
	j.later(400 * day)
	j.expectNothingOpen()
}
