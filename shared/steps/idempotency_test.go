package steps_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// snapshot is what a second run of a step must leave unchanged.
type snapshot struct {
	events  []string
	tasks   []string // open task IDs with their tokens
	kinds   []string // the open tasks' kinds, sorted
	version int
	items   int
	stage   string
	failure string
}

func (f *fixture) snapshot() snapshot {
	var s snapshot
	for _, e := range f.events() {
		s.events = append(s.events, e.ID+" "+e.Action)
	}
	for _, t := range f.openTasks() {
		s.tasks = append(s.tasks, t.ID+" "+t.Token+" "+t.Status)
		s.kinds = append(s.kinds, t.Kind)
	}
	slices.Sort(s.tasks)
	slices.Sort(s.kinds)
	c := f.coopNow()
	s.version, s.stage, s.failure = c.Version, c.Stage, c.Failure
	items, err := f.store.ListChecklist(f.ctx, f.coop)
	must(f.t, err)
	s.items = len(items)
	return s
}

// effect is what a step's first run must leave: the actions of the
// events it added, in order; the kinds of the co-op's open tasks
// afterwards; and its stage. A step that stopped after its first write
// would leave less.
type effect struct {
	actions []string
	tasks   []string
	stage   string
}

// newActions returns the actions of the events in after and not before.
func newActions(before, after snapshot) []string {
	var out []string
	for _, e := range after.events {
		if !slices.Contains(before.events, e) {
			_, action, _ := strings.Cut(e, " ")
			out = append(out, action)
		}
	}
	return out
}

