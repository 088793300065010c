package workflowtest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestIneligibleApplicationEnds(t *testing.T) {
	j := newJourney(t, func(c *pathway.Coop, _ *pathway.Programme) { c.LocalAuthority = "Cardiff" })
	j.start()
	j.expectStatus(pathway.WorkflowApplication, states.ExecSucceeded)
	j.expectStage(pathway.StageIneligible)
	j.expectEvent("application.ineligible")
	j.expectEvent("notification.sent", "founders")
	if ts := j.open(pathway.TaskPanelDecision); len(ts) != 0 {
		t.Errorf("an ineligible co-op has panel tasks %v", ids(ts))
	}
	if ex := j.execution(pathway.WorkflowRegistration); ex != nil {
		t.Errorf("an ineligible co-op has a registration execution %s", ex.ARN)
	}
}

func TestPanelAccepts(t *testing.T) {
	j := newJourney(t)
	j.start()
	j.expectStage(pathway.StageAwaitingPanel)
	j.expectStatus(pathway.WorkflowApplication, states.ExecRunning)
	task := j.openOne(pathway.TaskPanelDecision, pathway.RoleAgency)
	if task.Organisation != agency || !task.Due.Equal(t0.Add(14*day)) {
		t.Errorf("panel task for %q due %v, want %q due %v", task.Organisation, task.Due, agency, t0.Add(14*day))
	}
	j.answer(task, officer, map[string]any{"outcome": "accept"})
	j.expectStatus(pathway.WorkflowApplication, states.ExecSucceeded)
	// The registration execution is named after the co-op, so a second
	// start could not duplicate it.
	reg := j.expectStatus(pathway.WorkflowRegistration, states.ExecRunning)
	if reg.Name != j.coop {
		t.Errorf("registration execution named %q, want %q", reg.Name, j.coop)
	}
	j.expectStage(pathway.StageCQCPreparing)
	j.expectEvent("panel.accepted")
	j.expectEvent("checklist.built")
	j.openOne(pathway.TaskChecklist, pathway.RoleFounder)
	if ts := j.open(pathway.TaskPanelDecision); len(ts) != 0 {
		t.Errorf("panel tasks still open after the decision: %v", ids(ts))
	}
}

func TestPanelDeclines(t *testing.T) {
	j := newJourney(t)
	j.start()
	j.answer(j.openOne(pathway.TaskPanelDecision, pathway.RoleAgency), officer,
		map[string]any{"outcome": "decline", "notes": "The group has not yet found a registered manager."})
	j.expectStatus(pathway.WorkflowApplication, states.ExecSucceeded)
	j.expectStage(pathway.StageDeclined)
	j.expectEvent("notification.sent", "founders")
	var declined *pathway.Event
	for _, e := range j.events() {
		if e.Action == "panel.declined" {
			declined = e
		}
	}
	if declined == nil || !strings.Contains(declined.Data["notes"], "registered manager") || declined.Actor != officer {
		t.Errorf("panel.declined event %+v, want the panel's reasons by %s", declined, officer)
	}
	if ex := j.execution(pathway.WorkflowRegistration); ex != nil {
		t.Errorf("a declined co-op has a registration execution %s", ex.ARN)
	}
}

func TestPanelDefersThenAccepts(t *testing.T) {
	j := newJourney(t)
	j.start()
	first := j.openOne(pathway.TaskPanelDecision, pathway.RoleAgency)
	j.answer(first, officer, map[string]any{"outcome": "defer", "notes": "Come back with a business plan."})
	j.expectStatus(pathway.WorkflowApplication, states.ExecRunning)
	j.expectStage(pathway.StageAwaitingPanel)
	j.expectEvent("panel.deferred")
	second := j.openOne(pathway.TaskPanelDecision, pathway.RoleAgency)
	if second.ID == first.ID || second.Token == first.Token || !strings.Contains(second.ID, ".2.") {
		t.Errorf("after deferral the panel task is %s, want a new round-2 task after %s", second.ID, first.ID)
	}
	if want := j.clock.Now().Add(14 * day); !second.Due.Equal(want) {
		t.Errorf("next round due %v, want %v (the panel days again)", second.Due, want)
	}
	j.answer(second, officer, map[string]any{"outcome": "accept"})
	j.expectStatus(pathway.WorkflowApplication, states.ExecSucceeded)
	j.expectStage(pathway.StageCQCPreparing)
}

