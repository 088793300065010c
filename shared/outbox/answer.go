package outbox

import (
	"context"
	"encoding/json"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// AnsweredAlready is the error of a second answer to a task: the first
// one completed it, so nothing was changed.
func AnsweredAlready() error {
	return pathway.Errorf(pathway.ECONFLICT, "This task has been answered already, so nothing was changed. Reload the page to see what happens next.")
}

// NoLongerNeeded is the error of an answer the workflow could no longer
// take (Answer's unused), in the words of a service's tasks.
func NoLongerNeeded() error {
	return pathway.Errorf(pathway.ECONFLICT,
		"This task is no longer needed: it was answered another way or its time ran out, so your answer was not used. Reload the page to see what happens next.")
}

// Answer completes task t with its answer (payload) by the user by, with
// the answer's event e and its delivery to the workflow, in one
// transaction, then sends the delivery. That transaction is the
// exactly-once gate: of any number of concurrent answers exactly one
// completes the task and every other gets AnsweredAlready, so the
// workflow never sees two answers. A send that fails is logged (naming
// who, the service) and left to the sweep, since the answer is stored.
// unused reports that the workflow could no longer take the answer (the
// wait timed out, another task with its token was answered first): the
// task stays closed and the caller tells the person.
func (o *Outbox) Answer(ctx context.Context, who string, t *pathway.Task, by string, payload json.RawMessage, e *pathway.Event) (done *pathway.Task, unused bool, err error) {
	d := o.NewAnswer(t, by, payload)
	done, err = o.store.CompleteTask(ctx, t.ID, pathway.TaskCompletion{
		By: by, At: o.now(), Outcome: payload, Status: pathway.TaskCompleted, Event: e, Delivery: d,
	})
	if pathway.ErrorCode(err) == pathway.ECONFLICT {
		return nil, false, AnsweredAlready()
	} else if err != nil {
		return nil, false, err
	}
	res, err := o.Send(ctx, d)
	if err != nil {
		// The answer is stored and will be sent by a sweep: the caller
		// must not believe it was lost (a retry would only get 409).
		o.log.ErrorContext(ctx, who+": recording an answer's delivery", "task", t.ID, "err", err)
	}
	return done, res == Unused, nil
}
