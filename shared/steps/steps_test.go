package steps_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// fixture is a store in a temporary file holding one agency, one programme
// and one co-op at the start of its journey, and steps over it with a clock
// the test moves.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	store pathway.Store
	steps *steps.Steps
	now   time.Time
	coop  string
	exec  string
	n     int // counts state entries, so each gets its own time
}

var start = time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)

func newFixture(t *testing.T, mutate ...func(c *pathway.Coop)) *fixture {
	t.Helper()
	st := testkit.LaggedStore(t)
	f := &fixture{t: t, ctx: context.Background(), store: st, now: start, coop: "coop-holme",
		exec: "arn:aws:states:eu-west-2:123456789012:execution:application:coop-holme"}
	f.steps = steps.New(st, func() time.Time { return f.now })
	must(t, st.PutOrganisation(f.ctx, &pathway.Organisation{ID: "org-cda", Name: "Pennine Co-op Development", Kind: pathway.OrgAgency}))
	must(t, st.PutProgramme(f.ctx, &pathway.Programme{
		ID: "prog-start", Name: "Care Co-op Start-up", Agency: "org-cda", Pathway: pathway.PathwayStartUp, Open: true,
		PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 2, EnglandOnly: true},
	}))
	c := &pathway.Coop{
		ID: f.coop, Name: "Holme Valley Home Care Co-op", Programme: "prog-start",
		LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart, LocalAuthority: "Kirklees",
		Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
		Members: []pathway.Member{
			{Name: "Wren Oakshott", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
			{Name: "Tamsin Hale", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
		},
		Founders: []string{"user-wren"}, Stage: pathway.StageApplied, StageEnteredAt: start, CreatedAt: start, UpdatedAt: start,
	}
	for _, m := range mutate {
		m(c)
	}
	must(t, st.CreateCoop(f.ctx, c, &pathway.Event{ID: "01J0000000000000000000000A", Coop: c.ID, At: start,
		Actor: "user-wren", Action: "application.submitted", Summary: "Applied.", To: pathway.StageApplied}, nil))
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// enter returns the invocation of a new entry into the state, a minute
// after the last one.
func (f *fixture) enter(state string) steps.Invocation {
	f.n++
	f.now = f.now.Add(time.Minute)
	return steps.Invocation{ExecutionID: f.exec, State: state, EnteredTime: f.now.Format(time.RFC3339Nano)}
}

func (f *fixture) coopNow() *pathway.Coop {
	f.t.Helper()
	c, err := f.store.GetCoop(f.ctx, f.coop)
	must(f.t, err)
	return c
}

func (f *fixture) events() []*pathway.Event {
	f.t.Helper()
	page, err := f.store.ListEvents(f.ctx, pathway.CoopSubject(f.coop), "", pathway.MaxPageSize)
	must(f.t, err)
	return page.Events
}

func (f *fixture) openTasks() []*pathway.Task {
	f.t.Helper()
	ts, err := f.store.ListTasks(f.ctx, pathway.TaskFilter{Coop: f.coop})
	must(f.t, err)
	return ts
}

func (f *fixture) openOf(kind string) []*pathway.Task {
	var out []*pathway.Task
	for _, t := range f.openTasks() {
		if t.Kind == kind {
			out = append(out, t)
		}
	}
	return out
}

// answer completes the open task of the kind as the API does, before it
// sends the token back.
func (f *fixture) answer(kind string, outcome any) *pathway.Task {
	f.t.Helper()
	open := f.openOf(kind)
	if len(open) == 0 {
		f.t.Fatalf("no open %s task; open tasks: %v", kind, f.openTasks())
	}
	body, _ := json.Marshal(outcome)
	done, err := f.store.CompleteTask(f.ctx, open[0].ID, pathway.TaskCompletion{
		By: "user-x", At: f.now, Outcome: body, Status: pathway.TaskCompleted})
	must(f.t, err)
	return done
}

func (f *fixture) taskInput(state string, round int, dueSeconds int64) steps.TaskInput {
	return steps.TaskInput{Invocation: f.enter(state), CoopID: f.coop, TaskToken: fmt.Sprintf("token-%s-%d", state, f.n),
		Round: round, DueSeconds: dueSeconds}
}

// The steps below drive a co-op forward as the workflows do.

func (f *fixture) toAwaitingPanel() steps.TaskInput {
	f.t.Helper()
	_, err := f.steps.ValidateApplication(f.ctx, steps.CoopInput{Invocation: f.enter("ValidateApplication"), CoopID: f.coop})
	must(f.t, err)
	out, err := f.steps.ScreenEligibility(f.ctx, steps.CoopInput{Invocation: f.enter("ScreenEligibility"), CoopID: f.coop})
	must(f.t, err)
	if !out.Eligible {
		f.t.Fatalf("not eligible: %v", out.Reasons)
	}
	in := f.taskInput("AwaitPanelDecision", 1, 14*86400)
	_, err = f.steps.OpenPanelTask(f.ctx, in)
	must(f.t, err)
	return in
}

func (f *fixture) toCQCPreparing() {
	f.t.Helper()
	f.toAwaitingPanel()
	f.answer(pathway.TaskPanelDecision, map[string]string{"outcome": "accept"})
	_, err := f.steps.RecordPanelOutcome(f.ctx, steps.PanelOutcomeInput{Invocation: f.enter("RecordPanelOutcome"),
		CoopID: f.coop, Round: 1, Decision: pathway.PanelDecision{Outcome: pathway.PanelAccept, By: "user-x"}})
	must(f.t, err)
	f.exec = "arn:aws:states:eu-west-2:123456789012:execution:registration:coop-holme"
	_, err = f.steps.BuildChecklist(f.ctx, steps.CoopInput{Invocation: f.enter("BuildChecklist"), CoopID: f.coop})
	must(f.t, err)
}

// verifyAll marks every required checklist item verified, as the agency does.
func (f *fixture) verifyAll() {
	f.t.Helper()
	items, err := f.store.ListChecklist(f.ctx, f.coop)
	must(f.t, err)
	for _, it := range items {
		if it.Required {
			it.Status = pathway.ItemVerified
			must(f.t, f.store.UpdateChecklistItem(f.ctx, it, nil))
		}
	}
}

func (f *fixture) toCQCReady() {
	f.t.Helper()
	f.toCQCPreparing()
	_, err := f.steps.OpenChecklistWait(f.ctx, f.taskInput("AwaitChecklist", 1, 0))
	must(f.t, err)
	f.verifyAll()
	_, err = f.steps.MarkCQCReady(f.ctx, steps.CoopInput{Invocation: f.enter("MarkCQCReady"), CoopID: f.coop})
	must(f.t, err)
}

func (f *fixture) toCQCSubmitted() *steps.SubmittedOutput {
	f.t.Helper()
	f.toCQCReady()
	_, err := f.steps.OpenSubmissionTask(f.ctx, f.taskInput("AwaitSubmission", 1, 0))
	must(f.t, err)
	f.answer(pathway.TaskCQCSubmission, map[string]string{"submittedOn": "2027-02-01"})
	out, err := f.steps.RecordSubmitted(f.ctx, steps.SubmittedInput{Invocation: f.enter("RecordSubmitted"), CoopID: f.coop,
		Submission: pathway.Submission{SubmittedOn: "2027-02-01"}})
	must(f.t, err)
	return out
}
