package grantsteps

import (
	"context"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// TaskInput is the input of a step that opens a task and waits for its
// answer (a waitForTaskToken state adding "taskToken.$": "$$.Task.Token").
type TaskInput struct {
	Input
	// TaskToken is the token the answer is sent back with.
	TaskToken string `json:"taskToken"`
	// DueSeconds is how long after the state was entered the answer is
	// due; zero means the step's own default.
	DueSeconds int64 `json:"dueSeconds,omitempty"`
	// Reviewer is the assigned reviewer (review tasks).
	Reviewer string `json:"reviewer,omitempty"`
	// Tranche is the tranche's ID (trigger waits, payments).
	Tranche string `json:"tranche,omitempty"`
	// Report is the report's ID (reports and their reviews).
	Report string `json:"report,omitempty"`
	// Reminder marks a report task re-opened on its due date.
	Reminder bool `json:"reminder,omitempty"`
	// Returned marks a report task opened again after the funder returned it.
	Returned bool `json:"returned,omitempty"`
}

// startTask checks a task step's input and reads the application.
func (s *Steps) startTask(ctx context.Context, in TaskInput) (*run, error) {
	if err := steps.CheckWait(in.TaskToken, in.DueSeconds); err != nil {
		return nil, err
	}
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	if r.withdrawn() {
		return nil, errWithdrawn(r)
	}
	// Inboxes show the co-op's name without reading the co-op.
	c, err := s.coop(ctx, r)
	if err != nil {
		return nil, err
	}
	r.coopName = c.Name
	return r, nil
}

// TaskOutput lists the tasks a step opened.
type TaskOutput = steps.TaskOutput

// due returns DueSeconds after the state was entered, or def after it.
func (r *run) due(in TaskInput, def time.Duration) time.Time {
	return steps.DueAfter(r.at, in.DueSeconds, def)
}

// familyPrefix is the start of the IDs of an application's tasks of a kind
// for one reviewer, tranche or report (who).
func familyPrefix(app, kind, who string) string { return app + "." + kind + "." + who + "." }

// newTask fills in what every task the workflow opens shares: an ID from
// the application, kind, who and token (a second run opens nothing new, a
// new token a new task), the subject, co-op, token, status and time.
func (s *Steps) newTask(r *run, who, token string, t pathway.Task) *pathway.Task {
	t.ID = familyPrefix(r.app.ID, t.Kind, who) + steps.TokenKey(token)
	t.Subject, t.Coop, t.CoopName = grants.Subject(r.app.ID), r.app.Coop, pathway.Clip(r.coopName, 300)
	t.Token, t.Status, t.CreatedAt = token, pathway.TaskOpen, s.now()
	t.Title = pathway.Clip(t.Title, 300)
	return &t
}

// openTasks stores the tasks (a no-op for those that exist), then cancels
// the application's other open tasks of the kinds for who, which they
// replace: new first, so the application is never without its task.
func (s *Steps) openTasks(ctx context.Context, r *run, kinds []string, who string, tasks ...*pathway.Task) (*TaskOutput, error) {
	out, err := steps.PutTasks(ctx, s.store, tasks...)
	if err != nil {
		return nil, err
	}
	return out, s.closeTasks(ctx, r, kinds, who, out.TaskIDs, "replaced")
}

// closeTasks cancels the application's open tasks of the kinds for who,
// except keep, because the workflow moved on without them. A task someone
// completed meanwhile stays completed.
func (s *Steps) closeTasks(ctx context.Context, r *run, kinds []string, who string, keep []string, reason string) error {
	prefix := func(kind string) string { return familyPrefix(r.app.ID, kind, who) }
	return steps.CancelFamily(ctx, s.store, s.now, grants.Subject(r.app.ID), kinds, prefix, keep, reason)
}
