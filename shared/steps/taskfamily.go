package steps

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// What every workflow's task-opening steps share (grantsteps' and
// tendersteps' as well as these): checking the wait's token, working out
// when the answer is due, storing the tasks, and cancelling a family of
// tasks the workflow no longer waits on. A family is a subject's tasks of
// some kinds whose IDs start the same (prefix, from the kind).

// CheckWait returns what is wrong with a waiting step's task token and
// due seconds, as Pathway.Invalid naming the fields, or nil.
func CheckWait(token string, dueSeconds int64) error {
	fields := map[string]string{}
	if token == "" {
		fields["taskToken"] = "Enter the task token ($$.Task.Token)"
	}
	if dueSeconds < 0 {
		fields["dueSeconds"] = "Must be 0 or more"
	}
	if len(fields) > 0 {
		return pathway.Invalid(fields)
	}
	return nil
}

// DueAfter returns when the answer is due: dueSeconds after the state was
// entered (at), or def after it when dueSeconds is zero.
func DueAfter(at time.Time, dueSeconds int64, def time.Duration) time.Time {
	if dueSeconds > 0 {
		return at.Add(time.Duration(dueSeconds) * time.Second)
	}
	return at.Add(def)
}

// PutTasks stores the tasks (a no-op for those that exist) and lists them
// as stored.
func PutTasks(ctx context.Context, store pathway.Store, tasks ...*pathway.Task) (*TaskOutput, error) {
	out := &TaskOutput{}
	for _, t := range tasks {
		stored, err := store.PutTask(ctx, t)
		if err != nil {
			return nil, err
		}
		out.TaskIDs = append(out.TaskIDs, stored.ID)
		out.Due = stored.Due
	}
	return out, nil
}

// InFamily reports whether t is of one of the kinds and its ID starts with
// prefix(kind).
func InFamily(t *pathway.Task, kinds []string, prefix func(kind string) string) bool {
	for _, k := range kinds {
		if t.Kind == k && strings.HasPrefix(t.ID, prefix(k)) {
			return true
		}
	}
	return false
}

// CancelFamily cancels the subject's open tasks of the family, except
// keep, because the workflow moved on without them. A task someone
// completed meanwhile stays completed.
func CancelFamily(ctx context.Context, store pathway.Store, now func() time.Time, subject pathway.Subject, kinds []string, prefix func(kind string) string, keep []string, reason string) error {
	open, err := store.ListTasks(ctx, pathway.TaskFilter{Subject: subject})
	if err != nil {
		return err
	}
	for _, t := range open {
		if t.Status != pathway.TaskOpen || slices.Contains(keep, t.ID) || !InFamily(t, kinds, prefix) {
			continue
		}
		if err := CancelTask(ctx, store, t, now(), reason); err != nil {
			return err
		}
	}
	return nil
}

// CancelTask closes an open task the workflow no longer waits on, with the
// reason as its outcome; one completed or gone meanwhile is left as it is.
func CancelTask(ctx context.Context, store pathway.Store, t *pathway.Task, at time.Time, reason string) error {
	outcome, _ := json.Marshal(map[string]string{"reason": reason})
	_, err := store.CompleteTask(ctx, t.ID, pathway.TaskCompletion{
		By: pathway.ActorSystem, At: at, Status: pathway.TaskCancelled, Outcome: outcome})
	if code := pathway.ErrorCode(err); code != "" && code != pathway.ECONFLICT && code != pathway.ENOTFOUND {
		return err
	}
	return nil
}
