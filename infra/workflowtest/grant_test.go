package workflowtest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/infra/repotest"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantsteps"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders/tendersteps"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/workdays"
)

// Invented records of the grant journeys.
const (
	funder      = "org-example-fund"
	grantProg   = "start-up-grant"
	fundLead    = "user-fund-lead"
	grantCoop   = "coop-hillside-care"
	grantApp    = "ga-hillside-1"
	grantAmount = 800_000 // £8,000
)

// reviewers are the demo funder's staff who review (the lead does not).
var reviewers = []string{"user-fund-ria", "user-fund-sam", "user-fund-tao"}

// grantJourney is one grant application carried through the grant
// workflow by the local engine, with the tests doing what the service does
// on each answer (grantstore.Declare, PutReview, Award, Decline, Pay, then
// the task completed and its token answered).
type grantJourney struct {
	t      *testing.T
	ctx    context.Context
	clock  *states.FakeClock
	engine *states.Engine
	store  *store.Store
	grants *grantstore.Store
	steps  *steps.Steps // the registration steps, releasing CQC triggers
	outbox *outbox.Outbox
}

func newGrantJourney(t *testing.T, amount int64) *grantJourney {
	t.Helper()
	st, tbl := testkit.Open(t, testkit.IndexLag)
	j := &grantJourney{t: t, ctx: context.Background(), clock: states.NewFakeClock(t0), store: st, grants: grantstore.New(tbl)}
	e, err := states.New(states.Options{Clock: j.clock})
	j.must(err)
	t.Cleanup(func() { _ = e.Close() })
	gs := grantsteps.New(st, j.grants, j.clock.Now)
	j.steps = steps.New(st, j.clock.Now).OnRegistered(gs.ReleaseCQC)
	for id, fn := range steps.Handlers(j.steps) {
		e.RegisterHandler(id, states.TypedHandler(fn))
	}
	for id, fn := range grantsteps.Handlers(gs) {
		e.RegisterHandler(id, states.TypedHandler(fn))
	}
	for id, fn := range tendersteps.Handlers(tendersteps.New(st, tenderstore.New(tbl), workdays.Calculate, j.clock.Now)) {
		e.RegisterHandler(id, states.TypedHandler(fn))
	}
	j.must(e.LoadTemplate(filepath.Join(repotest.Root(t), "template.yaml")))
	j.engine = e
	j.outbox = outbox.New(st, localsfn.New(e), j.clock.Now, nil)
	j.seed(amount)
	return j
}

func (j *grantJourney) must(err error) {
	j.t.Helper()
	if err != nil {
		j.t.Fatal(err)
	}
}

