package grantsteps

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
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
	if in.TaskToken == "" || in.DueSeconds < 0 {
		fields := map[string]string{}
		if in.TaskToken == "" {
			fields["taskToken"] = "Enter the task token ($$.Task.Token)"
		}
		if in.DueSeconds < 0 {
			fields["dueSeconds"] = "Must be 0 or more"
		}
		return nil, pathway.Invalid(fields)
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
type TaskOutput struct {
	TaskIDs []string  `json:"taskIds"`
	Due     time.Time `json:"due"`
}

// due returns DueSeconds after the state was entered, or def after it.
func (r *run) due(in TaskInput, def time.Duration) time.Time {
	if in.DueSeconds > 0 {
		return r.at.Add(time.Duration(in.DueSeconds) * time.Second)
	}
	return r.at.Add(def)
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
	out := &TaskOutput{}
	for _, t := range tasks {
		stored, err := s.store.PutTask(ctx, t)
		if err != nil {
			return nil, err
		}
		out.TaskIDs = append(out.TaskIDs, stored.ID)
		out.Due = stored.Due
	}
	return out, s.closeTasks(ctx, r, kinds, who, out.TaskIDs, "replaced")
}

// closeTasks cancels the application's open tasks of the kinds for who,
// except keep, because the workflow moved on without them. A task someone
// completed meanwhile stays completed.
func (s *Steps) closeTasks(ctx context.Context, r *run, kinds []string, who string, keep []string, reason string) error {
	open, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: grants.Subject(r.app.ID)})
	if err != nil {
		return err
	}
	for _, t := range open {
		if slices.Contains(keep, t.ID) || !inFamily(t, r.app.ID, kinds, who) {
			continue
		}
		if err := s.cancel(ctx, t, reason); err != nil {
			return err
		}
	}
	return nil
}

// inFamily reports whether t is of one of the kinds for who.
func inFamily(t *pathway.Task, app string, kinds []string, who string) bool {
	for _, k := range kinds {
		if t.Kind == k && strings.HasPrefix(t.ID, familyPrefix(app, k, who)) {
			return true
		}
	}
	return false
}

// cancel closes an open task the workflow no longer waits on.
func (s *Steps) cancel(ctx context.Context, t *pathway.Task, reason string) error {
	outcome, _ := json.Marshal(map[string]string{"reason": reason})
	_, err := s.store.CompleteTask(ctx, t.ID, pathway.TaskCompletion{
		By: pathway.ActorSystem, At: s.now(), Status: pathway.TaskCancelled, Outcome: outcome})
	if code := pathway.ErrorCode(err); code != "" && code != pathway.ECONFLICT && code != pathway.ENOTFOUND {
		return err
	}
	return nil
}
