package workflowtest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/infra/repotest"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/workflowsteps"
)

// Invented records every journey starts from.
const (
	agency    = "org-moorside-cda"
	programme = "prog-moorside-start"
	founder   = "user-founder-ash"
	officer   = "user-agency-rowan"
)

// t0 is when each journey's co-op applies: a Monday morning.
var t0 = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// journey is one co-op carried through the workflows by the local engine.
type journey struct {
	t      *testing.T
	ctx    context.Context
	clock  *states.FakeClock
	engine *states.Engine
	store  pathway.Store
	coop   string
	app    string // the application execution's ARN
}

// option changes the seeded records before they are stored.
type option func(c *pathway.Coop, p *pathway.Programme)

// newJourney seeds an agency, its programme and a co-op that has just
// applied, and loads template.yaml's state machines into an engine whose
// Lambda functions are steps.Handlers over the store.
func newJourney(t *testing.T, opts ...option) *journey {
	t.Helper()
	st := testkit.LaggedStore(t)
	j := &journey{t: t, ctx: context.Background(), clock: states.NewFakeClock(t0), store: st, coop: "coop-moorside-care"}
	j.seed(opts)
	j.engine = j.newEngine(nil)
	return j
}

// newEngine returns an engine on the journey's clock, keeping executions in
// db (nil: in memory), whose Lambda functions are steps.Handlers over the
// journey's store and whose state machines are template.yaml's.
func (j *journey) newEngine(db *bbolt.DB) *states.Engine {
	j.t.Helper()
	e, err := states.New(states.Options{DB: db, Clock: j.clock})
	j.must(err)
	j.t.Cleanup(func() { _ = e.Close() })
	for id, fn := range workflowsteps.Handlers(j.store, j.store.(*store.Store).Table(), j.clock.Now) {
		e.RegisterHandler(id, states.TypedHandler(fn))
	}
	j.must(e.LoadTemplate(filepath.Join(repotest.Root(j.t), "template.yaml")))
	return e
}