func TestOverduePanelIsEscalated(t *testing.T) {
	j := newJourney(t)
	j.start()
	j.later(14*day - time.Minute)
	if n := len(j.open(pathway.TaskPanelEscalation)); n != 0 {
		t.Fatalf("%d escalations before the panel decision is due", n)
	}
	j.later(2 * time.Minute)
	lead := j.openOne(pathway.TaskPanelEscalation, pathway.RoleAgencyLead)
	panel := j.openOne(pathway.TaskPanelDecision, pathway.RoleAgency)
	if lead.Token != panel.Token {
		t.Errorf("the lead's and the panel's tasks hold different tokens")
	}
	if !panel.Due.Equal(t0.Add(14 * day)) {
		t.Errorf("re-opened panel task due %v, want its original due date %v", panel.Due, t0.Add(14*day))
	}
	j.expectEvent("panel.overdue")
	j.expectEvent("notification.sent", "agency-lead")
	j.expectStage(pathway.StageAwaitingPanel)

	// The execution keeps waiting, without escalating again.
	j.later(60 * day)
	j.expectStatus(pathway.WorkflowApplication, states.ExecRunning)
	if n := j.count("panel.overdue"); n != 1 {
		t.Errorf("%d panel.overdue events, want 1", n)
	}
	j.answer(j.openOne(pathway.TaskPanelEscalation, pathway.RoleAgencyLead), officer, map[string]any{"outcome": "accept"})
	j.expectStatus(pathway.WorkflowApplication, states.ExecSucceeded)
	j.expectStage(pathway.StageCQCPreparing)
	if n := len(j.open(pathway.TaskPanelDecision)) + len(j.open(pathway.TaskPanelEscalation)); n != 0 {
		t.Errorf("%d panel tasks still open after the decision", n)
	}
}

// TestFailedStepIsRecorded: a programme run by an agency that does not
// exist fails validation; the failure is recorded on the co-op, where the
// agency sees it, and the execution fails with the step's error.
func TestFailedStepIsRecorded(t *testing.T) {
	j := newJourney(t, func(_ *pathway.Coop, p *pathway.Programme) { p.Agency = "org-nowhere" })
	j.start()
	ex := j.expectStatus(pathway.WorkflowApplication, states.ExecFailed)
	if ex.Error != "Pathway.Invalid" {
		t.Errorf("execution error %q, want Pathway.Invalid", ex.Error)
	}
	if c := j.coopNow(); !strings.Contains(c.Failure, "org-nowhere") {
		t.Errorf("co-op failure %q does not name the missing agency", c.Failure)
	}
	j.expectEvent("workflow.failed")
	j.expectStage(pathway.StageApplied)
}

// restartable gives the journey an engine that keeps its executions in a
// file, and returns a function that stops it and starts another over the
// same file, as restarting `go run ./infra/local` does.
func restartable(j *journey) (restart func()) {
	path := filepath.Join(j.t.TempDir(), "states.db")
	var db *bbolt.DB
	open := func() {
		var err error
		db, err = bbolt.Open(path, 0o600, nil)
		j.must(err)
		j.t.Cleanup(func() { _ = db.Close() })
		j.engine = j.newEngine(db)
	}
	open()
	return func() {
		j.engine.WaitIdle()
		j.must(j.engine.Close())
		j.must(db.Close())
		open()
		j.must(j.engine.Resume(j.ctx))
		j.engine.WaitIdle()
	}
}

// TestPendingPanelSurvivesRestart: the token of a panel task opened before
// a restart still answers the execution after it.
func TestPendingPanelSurvivesRestart(t *testing.T) {
	j := newJourney(t)
	restart := restartable(j)
	j.start()
	task := j.openOne(pathway.TaskPanelDecision, pathway.RoleAgency)
	restart()
	j.expectStatus(pathway.WorkflowApplication, states.ExecRunning)
	j.answer(task, officer, map[string]any{"outcome": "accept"})
	j.expectStatus(pathway.WorkflowApplication, states.ExecSucceeded)
	j.expectStatus(pathway.WorkflowRegistration, states.ExecRunning)
	j.expectStage(pathway.StageCQCPreparing)
}

// TestPanelDueDateSurvivesRestart: the panel's due date, a timer, still
// escalates after a restart.
func TestPanelDueDateSurvivesRestart(t *testing.T) {
	j := newJourney(t)
	restart := restartable(j)
	j.start()
	j.later(7 * day)
	restart()
	j.later(7*day + time.Minute)
	j.openOne(pathway.TaskPanelEscalation, pathway.RoleAgencyLead)
	j.expectEvent("panel.overdue")
	j.expectStatus(pathway.WorkflowApplication, states.ExecRunning)
}
