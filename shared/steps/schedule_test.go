package steps_test

// The timing and input rules of the workflow steps: when tasks fall due,
// when the wait for CQC's decision reminds and escalates, how rounds count,
// and which inputs a step refuses.

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

const day = 24 * time.Hour

// wantInvalid fails unless err is the workflow's Pathway.Invalid naming
// the field.
func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	var lerr messages.InvokeResponse_Error
	if !errors.As(err, &lerr) || lerr.Type != steps.ErrInvalid || !strings.Contains(lerr.Message, field+":") {
		t.Fatalf("error = %v; want %s naming %q", err, steps.ErrInvalid, field)
	}
}

// wantType fails unless err is the workflow error of the ASL name.
func wantType(t *testing.T, err error, name string) {
	t.Helper()
	var lerr messages.InvokeResponse_Error
	if !errors.As(err, &lerr) || lerr.Type != name {
		t.Fatalf("error = %v; want %s", err, name)
	}
}

// entered returns the time of the invocation's state entry.
func entered(t *testing.T, inv steps.Invocation) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, inv.EnteredTime)
	must(t, err)
	return at
}

// Rule: the panel has the programme's panel days, which the workflow's
// wait receives in seconds.
func TestValidateApplicationGivesThePanelDaysInSeconds(t *testing.T) {
	f := newFixture(t)
	out, err := f.steps.ValidateApplication(f.ctx, steps.CoopInput{Invocation: f.enter("ValidateApplication"), CoopID: f.coop})
	must(t, err)
	if out.PanelSeconds != 14*86400 || out.Agency != "org-cda" || out.Programme != "prog-start" {
		t.Fatalf("ValidateApplication = %+v; want 14 days in seconds for agency org-cda's programme", out)
	}
}

// Rule: a task falls due DueSeconds after its state was entered when the
// workflow says so, and after the programme's panel days when it does not.
func TestPanelTaskDue(t *testing.T) {
	for _, tc := range []struct {
		name       string
		dueSeconds int64
		want       time.Duration
	}{
		{"the workflow's timeout", 3600, time.Hour},
		{"the programme's panel days", 0, 14 * day},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.toAwaitingPanel()
			in := f.taskInput("AwaitPanelDecision", 2, tc.dueSeconds)
			out, err := f.steps.OpenPanelTask(f.ctx, in)
			must(t, err)
			want := entered(t, in.Invocation).Add(tc.want)
			if !out.Due.Equal(want) {
				t.Fatalf("due %v, want %v", out.Due, want)
			}
			open := f.openOf(pathway.TaskPanelDecision)
			if len(open) != 1 || !open[0].Due.Equal(want) {
				t.Fatalf("open panel tasks %+v; want one, due %v", open, want)
			}
		})
	}
}

// Rule: a step that opens a task needs the wait's token and refuses a
// negative round or timeout, naming each field.
func TestTaskInputIsChecked(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(in *steps.TaskInput)
	}{
		{"taskToken", func(in *steps.TaskInput) { in.TaskToken = "" }},
		{"round", func(in *steps.TaskInput) { in.Round = -1 }},
		{"dueSeconds", func(in *steps.TaskInput) { in.DueSeconds = -1 }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			f := newFixture(t)
			in := f.taskInput("AwaitPanelDecision", 1, 0)
			tc.edit(&in)
			_, err := f.steps.OpenPanelTask(f.ctx, in)
			wantInvalid(t, err, tc.field)
			if len(f.openTasks()) != 0 {
				t.Fatalf("a refused step opened tasks: %+v", f.openTasks())
			}
		})
	}
}

// Rule: an overdue panel decision goes to the agency's lead for a week;
// the panel's own task is re-opened with its original due date.
func TestEscalatePanelDates(t *testing.T) {
	f := newFixture(t)
	f.toAwaitingPanel()
	panelDue := f.openOf(pathway.TaskPanelDecision)[0].Due
	f.now = panelDue.Add(time.Hour)
	in := f.taskInput("EscalatePanel", 1, 0)
	_, err := f.steps.EscalatePanel(f.ctx, in)
	must(t, err)
	lead := f.openOf(pathway.TaskPanelEscalation)
	if want := entered(t, in.Invocation).Add(steps.EscalationDays * day); len(lead) != 1 || !lead[0].Due.Equal(want) {
		t.Fatalf("escalation tasks %+v; want one due %v", lead, want)
	}
	panel := f.openOf(pathway.TaskPanelDecision)
	if len(panel) != 1 || !panel[0].Due.Equal(panelDue) || panel[0].Token != in.TaskToken {
		t.Fatalf("panel tasks %+v; want one with the new token, still due %v", panel, panelDue)
	}
}

