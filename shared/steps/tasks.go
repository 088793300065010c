package steps

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TaskInput is the input of a step that opens a task and waits for a
// person to answer it: a Task state with the resource
// arn:aws:states:::lambda:invoke.waitForTaskToken whose Payload adds
// "taskToken.$": "$$.Task.Token".
type TaskInput struct {
	Invocation
	// CoopID is the co-op the task is about.
	CoopID string `json:"coopId"`
	// TaskToken is the token the answer is sent back with.
	TaskToken string `json:"taskToken"`
	// Round counts the times the same decision has been asked for (a
	// deferred panel, a second CQC decision); zero means one.
	Round int `json:"round,omitempty"`
	// DueSeconds is how long after the state was entered the answer is due;
	// zero means the step's own default. States with a TimeoutSecondsPath
	// pass the same value, so the due date is when the wait times out.
	DueSeconds int64 `json:"dueSeconds,omitempty"`
}

// TaskOutput lists the tasks a step opened.
type TaskOutput struct {
	// TaskIDs are the IDs of the open tasks holding the token.
	TaskIDs []string `json:"taskIds"`
	// Due is when the answer is due.
	Due time.Time `json:"due"`
}

// check validates the input and returns when the state was entered and the round.
func (in TaskInput) check() (time.Time, int, error) {
	at, fields := inputFields(in.Invocation, in.CoopID)
	if in.TaskToken == "" {
		fields["taskToken"] = "Enter the task token ($$.Task.Token)"
	}
	if in.Round < 0 {
		fields["round"] = "Must be 0 or more"
	}
	if in.DueSeconds < 0 {
		fields["dueSeconds"] = "Must be 0 or more"
	}
	if len(fields) > 0 {
		return time.Time{}, 0, pathway.Invalid(fields)
	}
	return at, max(in.Round, 1), nil
}

// taskStep is a task-opening step under way: its checked input, when its
// state was entered, its round (at least one) and its co-op.
type taskStep struct {
	in    TaskInput
	at    time.Time
	round int
	coop  *pathway.Coop
}

// startTask begins every task-opening step the same way: it checks the
// input and loads the co-op, which must be in a stage the rule allows (as
// loadCoopAt).
func (s *Steps) startTask(ctx context.Context, in TaskInput, what string, rule stageRule) (*taskStep, error) {
	at, round, err := in.check()
	if err != nil {
		return nil, err
	}
	c, err := s.loadCoopAt(ctx, in.CoopID, what, rule)
	if err != nil {
		return nil, err
	}
	return &taskStep{in: in, at: at, round: round, coop: c}, nil
}

// due returns when the answer is due: DueSeconds after the state was
// entered, or def after it when DueSeconds is zero.
func (ts *taskStep) due(def time.Duration) time.Time {
	return DueAfter(ts.at, ts.in.DueSeconds, def)
}

// Task families: opening a task of a family replaces every other open task
// of the family, and recording the answer closes them all.
var (
	panelKinds     = []string{pathway.TaskPanelDecision, pathway.TaskPanelEscalation}
	checklistKinds = []string{pathway.TaskChecklist}
	submitKinds    = []string{pathway.TaskCQCSubmission}
	decisionKinds  = []string{pathway.TaskCQCDecision, pathway.TaskCQCEscalation}
)

// taskID derives a task's ID from its co-op, kind, round and token: the
// same token gives the same ID, so a second run opens nothing new; a new
// token (a retried or re-entered wait) gives a new one.
func taskID(coop, kind string, round int, token, who string) string {
	id := fmt.Sprintf("%s.%s.%d.%s", coop, kind, round, TokenKey(token))
	if who != "" {
		id += "." + who
	}
	return id
}

// newTask returns t, a task the step opens, with what every such task
// shares filled in: its ID (from taskID, so it changes exactly when the
// token does), co-op, token, open status and creation time. who tells apart
// two tasks of one kind opened together.
func (s *Steps) newTask(ts *taskStep, who string, t pathway.Task) *pathway.Task {
	t.ID = taskID(ts.coop.ID, t.Kind, ts.round, ts.in.TaskToken, who)
	t.Coop, t.Token, t.Status, t.CreatedAt = ts.coop.ID, ts.in.TaskToken, pathway.TaskOpen, s.now()
	t.Title = pathway.Clip(t.Title, 300)
	return &t
}

// openTasks stores the tasks (a no-op for those that exist) and then
// cancels every other open task of the co-op of the kinds, which the new
// ones replace. New first, old second: the co-op is never without its open
// task, even if the step stops half way.
func (s *Steps) openTasks(ctx context.Context, c *pathway.Coop, kinds []string, tasks ...*pathway.Task) (*TaskOutput, error) {
	out, err := PutTasks(ctx, s.store, tasks...)
	if err != nil {
		return nil, err
	}
	replacedBy := ""
	if len(out.TaskIDs) > 0 {
		replacedBy = out.TaskIDs[0]
	}
	if err := s.closeTasks(ctx, c, kinds, out.TaskIDs, "replaced", replacedBy); err != nil {
		return nil, err
	}
	return out, nil
}

// closeTasks cancels the co-op's open tasks of the kinds, except those in
// keep, because the workflow moved on without them. A task someone
// completed meanwhile stays completed.
func (s *Steps) closeTasks(ctx context.Context, c *pathway.Coop, kinds, keep []string, reason, replacedBy string) error {
	open, err := s.store.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID})
	if err != nil {
		return err
	}
	outcome := map[string]string{"reason": reason}
	if replacedBy != "" {
		outcome["replacedBy"] = replacedBy
	}
	for _, t := range open {
		if !slices.Contains(kinds, t.Kind) || slices.Contains(keep, t.ID) {
			continue
		}
		_, err := s.store.CompleteTask(ctx, t.ID, pathway.TaskCompletion{
			By: pathway.ActorSystem, At: s.now(), Status: pathway.TaskCancelled, Outcome: mustJSON(outcome),
		})
		if code := pathway.ErrorCode(err); code != "" && code != pathway.ECONFLICT && code != pathway.ENOTFOUND {
			return err
		}
	}
	return nil
}

// openTaskOf returns the co-op's first open task of the kind, or nil.
func (s *Steps) openTaskOf(ctx context.Context, c *pathway.Coop, kind string) (*pathway.Task, error) {
	open, err := s.store.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID})
	if err != nil {
		return nil, err
	}
	for _, t := range open {
		if t.Kind == kind {
			return t, nil
		}
	}
	return nil, nil
}