func (j *journey) seed(opts []option) {
	j.t.Helper()
	p := &pathway.Programme{
		ID: programme, Name: "Moorside Care Co-op Start-up", Agency: agency, Pathway: pathway.PathwayStartUp, Open: true,
		PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 2, EnglandOnly: true},
	}
	c := &pathway.Coop{
		ID: j.coop, Name: "Moorside Home Care Co-op", Programme: programme,
		LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart, LocalAuthority: "Calderdale",
		Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
		Members: []pathway.Member{
			{Name: "Ash Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
			{Name: "Rowan Example", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
			{Name: "Sky Example", Class: pathway.ClassServiceUser, Role: pathway.MemberDirector},
		},
		Founders: []string{founder}, Stage: pathway.StageApplied, StageEnteredAt: t0, CreatedAt: t0, UpdatedAt: t0,
	}
	for _, o := range opts {
		o(c, p)
	}
	j.must(j.store.PutOrganisation(j.ctx, &pathway.Organisation{ID: agency, Name: "Moorside Co-op Development", Kind: pathway.OrgAgency}))
	j.must(j.store.PutProgramme(j.ctx, p))
	j.must(j.store.CreateCoop(j.ctx, c, &pathway.Event{ID: "01JQ0000000000000000000000", Coop: c.ID, At: t0,
		Actor: founder, Action: "application.submitted", Summary: "Applied.", To: pathway.StageApplied}, nil))
}

func (j *journey) must(err error) {
	j.t.Helper()
	if err != nil {
		j.t.Fatal(err)
	}
}

// start starts the application workflow as the API does on POST /api/coops.
func (j *journey) start() {
	j.t.Helper()
	ex, err := j.engine.StartExecution(j.ctx, states.StartExecutionInput{
		StateMachine: pathway.WorkflowApplication, Name: j.coop, Input: json.RawMessage(`{"coopId":"` + j.coop + `"}`)})
	j.must(err)
	j.app = ex.ARN
	j.engine.WaitIdle()
}

// later lets d pass, firing the workflows' timers on the way.
func (j *journey) later(d time.Duration) {
	j.engine.WaitIdle()
	j.clock.Advance(d)
	j.engine.WaitIdle()
}

// execution returns the co-op's execution of the workflow, or nil.
func (j *journey) execution(workflow string) *states.Execution {
	j.t.Helper()
	all, err := j.engine.ListExecutions(j.ctx, workflow, "")
	j.must(err)
	for _, ex := range all {
		if ex.Name == j.coop {
			return ex
		}
	}
	return nil
}

// expectStatus checks the status of the co-op's execution of the workflow.
func (j *journey) expectStatus(workflow, want string) *states.Execution {
	j.t.Helper()
	ex := j.execution(workflow)
	if ex == nil {
		j.t.Fatalf("no %s execution for %s", workflow, j.coop)
	}
	if ex.Status != want {
		j.t.Fatalf("%s execution is %s (%s: %s), want %s\n%s", workflow, ex.Status, ex.Error, ex.Cause, want, j.history(ex.ARN))
	}
	return ex
}

// history summarises an execution's history for a failure message.
func (j *journey) history(arn string) string {
	events, err := j.engine.GetExecutionHistory(j.ctx, arn)
	if err != nil {
		return err.Error()
	}
	var b strings.Builder
	for _, e := range events {
		b.WriteString("  " + e.Type + " " + e.StateName)
		if e.Details["error"] != "" {
			b.WriteString(" " + e.Details["error"] + ": " + e.Details["cause"])
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (j *journey) coopNow() *pathway.Coop {
	j.t.Helper()
	c, err := j.store.GetCoop(j.ctx, j.coop)
	j.must(err)
	return c
}

func (j *journey) expectStage(want string) {
	j.t.Helper()
	if c := j.coopNow(); c.Stage != want {
		j.t.Fatalf("stage = %q (failure %q), want %q", c.Stage, c.Failure, want)
	}
}

// open returns the co-op's open tasks of the kind.
func (j *journey) open(kind string) []*pathway.Task {
	j.t.Helper()
	all, err := j.store.ListTasks(j.ctx, pathway.TaskFilter{Coop: j.coop})
	j.must(err)
	var out []*pathway.Task
	for _, t := range all {
		if t.Kind == kind {
			out = append(out, t)
		}
	}
	return out
}

// openOne returns the one open task of the kind for the role.
func (j *journey) openOne(kind, role string) *pathway.Task {
	j.t.Helper()
	var found []*pathway.Task
	for _, t := range j.open(kind) {
		if t.Role == role {
			found = append(found, t)
		}
	}
	if len(found) != 1 {
		j.t.Fatalf("%d open %s tasks for %s, want 1: %v", len(found), kind, role, found)
	}
	return found[0]
}

// answer does what the API does on POST /api/tasks/{id}/decision: an hour
// later, it completes the task (exactly once) and sends its token back with
// the answer as the task's output.
func (j *journey) answer(task *pathway.Task, by string, output map[string]any) {
	j.t.Helper()
	j.later(time.Hour)
	output["by"] = by
	body, err := json.Marshal(output)
	j.must(err)
	_, err = j.store.CompleteTask(j.ctx, task.ID, pathway.TaskCompletion{
		By: by, At: j.clock.Now(), Status: pathway.TaskCompleted, Outcome: body})
	j.must(err)
	j.must(j.engine.SendTaskSuccess(j.ctx, task.Token, body))
	j.engine.WaitIdle()
}

// events returns the actions of the co-op's events, oldest first.
func (j *journey) events() []*pathway.Event {
	j.t.Helper()
	page, err := j.store.ListEvents(j.ctx, pathway.CoopSubject(j.coop), "", pathway.MaxPageSize)
	j.must(err)
	return page.Events
}

// count returns how many events have the action (and, if to is given, went
// to that recipient).
func (j *journey) count(action string, to ...string) int {
	n := 0
	for _, e := range j.events() {
		if e.Action == action && (len(to) == 0 || e.Data["to"] == to[0]) {
			n++
		}
	}
	return n
}

// expectEvent fails unless an event with the action exists.
func (j *journey) expectEvent(action string, to ...string) {
	j.t.Helper()
	if j.count(action, to...) == 0 {
		var got []string
		for _, e := range j.events() {
			got = append(got, e.Action+"→"+e.Data["to"])
		}
		j.t.Fatalf("no %s event %v; events: %v", action, to, got)
	}
}

// acceptPanel takes an eligible co-op through the panel's acceptance into
// its registration workflow.
func (j *journey) acceptPanel() {
	j.t.Helper()
	j.start()
	j.answer(j.openOne(pathway.TaskPanelDecision, pathway.RoleAgency), officer, map[string]any{"outcome": "accept", "notes": "A strong, well-led group."})
	j.expectStatus(pathway.WorkflowApplication, states.ExecSucceeded)
	j.expectStatus(pathway.WorkflowRegistration, states.ExecRunning)
	j.expectStage(pathway.StageCQCPreparing)
}

// setItem changes a checklist item as the API's checklist routes do.
func (j *journey) setItem(id, status, by, comment string) {
	j.t.Helper()
	it, err := j.store.GetChecklistItem(j.ctx, j.coop, id)
	j.must(err)
	it.Status, it.UpdatedBy, it.UpdatedAt, it.Comment = status, by, j.clock.Now(), comment
	if status == pathway.ItemDone {
		it.Evidence = "Evidence for " + id + "."
	}
	j.must(j.store.UpdateChecklistItem(j.ctx, it, nil))
}

// required returns the IDs of the required checklist items.
func (j *journey) required() []string {
	j.t.Helper()
	items, err := j.store.ListChecklist(j.ctx, j.coop)
	j.must(err)
	var ids []string
	for _, it := range items {
		if it.Required {
			ids = append(ids, it.ID)
		}
	}
	if len(ids) == 0 {
		j.t.Fatal("the checklist has no required items")
	}
	return ids
}

// verifyChecklist has the founders do every required item and the agency
// verify it; after the last one the API answers the checklist wait.
func (j *journey) verifyChecklist() {
	j.t.Helper()
	wait := j.openOne(pathway.TaskChecklist, pathway.RoleFounder)
	for _, id := range j.required() {
		j.setItem(id, pathway.ItemDone, founder, "")
		j.setItem(id, pathway.ItemVerified, officer, "")
	}
	j.answer(wait, officer, map[string]any{"checklist": "verified"})
	j.expectStage(pathway.StageCQCReady)
}

// submit has the founders apply to CQC and record the date.
func (j *journey) submit() {
	j.t.Helper()
	task := j.openOne(pathway.TaskCQCSubmission, pathway.RoleFounder)
	j.answer(task, founder, map[string]any{"submittedOn": j.clock.Now().Format(time.DateOnly)})
	j.expectStage(pathway.StageCQCSubmitted)
}

// decide records CQC's decision through the founders' or agency's task.
func (j *journey) decide(role string, decision map[string]any) {
	j.t.Helper()
	j.answer(j.openOne(pathway.TaskCQCDecision, role), map[string]string{
		pathway.RoleFounder: founder, pathway.RoleAgency: officer}[role], decision)
}

// ids returns the IDs of tasks.
func ids(ts []*pathway.Task) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	slices.Sort(out)
	return out
}