// Rule: the panel's rounds count from one; a deferral asks the next round.
func TestPanelOutcomeRounds(t *testing.T) {
	for _, tc := range []struct {
		name      string
		outcome   string
		round     int
		wantRound int
		wantStage string
	}{
		{"accept, round not given", pathway.PanelAccept, 0, 1, pathway.StageCQCPreparing},
		{"accept in round 2", pathway.PanelAccept, 2, 2, pathway.StageCQCPreparing},
		{"defer, round not given", pathway.PanelDefer, 0, 2, pathway.StageAwaitingPanel},
		{"defer in round 2", pathway.PanelDefer, 2, 3, pathway.StageAwaitingPanel},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.toAwaitingPanel()
			out, err := f.steps.RecordPanelOutcome(f.ctx, steps.PanelOutcomeInput{Invocation: f.enter("RecordPanelOutcome"),
				CoopID: f.coop, Round: tc.round, Decision: pathway.PanelDecision{Outcome: tc.outcome, By: "user-x"}})
			must(t, err)
			if out.Round != tc.wantRound || out.Stage != tc.wantStage || out.Outcome != tc.outcome {
				t.Fatalf("RecordPanelOutcome = %+v; want round %d at %s", out, tc.wantRound, tc.wantStage)
			}
		})
	}
	t.Run("negative round", func(t *testing.T) {
		f := newFixture(t)
		f.toAwaitingPanel()
		_, err := f.steps.RecordPanelOutcome(f.ctx, steps.PanelOutcomeInput{Invocation: f.enter("RecordPanelOutcome"),
			CoopID: f.coop, Round: -1, Decision: pathway.PanelDecision{Outcome: pathway.PanelAccept, By: "user-x"}})
		wantInvalid(t, err, "round")
		if c := f.coopNow(); c.Stage != pathway.StageAwaitingPanel {
			t.Fatalf("stage %s after a refused outcome", c.Stage)
		}
	})
}

// Rule: an application is ended as ineligible only with its reasons.
func TestRecordIneligibleNeedsReasons(t *testing.T) {
	f := newFixture(t)
	_, err := f.steps.RecordIneligible(f.ctx, steps.ReasonsInput{Invocation: f.enter("RecordIneligible"), CoopID: f.coop})
	wantInvalid(t, err, "reasons")
	if c := f.coopNow(); c.Stage != pathway.StageApplied {
		t.Fatalf("stage %s, want applied", c.Stage)
	}
}

// Rule: after the founders apply to CQC, the founders are reminded 10
// weeks after the date they submitted and the lead is asked 26 weeks
// after it; a date already passed when the submission is recorded late
// becomes an hour from now (reminder) or a day after the reminder
// (escalation).
func TestCQCScheduleAfterSubmission(t *testing.T) {
	submitted := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name         string
		recordedAt   time.Time
		wantRemind   time.Duration // from the recording
		wantEscalate time.Duration // from the reminder
	}{
		{"recorded the next day", submitted.Add(day + 10*time.Hour),
			70*day - (day + 10*time.Hour), (182 - 70) * day},
		{"recorded after the reminder date", submitted.Add(100 * day),
			time.Hour, 182*day - (100*day + time.Hour)},
		{"recorded after both dates", submitted.Add(200 * day),
			time.Hour, day},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.toCQCReady()
			f.now = tc.recordedAt
			inv := steps.Invocation{ExecutionID: f.exec, State: "RecordSubmitted", EnteredTime: f.now.Format(time.RFC3339Nano)}
			out, err := f.steps.RecordSubmitted(f.ctx, steps.SubmittedInput{Invocation: inv, CoopID: f.coop,
				Submission: pathway.Submission{SubmittedOn: "2027-04-01", By: "user-wren"}})
			must(t, err)
			want := steps.CQCSchedule{Round: 1, RemindSeconds: int64(tc.wantRemind / time.Second),
				EscalateSeconds: int64(tc.wantEscalate / time.Second)}
			if out.CQCSchedule != want || out.Stage != pathway.StageCQCSubmitted || out.SubmittedOn != "2027-04-01" {
				t.Fatalf("RecordSubmitted = %+v; want %+v at cqc-submitted", out, want)
			}
		})
	}
}

