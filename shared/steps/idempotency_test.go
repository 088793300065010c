package steps_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// snapshot is what a second run of a step must leave unchanged.
type snapshot struct {
	events  []string
	tasks   []string // open task IDs with their tokens
	version int
	items   int
}

func (f *fixture) snapshot() snapshot {
	var s snapshot
	for _, e := range f.events() {
		s.events = append(s.events, e.ID+" "+e.Action)
	}
	for _, t := range f.openTasks() {
		s.tasks = append(s.tasks, t.ID+" "+t.Token+" "+t.Status)
	}
	slices.Sort(s.tasks)
	s.version = f.coopNow().Version
	items, err := f.store.ListChecklist(f.ctx, f.coop)
	must(f.t, err)
	s.items = len(items)
	return s
}

// TestStepsAreIdempotent runs every step twice with the same input, as Step
// Functions may: the second run must return the same output and record no
// second event, task, checklist item or co-op update.
func TestStepsAreIdempotent(t *testing.T) {
	tests := []struct {
		name string
		// prepare brings the co-op to where the step runs and returns the
		// step called with one fixed input.
		prepare func(f *fixture) func() (any, error)
		// readOnly steps change nothing even the first time.
		readOnly bool
	}{
		{"ValidateApplication", func(f *fixture) func() (any, error) {
			in := steps.CoopInput{Invocation: f.enter("ValidateApplication"), CoopID: f.coop}
			return func() (any, error) { return f.steps.ValidateApplication(f.ctx, in) }
		}, true},
		{"ScreenEligibility", func(f *fixture) func() (any, error) {
			in := steps.CoopInput{Invocation: f.enter("ScreenEligibility"), CoopID: f.coop}
			return func() (any, error) { return f.steps.ScreenEligibility(f.ctx, in) }
		}, false},
		{"RecordIneligible", func(f *fixture) func() (any, error) {
			in := steps.ReasonsInput{Invocation: f.enter("RecordIneligible"), CoopID: f.coop, Reasons: []string{"Too few founders."}}
			return func() (any, error) { return f.steps.RecordIneligible(f.ctx, in) }
		}, false},
		{"OpenPanelTask", func(f *fixture) func() (any, error) {
			in := f.taskInput("AwaitPanelDecision", 1, 14*86400)
			return func() (any, error) { return f.steps.OpenPanelTask(f.ctx, in) }
		}, false},
		{"EscalatePanel", func(f *fixture) func() (any, error) {
			f.toAwaitingPanel()
			in := f.taskInput("EscalateOverduePanel", 1, 0)
			return func() (any, error) { return f.steps.EscalatePanel(f.ctx, in) }
		}, false},
		{"RecordPanelOutcome accept", func(f *fixture) func() (any, error) {
			f.toAwaitingPanel()
			in := steps.PanelOutcomeInput{Invocation: f.enter("RecordPanelOutcome"), CoopID: f.coop, Round: 1,
				Decision: steps.PanelDecision{Outcome: steps.PanelAccept}}
			return func() (any, error) { return f.steps.RecordPanelOutcome(f.ctx, in) }
		}, false},
		{"RecordPanelOutcome defer", func(f *fixture) func() (any, error) {
			f.toAwaitingPanel()
			in := steps.PanelOutcomeInput{Invocation: f.enter("RecordPanelOutcome"), CoopID: f.coop, Round: 1,
				Decision: steps.PanelDecision{Outcome: steps.PanelDefer}}
			return func() (any, error) { return f.steps.RecordPanelOutcome(f.ctx, in) }
		}, false},
		{"BuildChecklist", func(f *fixture) func() (any, error) {
			f.toAwaitingPanel()
			in := steps.CoopInput{Invocation: f.enter("BuildChecklist"), CoopID: f.coop}
			return func() (any, error) { return f.steps.BuildChecklist(f.ctx, in) }
		}, false},
		{"OpenChecklistWait", func(f *fixture) func() (any, error) {
			f.toCQCPreparing()
			in := f.taskInput("AwaitChecklist", 1, 0)
			return func() (any, error) { return f.steps.OpenChecklistWait(f.ctx, in) }
		}, false},
		{"MarkCQCReady", func(f *fixture) func() (any, error) {
			f.toCQCPreparing()
			f.verifyAll()
			in := steps.CoopInput{Invocation: f.enter("MarkCQCReady"), CoopID: f.coop}
			return func() (any, error) { return f.steps.MarkCQCReady(f.ctx, in) }
		}, false},
		{"OpenSubmissionTask", func(f *fixture) func() (any, error) {
			f.toCQCReady()
			in := f.taskInput("AwaitSubmission", 1, 0)
			return func() (any, error) { return f.steps.OpenSubmissionTask(f.ctx, in) }
		}, false},
		{"RecordSubmitted", func(f *fixture) func() (any, error) {
			f.toCQCReady()
			in := steps.SubmittedInput{Invocation: f.enter("RecordSubmitted"), CoopID: f.coop,
				Submission: steps.Submission{SubmittedOn: "2027-01-30"}}
			return func() (any, error) { return f.steps.RecordSubmitted(f.ctx, in) }
		}, false},
		{"OpenDecisionTask remind", func(f *fixture) func() (any, error) {
			f.toCQCSubmitted()
			in := steps.DecisionTaskInput{TaskInput: f.taskInput("AwaitCQCDecisionAfterReminder", 1, 3600), Phase: "remind"}
			return func() (any, error) { return f.steps.OpenDecisionTask(f.ctx, in) }
		}, false},
		{"EscalateDecision", func(f *fixture) func() (any, error) {
			f.toCQCSubmitted()
			in := f.taskInput("EscalateOverdueCQCDecision", 1, 0)
			return func() (any, error) { return f.steps.EscalateDecision(f.ctx, in) }
		}, false},
		{"RecordDecision proposal-to-refuse", func(f *fixture) func() (any, error) {
			f.toCQCSubmitted()
			in := steps.DecisionInput{Invocation: f.enter("RecordCQCDecision"), CoopID: f.coop, Round: 1,
				Decision: steps.CQCDecision{Outcome: steps.CQCProposalToRefuse}}
			return func() (any, error) { return f.steps.RecordDecision(f.ctx, in) }
		}, false},
		{"RecordDecision registered", func(f *fixture) func() (any, error) {
			f.toCQCSubmitted()
			in := steps.DecisionInput{Invocation: f.enter("RecordCQCDecision"), CoopID: f.coop, Round: 1,
				Decision: steps.CQCDecision{Outcome: steps.CQCRegistered, ProviderID: "1-234567890"}}
			return func() (any, error) { return f.steps.RecordDecision(f.ctx, in) }
		}, false},
		{"RecordFailure", func(f *fixture) func() (any, error) {
			in := steps.FailureInput{Invocation: f.enter("RecordFailure"), CoopID: f.coop,
				Failure: steps.Failure{Error: "Pathway.Internal", Cause: "boom"}}
			return func() (any, error) { return f.steps.RecordFailure(f.ctx, in) }
		}, false},
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
	inbox, err := f.store.ListTasks(f.ctx, pathway.TaskFilter{Organisation: "org-cda", Role: pathway.RoleAgency})
	must(t, err)
	if len(inbox) != 1 {
		t.Errorf("agency inbox holds %d tasks, want 1", len(inbox))
	}
}