// TestStepsAreIdempotent runs every step twice with the same input, as Step
// Functions may: the first run must do the whole of the step (every event,
// task and stage change, so a step that stops half way fails here); the
// second must return the same output and record no second event, task,
// checklist item or co-op update.
func TestStepsAreIdempotent(t *testing.T) {
	const (
		sent      = pathway.ActionNotificationSent
		panel     = pathway.TaskPanelDecision
		decision  = pathway.TaskCQCDecision
		applied   = pathway.StageApplied
		awaiting  = pathway.StageAwaitingPanel
		preparing = pathway.StageCQCPreparing
		ready     = pathway.StageCQCReady
		submitted = pathway.StageCQCSubmitted
	)
	tests := []struct {
		name string
		// prepare brings the co-op to where the step runs and returns the
		// step called with one fixed input.
		prepare func(f *fixture) func() (any, error)
		// readOnly steps change nothing even the first time.
		readOnly bool
		// want is the first run's effect (unused for readOnly steps).
		want effect
	}{
		{"ValidateApplication", func(f *fixture) func() (any, error) {
			in := steps.CoopInput{Invocation: f.enter("ValidateApplication"), CoopID: f.coop}
			return func() (any, error) { return f.steps.ValidateApplication(f.ctx, in) }
		}, true, effect{}},
		{"ScreenEligibility", func(f *fixture) func() (any, error) {
			in := steps.CoopInput{Invocation: f.enter("ScreenEligibility"), CoopID: f.coop}
			return func() (any, error) { return f.steps.ScreenEligibility(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionApplicationScreened}, nil, applied}},
		{"RecordIneligible", func(f *fixture) func() (any, error) {
			in := steps.ReasonsInput{Invocation: f.enter("RecordIneligible"), CoopID: f.coop, Reasons: []string{"Too few founders."}}
			return func() (any, error) { return f.steps.RecordIneligible(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionApplicationIneligible, sent}, nil, pathway.StageIneligible}},
		{"OpenPanelTask", func(f *fixture) func() (any, error) {
			in := f.taskInput("AwaitPanelDecision", 1, 14*86400)
			return func() (any, error) { return f.steps.OpenPanelTask(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionPanelAwaiting, sent}, []string{panel}, awaiting}},
		{"EscalatePanel", func(f *fixture) func() (any, error) {
			f.toAwaitingPanel()
			in := f.taskInput("EscalateOverduePanel", 1, 0)
			return func() (any, error) { return f.steps.EscalatePanel(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionPanelOverdue, sent}, []string{panel, pathway.TaskPanelEscalation}, awaiting}},
		{"RecordPanelOutcome accept", func(f *fixture) func() (any, error) {
			f.toAwaitingPanel()
			in := steps.PanelOutcomeInput{Invocation: f.enter("RecordPanelOutcome"), CoopID: f.coop, Round: 1,
				Decision: pathway.PanelDecision{Outcome: pathway.PanelAccept}}
			return func() (any, error) { return f.steps.RecordPanelOutcome(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionPanelAccepted, sent}, nil, preparing}},
		{"RecordPanelOutcome defer", func(f *fixture) func() (any, error) {
			f.toAwaitingPanel()
			in := steps.PanelOutcomeInput{Invocation: f.enter("RecordPanelOutcome"), CoopID: f.coop, Round: 1,
				Decision: pathway.PanelDecision{Outcome: pathway.PanelDefer}}
			return func() (any, error) { return f.steps.RecordPanelOutcome(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionPanelDeferred, sent}, nil, awaiting}},
		{"BuildChecklist", func(f *fixture) func() (any, error) {
			f.toAwaitingPanel()
			in := steps.CoopInput{Invocation: f.enter("BuildChecklist"), CoopID: f.coop}
			return func() (any, error) { return f.steps.BuildChecklist(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionChecklistBuilt, sent}, []string{panel}, preparing}},
		{"OpenChecklistWait", func(f *fixture) func() (any, error) {
			f.toCQCPreparing()
			in := f.taskInput("AwaitChecklist", 1, 0)
			return func() (any, error) { return f.steps.OpenChecklistWait(f.ctx, in) }
		}, false, effect{nil, []string{pathway.TaskChecklist}, preparing}},
		{"MarkCQCReady", func(f *fixture) func() (any, error) {
			f.toCQCPreparing()
			f.verifyAll()
			in := steps.CoopInput{Invocation: f.enter("MarkCQCReady"), CoopID: f.coop}
			return func() (any, error) { return f.steps.MarkCQCReady(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionChecklistVerified, sent}, nil, ready}},
		{"OpenSubmissionTask", func(f *fixture) func() (any, error) {
			f.toCQCReady()
			in := f.taskInput("AwaitSubmission", 1, 0)
			return func() (any, error) { return f.steps.OpenSubmissionTask(f.ctx, in) }
		}, false, effect{nil, []string{pathway.TaskCQCSubmission}, ready}},
		{"RecordSubmitted", func(f *fixture) func() (any, error) {
			f.toCQCReady()
			in := steps.SubmittedInput{Invocation: f.enter("RecordSubmitted"), CoopID: f.coop,
				Submission: pathway.Submission{SubmittedOn: "2027-01-30"}}
			return func() (any, error) { return f.steps.RecordSubmitted(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionCQCSubmitted}, nil, submitted}},
		{"OpenDecisionTask remind", func(f *fixture) func() (any, error) {
			f.toCQCSubmitted()
			in := steps.DecisionTaskInput{TaskInput: f.taskInput("AwaitCQCDecisionAfterReminder", 1, 3600), Phase: "remind"}
			return func() (any, error) { return f.steps.OpenDecisionTask(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionCQCReminder, sent}, []string{decision, decision}, submitted}},
		{"EscalateDecision", func(f *fixture) func() (any, error) {
			f.toCQCSubmitted()
			in := f.taskInput("EscalateOverdueCQCDecision", 1, 0)
			return func() (any, error) { return f.steps.EscalateDecision(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionCQCOverdue, sent}, []string{decision, decision, pathway.TaskCQCEscalation}, submitted}},
		{"RecordDecision proposal-to-refuse", func(f *fixture) func() (any, error) {
			f.toCQCSubmitted()
			in := steps.DecisionInput{Invocation: f.enter("RecordCQCDecision"), CoopID: f.coop, Round: 1,
				Decision: pathway.CQCDecision{Outcome: pathway.CQCProposalToRefuse}}
			return func() (any, error) { return f.steps.RecordDecision(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionCQCProposalToRefuse, sent, sent}, nil, pathway.StageCQCProposalToRefuse}},
		{"RecordDecision registered", func(f *fixture) func() (any, error) {
			f.toCQCSubmitted()
			in := steps.DecisionInput{Invocation: f.enter("RecordCQCDecision"), CoopID: f.coop, Round: 1,
				Decision: pathway.CQCDecision{Outcome: pathway.CQCRegistered, ProviderID: "1-234567890"}}
			return func() (any, error) { return f.steps.RecordDecision(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionCQCRegistered, sent, sent}, nil, pathway.StageCQCRegistered}},
		{"RecordFailure", func(f *fixture) func() (any, error) {
			in := steps.FailureInput{Invocation: f.enter("RecordFailure"), CoopID: f.coop,
				Failure: steps.Failure{Error: "Pathway.Internal", Cause: "boom"}}
			return func() (any, error) { return f.steps.RecordFailure(f.ctx, in) }
		}, false, effect{[]string{pathway.ActionWorkflowFailed, sent}, nil, applied}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			run := tt.prepare(f)
			before := f.snapshot()
			first, err := run()
			must(t, err)
			after := f.snapshot()
			if reflect.DeepEqual(before, after) != tt.readOnly {
				t.Fatalf("first run: before %+v, after %+v; read-only %v", before, after, tt.readOnly)
			}
			if !tt.readOnly {
				got := effect{newActions(before, after), after.kinds, after.stage}
				if !slices.Equal(got.actions, tt.want.actions) || !slices.Equal(got.tasks, tt.want.tasks) || got.stage != tt.want.stage {
					t.Fatalf("first run did %+v, want %+v", got, tt.want)
				}
			}
			second, err := run()
			must(t, err)
			if again := f.snapshot(); !reflect.DeepEqual(after, again) {
				t.Errorf("second run changed the store:\nafter first  %+v\nafter second %+v", after, again)
			}
			if !reflect.DeepEqual(first, second) {
				t.Errorf("second run returned %+v, first %+v", second, first)
			}
		})
	}
}

// A retried wait state gets a new token: the step must replace the open
// task rather than keep a task whose token is dead or add a second one.
func TestNewTokenReplacesTheOpenTask(t *testing.T) {
	f := newFixture(t)
	retry := f.toAwaitingPanel()
	oldID := f.openOf(pathway.TaskPanelDecision)[0].ID
	retry.TaskToken = "token-after-retry"
	out, err := f.steps.OpenPanelTask(f.ctx, retry)
	must(t, err)
	open := f.openOf(pathway.TaskPanelDecision)
	if len(open) != 1 || open[0].Token != "token-after-retry" || open[0].ID != out.TaskIDs[0] {
		t.Fatalf("open panel tasks = %+v, want one holding the new token", open)
	}
	old, err := f.store.GetTask(f.ctx, oldID)
	must(t, err)
	if old.Status != pathway.TaskCancelled || !strings.Contains(string(old.Outcome), out.TaskIDs[0]) {
		t.Errorf("old task = %s %s, want cancelled naming its replacement %s", old.Status, old.Outcome, out.TaskIDs[0])
	}
	// The inbox is an index, which lags (as DynamoDB's do): once it has
	// caught up it holds the replacement alone.
	var inbox []*pathway.Task
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		inbox, err = f.store.ListTasks(f.ctx, pathway.TaskFilter{Organisation: "org-cda", Role: pathway.RoleAgency})
		must(t, err)
		if len(inbox) == 1 && inbox[0].ID == out.TaskIDs[0] {
			return
		}
	}
	t.Errorf("agency inbox holds %+v, want only the replacement %s", inbox, out.TaskIDs[0])
}

// equalSnapshots reports whether two snapshots are the same.
func equalSnapshots(a, b snapshot) bool { return reflect.DeepEqual(a, b) }