// Rule: CQC's decision moves the co-op by its outcome; a registration
// stores the provider ID; a notice of proposal to refuse asks again in the
// next round, reminding after the 28 days for representations and
// escalating 12 weeks after the notice.
func TestRecordDecision(t *testing.T) {
	for _, tc := range []struct {
		name      string
		decision  pathway.CQCDecision
		round     int
		wantStage string
		wantSched steps.CQCSchedule
	}{
		{"registered", pathway.CQCDecision{Outcome: pathway.CQCRegistered, ProviderID: "1-101234567"}, 0,
			pathway.StageCQCRegistered, steps.CQCSchedule{Round: 1}},
		{"refused in round 2", pathway.CQCDecision{Outcome: pathway.CQCRefused}, 2,
			pathway.StageCQCRefused, steps.CQCSchedule{Round: 2}},
		{"proposal to refuse", pathway.CQCDecision{Outcome: pathway.CQCProposalToRefuse}, 1,
			pathway.StageCQCProposalToRefuse, steps.CQCSchedule{Round: 2,
				RemindSeconds: int64(pathway.RepresentationsDays * 86400), EscalateSeconds: int64((84 - pathway.RepresentationsDays) * 86400)}},
		{"proposal to refuse, round not given", pathway.CQCDecision{Outcome: pathway.CQCProposalToRefuse}, 0,
			pathway.StageCQCProposalToRefuse, steps.CQCSchedule{Round: 2,
				RemindSeconds: int64(pathway.RepresentationsDays * 86400), EscalateSeconds: int64((84 - pathway.RepresentationsDays) * 86400)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.toCQCSubmitted()
			tc.decision.By = "user-x"
			out, err := f.steps.RecordDecision(f.ctx, steps.DecisionInput{Invocation: f.enter("RecordDecision"), CoopID: f.coop,
				Round: tc.round, Decision: tc.decision})
			must(t, err)
			if out.Stage != tc.wantStage || out.CQCSchedule != tc.wantSched || out.Outcome != tc.decision.Outcome {
				t.Fatalf("RecordDecision = %+v; want %s with %+v", out, tc.wantStage, tc.wantSched)
			}
			if c := f.coopNow(); c.Stage != tc.wantStage || c.ProviderID != tc.decision.ProviderID {
				t.Fatalf("co-op at %s with provider ID %q; want %s, %q", c.Stage, c.ProviderID, tc.wantStage, tc.decision.ProviderID)
			}
		})
	}
	t.Run("negative round", func(t *testing.T) {
		f := newFixture(t)
		f.toCQCSubmitted()
		_, err := f.steps.RecordDecision(f.ctx, steps.DecisionInput{Invocation: f.enter("RecordDecision"), CoopID: f.coop,
			Round: -1, Decision: pathway.CQCDecision{Outcome: pathway.CQCRefused, By: "user-x"}})
		wantInvalid(t, err, "round")
	})
	t.Run("provider ID missing", func(t *testing.T) {
		f := newFixture(t)
		f.toCQCSubmitted()
		_, err := f.steps.RecordDecision(f.ctx, steps.DecisionInput{Invocation: f.enter("RecordDecision"), CoopID: f.coop,
			Decision: pathway.CQCDecision{Outcome: pathway.CQCRegistered, By: "user-x"}})
		wantInvalid(t, err, "decision.providerId")
		if c := f.coopNow(); c.Stage != pathway.StageCQCSubmitted {
			t.Fatalf("stage %s after a refused decision", c.Stage)
		}
	})
}

// Rule: the decision tasks (founders' and agency's) fall due 10 weeks
// after the wait starts unless the workflow says when; the "remind" phase
// also reminds the founders, and any other phase is refused.
func TestOpenDecisionTask(t *testing.T) {
	f := newFixture(t)
	f.toCQCSubmitted()
	in := steps.DecisionTaskInput{TaskInput: f.taskInput("AwaitDecision", 1, 0), Phase: "open"}
	out, err := f.steps.OpenDecisionTask(f.ctx, in)
	must(t, err)
	if want := entered(t, in.Invocation).Add(70 * day); !out.Due.Equal(want) || len(out.TaskIDs) != 2 {
		t.Fatalf("OpenDecisionTask = %+v; want two tasks due %v", out, want)
	}
	reminders := func() int {
		n := 0
		for _, e := range f.events() {
			if e.Action == pathway.ActionCQCReminder {
				n++
			}
		}
		return n
	}
	if n := reminders(); n != 0 {
		t.Fatalf("the open phase recorded %d reminders", n)
	}
	remind := steps.DecisionTaskInput{TaskInput: f.taskInput("AwaitDecisionAfterReminder", 1, 3600), Phase: "remind"}
	out, err = f.steps.OpenDecisionTask(f.ctx, remind)
	must(t, err)
	if want := entered(t, remind.Invocation).Add(time.Hour); !out.Due.Equal(want) {
		t.Fatalf("due %v, want %v", out.Due, want)
	}
	if n := reminders(); n != 1 {
		t.Fatalf("the remind phase recorded %d reminders, want 1", n)
	}
	bad := steps.DecisionTaskInput{TaskInput: f.taskInput("AwaitDecision", 1, 0), Phase: "later"}
	_, err = f.steps.OpenDecisionTask(f.ctx, bad)
	wantInvalid(t, err, "phase")
}

