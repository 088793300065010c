package journey

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TaskToAnswer returns the open task id that u may answer, with its co-op.
// A task of a co-op u may not see is ENOTFOUND, like a missing one; a task
// u may see but not answer is EFORBIDDEN; a task already answered is
// ECONFLICT.
func (s *Service) TaskToAnswer(ctx context.Context, u *pathway.User, id string) (*pathway.Task, *pathway.Coop, error) {
	t, err := pathway.TaskFor(ctx, s.store, u, id)
	if err != nil {
		return nil, nil, err
	}
	return s.AnswerableTask(ctx, u, t)
}

// AnswerableTask is TaskToAnswer for the task t, read already by the
// caller (the API's decision handler, which reads a task once and sends
// it where its subject belongs).
func (s *Service) AnswerableTask(ctx context.Context, u *pathway.User, t *pathway.Task) (*pathway.Task, *pathway.Coop, error) {
	if u == nil || t == nil {
		return nil, nil, pathway.NotFound("task")
	}
	c, _, err := s.Coop(ctx, u, t.Coop)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil, pathway.NotFound("task")
	} else if err != nil {
		return nil, nil, err
	}
	if !u.CanActOn(t, c) {
		return nil, nil, pathway.Errorf(pathway.EFORBIDDEN, "%s, so you can see this task but not answer it.", whoActs(t))
	}
	if t.Status != pathway.TaskOpen {
		return nil, nil, alreadyDone()
	}
	if _, err := AnswerFor(t.Kind); err != nil {
		return nil, nil, err
	}
	return t, c, nil
}

// whoActs says who must answer a task.
func whoActs(t *pathway.Task) string {
	switch t.Role {
	case pathway.RoleFounder:
		return "Only the co-op's founders can answer this task"
	case pathway.RoleAgencyLead:
		return "Only the agency's lead can answer this task"
	}
	return "Only the " + t.Role + " that runs the programme can answer this task"
}

// alreadyDone is the answer to a second completion.
func alreadyDone() error { return outbox.AnsweredAlready() }

// Decide answers task t of co-op c (from TaskToAnswer) for u.
//
// The answer is stored with the task's completion, in one transaction,
// together with its delivery to the workflow (see shared/outbox) and the
// line in the audit trail. That transaction is the exactly-once gate: of
// any number of concurrent answers exactly one completes the task, every
// other gets ECONFLICT, so the workflow never sees two answers. Once it is
// committed the answer will take effect whatever happens next: Decide sends
// it at once, and if that fails, or the process dies first, the outbox's
// sweep sends it within a couple of minutes.
//
// The one answer Decide refuses after storing it is one the workflow can
// no longer take (the wait timed out and escalated, another task holding
// the same token was answered first, the execution ended): the caller gets
// ECONFLICT, the audit trail says the answer was not used, and the task
// stays closed — the workflow has opened, or will open, whatever replaces it.
func (s *Service) Decide(ctx context.Context, u *pathway.User, t *pathway.Task, c *pathway.Coop, a Answer) (*TaskView, error) {
	ob, err := s.outboxOf()
	if err != nil {
		return nil, err
	}
	payload, err := a.payload(u.ID, c, s.now())
	if err != nil {
		return nil, err
	}
	e := s.newEvent(c.ID, u, pathway.ActionTaskAnswered, u.Name+" answered “"+t.Title+"”: "+a.outcome()+".",
		map[string]string{"task": t.ID, "kind": t.Kind, "outcome": pathway.Clip(a.outcome(), 200)})
	done, unused, err := ob.Answer(ctx, "journey", t, u.ID, payload, e)
	if err != nil {
		return nil, err
	}
	if unused {
		return nil, pathway.Errorf(pathway.ECONFLICT,
			"This decision is no longer needed: it was answered another way or its time ran out, so your answer was not used. Reload the page to see the co-op's open tasks.")
	}
	v := s.taskView(u, done, c)
	return &v, nil
}