// seed stores the funder, its lead and reviewers, a co-op waiting for
// CQC's decision, a programme and a submitted application, and starts the
// workflow as the outbox does.
func (j *grantJourney) seed(amount int64) {
	j.t.Helper()
	ctx := j.ctx
	j.must(j.store.PutOrganisation(ctx, &pathway.Organisation{ID: funder, Name: "Example Community Fund", Kind: pathway.OrgFunder}))
	j.must(j.store.PutUser(ctx, &pathway.User{ID: fundLead, Name: "Lee Example", Role: pathway.RoleFunder, Organisation: funder, Lead: true}))
	for _, r := range reviewers {
		j.must(j.store.PutUser(ctx, &pathway.User{ID: r, Name: "Reviewer " + r[10:], Role: pathway.RoleFunder, Organisation: funder}))
	}
	j.must(j.store.PutOrganisation(ctx, &pathway.Organisation{ID: agency, Name: "Moorside Co-op Development", Kind: pathway.OrgAgency}))
	j.must(j.store.PutProgramme(ctx, &pathway.Programme{ID: programme, Name: "Moorside Start-up", Agency: agency,
		Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	c := &pathway.Coop{ID: grantCoop, Name: "Hillside Home Care Co-op", Programme: programme,
		LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart, LocalAuthority: "Calderdale",
		Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
		Members:  []pathway.Member{{Name: "Ash Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Founders: []string{founder}, Stage: pathway.StageCQCSubmitted, StageEnteredAt: t0, CreatedAt: t0, UpdatedAt: t0}
	j.must(j.store.CreateCoop(ctx, c, nil, nil))
	p := &grants.Programme{ID: grantProg, Name: "Start-up Grant", Funder: funder, Budget: 5_000_000,
		MinAward: 100_000, MaxAward: 1_000_000, OpensOn: "2027-01-01", ClosesOn: "2027-12-31",
		Criteria: []grants.Criterion{{ID: "need", Name: "Need", Weight: 60}, {ID: "plan", Name: "Plan", Weight: 40}},
		Scale:    grants.DefaultScale, ReviewersPerApplication: 2,
		Schedule: []grants.ScheduleShare{{Share: 50, Trigger: grants.TriggerAgreement}, {Share: 50, Trigger: grants.TriggerCQCRegistered}}}
	j.must(j.grants.PutProgramme(ctx, p, t0))
	a := &grants.Application{ID: grantApp, Programme: grantProg, Funder: funder, Coop: grantCoop, Applicant: founder,
		Title: "Training our first carers", Purpose: "Training and CQC preparation.", Amount: amount,
		Budget: []grants.BudgetLine{{Item: "Training", Amount: amount}}, Status: grants.StatusSubmitted, Attempt: 1,
		CreatedAt: t0, UpdatedAt: t0, SubmittedAt: t0}
	j.must(j.grants.CreateApplication(ctx, a, nil))
	_, err := j.engine.StartExecution(ctx, states.StartExecutionInput{StateMachine: pathway.WorkflowGrant,
		Name: "grant-" + grantApp, Input: json.RawMessage(`{"application":"` + grantApp + `"}`)})
	j.must(err)
	j.engine.WaitIdle()
}

// later lets d pass, firing the workflow's timers on the way.
func (j *grantJourney) later(d time.Duration) {
	j.engine.WaitIdle()
	j.clock.Advance(d)
	j.engine.WaitIdle()
}

// sweep sends what the outbox holds, as the API does every minute.
func (j *grantJourney) sweep() {
	j.t.Helper()
	j.engine.WaitIdle()
	_, err := j.outbox.Sweep(j.ctx, true)
	j.must(err)
	j.engine.WaitIdle()
}

func (j *grantJourney) app() *grants.Application {
	j.t.Helper()
	a, err := j.grants.GetApplication(j.ctx, grantApp)
	j.must(err)
	return a
}

func (j *grantJourney) expectApp(status string) *grants.Application {
	j.t.Helper()
	a := j.app()
	if a.Status != status {
		j.t.Fatalf("application is %q, want %q\n%s", a.Status, status, j.history())
	}
	return a
}

func (j *grantJourney) execution() *states.Execution {
	j.t.Helper()
	all, err := j.engine.ListExecutions(j.ctx, pathway.WorkflowGrant, "")
	j.must(err)
	for _, ex := range all {
		if ex.Name == "grant-"+grantApp {
			return ex
		}
	}
	j.t.Fatal("no grant execution")
	return nil
}

func (j *grantJourney) expectExec(want string) {
	j.t.Helper()
	if ex := j.execution(); ex.Status != want {
		j.t.Fatalf("grant execution is %s (%s: %s), want %s\n%s", ex.Status, ex.Error, ex.Cause, want, j.history())
	}
}

func (j *grantJourney) history() string {
	events, err := j.engine.GetExecutionHistory(j.ctx, j.execution().ARN)
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

// open returns the application's open tasks of the kind.
func (j *grantJourney) open(kind string) []*pathway.Task {
	j.t.Helper()
	all, err := j.store.ListTasks(j.ctx, pathway.TaskFilter{Subject: grants.Subject(grantApp)})
	j.must(err)
	var out []*pathway.Task
	for _, t := range all {
		if t.Kind == kind {
			out = append(out, t)
		}
	}
	return out
}

// openOne returns the one open task of the kind.
func (j *grantJourney) openOne(kind string) *pathway.Task {
	j.t.Helper()
	ts := j.open(kind)
	if len(ts) != 1 {
		j.t.Fatalf("%d open %s tasks, want 1: %v\n%s", len(ts), kind, ids(ts), j.history())
	}
	return ts[0]
}

// answer completes the task an hour later and sends its answer, as the
// service does (directly here rather than through the outbox).
func (j *grantJourney) answer(task *pathway.Task, by string, output any) {
	j.t.Helper()
	j.later(time.Hour)
	body, err := json.Marshal(output)
	j.must(err)
	_, err = j.store.CompleteTask(j.ctx, task.ID, pathway.TaskCompletion{By: by, At: j.clock.Now(), Status: pathway.TaskCompleted, Outcome: body})
	j.must(err)
	j.must(j.engine.SendTaskSuccess(j.ctx, task.Token, body))
	j.engine.WaitIdle()
}

// reviewer returns the assigned reviewer's open review task.
func (j *grantJourney) reviewTask() *pathway.Task {
	j.t.Helper()
	t := j.openOne(grants.TaskReview)
	if t.User == "" || t.Role != pathway.RoleFunder || t.Organisation != funder || t.CoopName != "Hillside Home Care Co-op" {
		j.t.Fatalf("review task %+v is not one reviewer's of the funder", t)
	}
	return t
}

// conflict has the assigned reviewer declare a conflict.
func (j *grantJourney) conflict() string {
	j.t.Helper()
	t := j.reviewTask()
	_, err := j.grants.Declare(j.ctx, &grants.Declaration{Application: grantApp, Reviewer: t.User, Conflict: true,
		Reason: "I am a member of the co-op.", At: j.clock.Now()}, nil)
	j.must(err)
	j.answer(t, t.User, map[string]any{"conflict": true, "reason": "I am a member of the co-op."})
	return t.User
}

// review has the assigned reviewer declare no conflict and score.
func (j *grantJourney) review(need, plan int) string {
	j.t.Helper()
	t := j.reviewTask()
	_, err := j.grants.Declare(j.ctx, &grants.Declaration{Application: grantApp, Reviewer: t.User, At: j.clock.Now()}, nil)
	j.must(err)
	ans := grants.ReviewAnswer{Scores: map[string]int{"need": need, "plan": plan},
		Comments: map[string]string{"need": "Clear need."}, Recommendation: grants.RecommendAward}
	_, err = j.grants.PutReview(j.ctx, &grants.Review{Application: grantApp, Reviewer: t.User, Scores: ans.Scores,
		Comments: ans.Comments, Recommendation: ans.Recommendation, At: j.clock.Now()}, nil)
	j.must(err)
	j.answer(t, t.User, ans)
	return t.User
}

// award has the lead award the tranches, with reports due on the days.
func (j *grantJourney) award(tranches []grants.TrancheAnswer, reports ...string) {
	j.t.Helper()
	task := j.openOne(grants.TaskDecision)
	if task.Role != pathway.RoleFunderLead {
		j.t.Fatalf("decision task for %q, want the funder's lead", task.Role)
	}
	d := grants.DecisionAnswer{Outcome: grants.OutcomeAward, Amount: grantAmount, Conditions: []string{"Send the training records."},
		Tranches: tranches, Feedback: "A strong plan.", Reports: reports}
	a := j.app()
	p, err := j.grants.GetProgramme(j.ctx, grantProg)
	j.must(err)
	aw, err := grants.NewAward(a, p, &d, fundLead, false, j.clock.Now())
	j.must(err)
	j.must(grants.Move(a, grants.StatusAwarded, j.clock.Now()))
	a.Award, a.Feedback, a.Reports = aw, d.Feedback, grants.NewReports(d.Reports...) // as the service does
	j.must(j.grants.Award(j.ctx, a, nil))
	j.answer(task, fundLead, d)
}

// pay has the funder record the tranche's payment.
func (j *grantJourney) pay(tranche string) {
	j.t.Helper()
	var task *pathway.Task
	for _, t := range j.open(grants.TaskPayment) {
		if strings.Contains(t.ID, "."+tranche+".") {
			task = t
		}
	}
	if task == nil {
		j.t.Fatalf("no payment task for tranche %s: %v\n%s", tranche, ids(j.open(grants.TaskPayment)), j.history())
	}
	ans := grants.PaymentAnswer{PaidOn: grants.Today(j.clock.Now()), Reference: "PAY-" + tranche}
	a := j.app()
	j.must(grants.Pay(a, tranche, &ans))
	j.must(j.grants.Pay(j.ctx, a, tranche, nil))
	j.answer(task, "user-fund-ria", ans)
}

// payable returns the tranches with an open payment task, sorted.
func (j *grantJourney) payable() []string {
	var out []string
	for _, t := range j.open(grants.TaskPayment) {
		out = append(out, strings.Split(strings.TrimPrefix(t.ID, grantApp+"."+grants.TaskPayment+"."), ".")[0])
	}
	slices.Sort(out)
	return out
}

func (j *grantJourney) expectPayable(want ...string) {
	j.t.Helper()
	if got := j.payable(); !slices.Equal(got, want) {
		j.t.Fatalf("payment tasks for %v, want %v\n%s", got, want, j.history())
	}
}

// count returns how many of the application's events have the action.
func (j *grantJourney) count(action string) int {
	j.t.Helper()
	page, err := j.store.ListEvents(j.ctx, grants.Subject(grantApp), "", pathway.MaxPageSize)
	j.must(err)
	n := 0
	for _, e := range page.Events {
		if e.Action == action {
			n++
		}
	}
	return n
}

// twoReviews takes a screened application through two reviews.
func (j *grantJourney) twoReviews() {
	j.t.Helper()
	j.expectApp(grants.StatusInReview)
	first := j.review(4, 3)
	if second := j.review(5, 4); second == first {
		j.t.Fatalf("%s was asked to review twice", first)
	}
	j.expectApp(grants.StatusAwaitingDecision)
}

func TestGrantIneligible(t *testing.T) {
	j := newGrantJourney(t, 2_000_000) // £20,000: above the £10,000 most
	j.expectExec(states.ExecSucceeded)
	a := j.expectApp(grants.StatusIneligible)
	if len(a.Reasons) == 0 || a.Reasons[0].Rule != grants.RuleAmountRange {
		t.Errorf("reasons %+v, want the amount outside the range", a.Reasons)
	}
	if j.count(grants.ActionIneligible) != 1 || j.count(pathway.ActionNotificationSent) != 1 {
		t.Errorf("want one ineligible event and one notice to the founders")
	}
	if n := len(j.open(grants.TaskReview)); n != 0 {
		t.Errorf("%d review tasks for an ineligible application", n)
	}
}

func TestGrantConflictDeclaredAndReplaced(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	j.expectApp(grants.StatusInReview)
	excluded := j.conflict()
	next := j.reviewTask()
	if next.User == excluded {
		t.Fatalf("the reviewer who declared a conflict was assigned again")
	}
	if ok, _ := j.grants.IsExcluded(j.ctx, grantApp, excluded); !ok {
		t.Errorf("%s is not excluded after declaring a conflict", excluded)
	}
	j.review(4, 4)
	j.review(3, 5)
	j.expectApp(grants.StatusAwaitingDecision)
	if task := j.openOne(grants.TaskDecision); task.Role != pathway.RoleFunderLead || task.Organisation != funder {
		t.Errorf("decision task %+v, want the funder's lead's", task)
	}
}

func TestGrantNoReviewerLeftGoesToTheLead(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	j.conflict()
	j.conflict()
	j.review(4, 4) // the last reviewer; one more review is needed
	task := j.openOne(grantsteps.TaskNoReviewer)
	if task.Role != pathway.RoleFunderLead {
		t.Errorf("no-reviewer task for %q, want the funder's lead", task.Role)
	}
	if n := len(j.open(grants.TaskReview)); n != 0 {
		t.Errorf("%d review tasks with no reviewer left", n)
	}
	// The funder takes on a reviewer; the lead says to try again.
	j.must(j.store.PutUser(j.ctx, &pathway.User{ID: "user-fund-uma", Name: "Reviewer uma", Role: pathway.RoleFunder, Organisation: funder}))
	j.answer(task, fundLead, map[string]string{"outcome": "retry"})
	if r := j.review(3, 3); r != "user-fund-uma" {
		t.Errorf("assigned %s, want the new reviewer", r)
	}
	j.expectApp(grants.StatusAwaitingDecision)
}

func TestGrantReviewOverdueGoesToTheLead(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	first := j.reviewTask()
	j.later(grantsteps.ReviewDays*day - time.Minute)
	if n := len(j.open(grantsteps.TaskReviewOverdue)); n != 0 {
		t.Fatalf("escalated before the review was due")
	}
	j.later(2 * time.Minute)
	lead := j.openOne(grantsteps.TaskReviewOverdue)
	if lead.Role != pathway.RoleFunderLead {
		t.Errorf("overdue task for %q, want the funder's lead", lead.Role)
	}
	again := j.reviewTask()
	if again.User != first.User || again.ID == first.ID {
		t.Errorf("the overdue review was not re-opened for %s", first.User)
	}
	if j.count(grants.ActionReviewOverdue) != 1 {
		t.Errorf("no overdue event")
	}
	j.answer(lead, fundLead, map[string]string{"outcome": "reassign"})
	next := j.reviewTask()
	if next.User == first.User {
		t.Fatalf("the review stayed with the overdue reviewer")
	}
	if n := len(j.open(grantsteps.TaskReviewOverdue)); n != 0 {
		t.Errorf("the overdue task is still open")
	}
	j.review(4, 4)
	j.review(4, 2)
	j.expectApp(grants.StatusAwaitingDecision)
}

func TestGrantRejected(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	j.twoReviews()
	j.answer(j.openOne(grants.TaskDecision), fundLead, grants.DecisionAnswer{Outcome: grants.OutcomeReject, Feedback: "Not this round."})
	j.expectExec(states.ExecSucceeded)
	if a := j.expectApp(grants.StatusRejected); a.Feedback != "Not this round." {
		t.Errorf("feedback %q", a.Feedback)
	}
	if j.count(grants.ActionRejected) != 1 {
		t.Errorf("no rejected event")
	}
}

func TestGrantAwardedThenDeclined(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	j.twoReviews()
	j.award([]grants.TrancheAnswer{{Amount: grantAmount, Trigger: grants.TriggerAgreement}})
	j.expectApp(grants.StatusAwarded)
	task := j.openOne(grants.TaskAgreement)
	if task.Role != pathway.RoleFounder || task.Coop != grantCoop {
		t.Errorf("agreement task %+v, want the founders'", task)
	}
	if b, _ := j.grants.Budget(j.ctx, grantProg); b.Awarded != grantAmount {
		t.Fatalf("awarded %d, want %d", b.Awarded, grantAmount)
	}
	// The founders decline; the service would release the money, but here
	// it leaves it to the workflow, which must do it.
	j.answer(task, founder, grants.AgreementAnswer{Outcome: grants.AgreementDecline})
	j.expectExec(states.ExecSucceeded)
	j.expectApp(grants.StatusDeclined)
	if b, _ := j.grants.Budget(j.ctx, grantProg); b.Awarded != 0 || b.Remaining != 5_000_000 {
		t.Errorf("budget %+v after a decline, want nothing awarded", b)
	}
	if n := len(j.open(grants.TaskPayment)); n != 0 {
		t.Errorf("%d payment tasks after a decline", n)
	}
}

// TestGrantTranchesReportsAndClose takes an award with a tranche for each
// trigger through its payments and reports to its close: the agreement
// releases the first at once, a date the second, the co-op's CQC
// registration (the registration workflow's step) the third and an
// accepted report, after one was returned, the fourth.
func TestGrantTranchesReportsAndClose(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	j.twoReviews()
	payDay := t0.Add(30 * day).Format(time.DateOnly)
	r1 := t0.Add(60 * day).Format(time.DateOnly)
	r2 := t0.Add(90 * day).Format(time.DateOnly)
	j.award([]grants.TrancheAnswer{
		{Amount: 200_000, Trigger: grants.TriggerAgreement},
		{Amount: 200_000, Trigger: grants.TriggerDate, On: payDay},
		{Amount: 200_000, Trigger: grants.TriggerCQCRegistered},
		{Amount: 200_000, Trigger: grants.TriggerReport},
	}, r1, r2)
	j.answer(j.openOne(grants.TaskAgreement), founder, grants.AgreementAnswer{Outcome: grants.AgreementAccept})
	j.expectApp(grants.StatusActive)

	// By the agreement: t1 at once; the others wait.
	j.expectPayable("t1")
	wait := j.openOne(grantsteps.TaskWaitCQC)
	if wait.Organisation != "" || wait.User != "" {
		t.Errorf("the CQC wait %+v is in someone's inbox", wait)
	}
	j.openOne(grantsteps.TaskWaitReport)
	j.pay("t1")
	j.expectPayable()

	// By CQC registration, recorded by the registration workflow's step.
	_, err := j.steps.RecordDecision(j.ctx, steps.DecisionInput{
		Invocation: steps.Invocation{ExecutionID: "arn:registration:" + grantCoop, State: "RecordDecision", EnteredTime: j.clock.Now().Format(time.RFC3339Nano)},
		CoopID:     grantCoop, Decision: pathway.CQCDecision{Outcome: pathway.CQCRegistered, ProviderID: "1-234567890", By: founder}})
	j.must(err)
	if n := len(j.open(grantsteps.TaskWaitCQC)); n != 0 {
		t.Fatalf("the CQC wait is still open after the registration")
	}
	j.sweep() // the outbox sends the release
	j.expectPayable("t3")
	j.pay("t3")

	// By a date: not the day before, then on the day.
	j.later(t0.Add(29 * day).Sub(j.clock.Now()))
	j.expectPayable()
	j.later(day)
	j.expectPayable("t2")
	if got := j.app().Tranche("t2").Status; got != grants.TrancheDue {
		t.Errorf("tranche t2 is %q, want due", got)
	}

	// Report r1: its task opens two weeks before it is due, and again on the day.
	j.later(t0.Add(60*day - grantsteps.ReportRemind*day - 2*time.Hour).Sub(j.clock.Now()))
	if n := len(j.open(grants.TaskReport)); n != 0 {
		t.Fatalf("report task open more than two weeks before it is due")
	}
	j.later(12 * time.Hour)
	first := j.openOne(grants.TaskReport)
	if first.Role != pathway.RoleFounder {
		t.Errorf("report task for %q, want the founders", first.Role)
	}
	j.later(grantsteps.ReportRemind * day)
	reminder := j.openOne(grants.TaskReport)
	if reminder.ID == first.ID || !strings.Contains(reminder.Title, "due today") {
		t.Errorf("no reminder on the due day: %s %q", reminder.ID, reminder.Title)
	}
	sent := grants.ReportAnswer{Summary: "Six carers trained.", Figures: grants.Figures{PaidJobs: 6, CareHoursPerWeek: 120, PeopleSupported: 14}}
	j.answer(reminder, founder, sent)
	if got := j.app().Reports[0].Status; got != grants.ReportSent {
		t.Fatalf("report r1 is %q after sending, want sent", got)
	}
	// Returned, sent again, accepted.
	j.answer(j.openOne(grants.TaskReportReview), "user-fund-ria", grants.ReportReviewAnswer{Outcome: grants.ReportReviewReturned, Comment: "Add the hours by month."})
	if got := j.app().Reports[0].Status; got != grants.ReportReturned {
		t.Fatalf("report r1 is %q after return, want returned", got)
	}
	j.expectPayable("t2") // a returned report releases nothing
	j.answer(j.openOne(grants.TaskReport), founder, sent)
	j.answer(j.openOne(grants.TaskReportReview), "user-fund-ria", grants.ReportReviewAnswer{Outcome: grants.ReportReviewAccepted})
	j.sweep()
	j.expectPayable("t2", "t4")
	j.pay("t2")
	j.pay("t4")
	j.expectApp(grants.StatusActive)

	// The last report, accepted, closes the grant.
	j.later(t0.Add(90 * day).Sub(j.clock.Now()))
	j.answer(j.openOne(grants.TaskReport), founder, sent)
	j.answer(j.openOne(grants.TaskReportReview), "user-fund-ria", grants.ReportReviewAnswer{Outcome: grants.ReportReviewAccepted})
	j.expectExec(states.ExecSucceeded)
	j.expectApp(grants.StatusClosed)
	if b, _ := j.grants.Budget(j.ctx, grantProg); b.Paid != grantAmount || b.Awarded != grantAmount {
		t.Errorf("budget %+v, want all %d awarded and paid", b, grantAmount)
	}
	for _, action := range []string{grants.ActionTrancheDue, grants.ActionReportSent, grants.ActionReportReturned, grants.ActionReportAccepted, grants.ActionClosed} {
		if j.count(action) == 0 {
			t.Errorf("no %s event", action)
		}
	}
}

// registerWithCQC records CQC's registration of the co-op through the
// registration workflow's step, which releases the waiting tranches.
func (j *grantJourney) registerWithCQC() {
	j.t.Helper()
	_, err := j.steps.RecordDecision(j.ctx, steps.DecisionInput{
		Invocation: steps.Invocation{ExecutionID: "arn:registration:" + grantCoop, State: "RecordDecision", EnteredTime: j.clock.Now().Format(time.RFC3339Nano)},
		CoopID:     grantCoop, Decision: pathway.CQCDecision{Outcome: pathway.CQCRegistered, ProviderID: "1-234567890", By: founder}})
	j.must(err)
}

// acceptedWithCQCTranche takes the application to an accepted award of
// one tranche released by CQC registration.
func (j *grantJourney) acceptedWithCQCTranche() {
	j.t.Helper()
	j.twoReviews()
	j.award([]grants.TrancheAnswer{{Amount: grantAmount, Trigger: grants.TriggerCQCRegistered}})
	j.answer(j.openOne(grants.TaskAgreement), founder, grants.AgreementAnswer{Outcome: grants.AgreementAccept})
}

func TestGrantCQCTrancheOfARegisteredCoopIsReleasedAtOnce(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	j.registerWithCQC() // before the award: nothing waits yet
	j.acceptedWithCQCTranche()
	j.expectPayable("t1")
	if n := len(j.open(grantsteps.TaskWaitCQC)); n != 0 {
		t.Errorf("%d CQC waits for a registered co-op", n)
	}
	j.pay("t1")
	j.expectExec(states.ExecSucceeded)
	j.expectApp(grants.StatusClosed)
}

// TestGrantLostCQCReleaseIsFoundWithinAWeek registers the co-op without
// the release (as if the registration step's telling were lost): the
// wait looks again within WaitPollDays and releases the tranche itself.
func TestGrantLostCQCReleaseIsFoundWithinAWeek(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	j.acceptedWithCQCTranche()
	j.openOne(grantsteps.TaskWaitCQC)
	c, err := j.store.GetCoop(j.ctx, grantCoop)
	j.must(err)
	j.must(pathway.Move(c, pathway.StageCQCRegistered, j.clock.Now()))
	j.must(j.store.UpdateCoop(j.ctx, c, nil))
	j.later(day)
	j.expectPayable()
	j.later(grantsteps.WaitPollDays * day)
	j.expectPayable("t1")
}