// Rule: a long-overdue CQC decision goes to the agency's lead for a week
// from the escalation, and the decision tasks are re-opened.
func TestEscalateDecisionDates(t *testing.T) {
	f := newFixture(t)
	f.toCQCSubmitted()
	_, err := f.steps.OpenDecisionTask(f.ctx, steps.DecisionTaskInput{TaskInput: f.taskInput("AwaitDecision", 1, 0), Phase: "open"})
	must(t, err)
	in := f.taskInput("EscalateDecision", 1, 0)
	out, err := f.steps.EscalateDecision(f.ctx, in)
	must(t, err)
	at := entered(t, in.Invocation)
	lead := f.openOf(pathway.TaskCQCEscalation)
	if len(lead) != 1 || !lead[0].Due.Equal(at.Add(steps.EscalationDays*day)) {
		t.Fatalf("escalation tasks %+v; want one due a week after %v", lead, at)
	}
	decisions, want := f.openOf(pathway.TaskCQCDecision), at.Add(4*steps.EscalationDays*day)
	if len(decisions) != 2 || len(out.TaskIDs) != 3 {
		t.Fatalf("EscalateDecision = %+v, decision tasks %+v; want two decision tasks and the lead's", out, decisions)
	}
	for _, d := range decisions {
		if !d.Due.Equal(want) || d.Token != in.TaskToken {
			t.Fatalf("decision task %+v; want it due %v with the new token", d, want)
		}
	}
}

// Rule: an application that failed screening ends at the ineligible
// stage, its reasons kept in the trail, and the founders are told why.
func TestRecordIneligibleEndsTheApplication(t *testing.T) {
	f := newFixture(t)
	reasons := []string{"The co-op must be in England.", "The co-op needs at least 2 founders."}
	out, err := f.steps.RecordIneligible(f.ctx, steps.ReasonsInput{Invocation: f.enter("RecordIneligible"), CoopID: f.coop, Reasons: reasons})
	must(t, err)
	if out == nil || out.Stage != pathway.StageIneligible || f.coopNow().Stage != pathway.StageIneligible {
		t.Fatalf("RecordIneligible = %+v; want the co-op ineligible", out)
	}
	var found bool
	for _, e := range f.events() {
		if e.Action == pathway.ActionApplicationIneligible {
			found = e.Data["reasons"] == strings.Join(reasons, "\n")
		}
	}
	if !found {
		t.Fatalf("no ineligible event with the reasons: %+v", f.events())
	}
}

// Rule: the panel's reasons go into its decision's line in the trail, with
// the outcome; an answer without notes records none.
func TestPanelOutcomeKeepsTheNotes(t *testing.T) {
	for _, tc := range []struct {
		outcome, notes, action string
	}{
		{pathway.PanelDecline, "Too few members to cover the rota.", pathway.ActionPanelDeclined},
		{pathway.PanelAccept, "", pathway.ActionPanelAccepted},
	} {
		t.Run(tc.outcome, func(t *testing.T) {
			f := newFixture(t)
			f.toAwaitingPanel()
			_, err := f.steps.RecordPanelOutcome(f.ctx, steps.PanelOutcomeInput{Invocation: f.enter("RecordPanelOutcome"),
				CoopID: f.coop, Decision: pathway.PanelDecision{Outcome: tc.outcome, Notes: tc.notes, By: "user-x"}})
			must(t, err)
			for _, e := range f.events() {
				if e.Action != tc.action {
					continue
				}
				notes, has := e.Data["notes"]
				if e.Data["outcome"] != tc.outcome || has != (tc.notes != "") || notes != tc.notes {
					t.Fatalf("event data %v; want outcome %s and notes %q", e.Data, tc.outcome, tc.notes)
				}
				return
			}
			t.Fatalf("no %s event", tc.action)
		})
	}
}
