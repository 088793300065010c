package journey

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// reopenSep separates a task's ID from the suffix of a copy that re-opens
// it (see Decide). Step task IDs never contain it.
const reopenSep = "~"

// TaskToAnswer returns the open task id that u may answer, with its co-op.
// A task of a co-op u may not see is ENOTFOUND, like a missing one; a task
// u may see but not answer is EFORBIDDEN; a task already answered is
// ECONFLICT, unless it was re-opened, when its open copy is returned.
func (s *Service) TaskToAnswer(ctx context.Context, u *pathway.User, id string) (*pathway.Task, *pathway.Coop, error) {
	if u == nil || id == "" || len(id) > 128 {
		return nil, nil, pathway.NotFound("task")
	}
	t, err := s.store.GetTask(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil, pathway.NotFound("task")
	} else if err != nil {
		return nil, nil, err
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
		r, err := s.reopened(ctx, t)
		if err != nil {
			return nil, nil, err
		}
		if r == nil {
			return nil, nil, alreadyDone()
		}
		t = r
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
func alreadyDone() error {
	return pathway.Errorf(pathway.ECONFLICT, "This task has been answered already, so nothing was changed. Reload the page to see what happens next.")
}

// Decide answers task t of co-op c (from TaskToAnswer) for u and sends the
// answer to the workflow waiting on the task's token.
//
// Ordering, and why: the store's CompleteTask is the exactly-once gate and
// runs first. Of any number of concurrent answers exactly one completes the
// task; every other one gets ECONFLICT and sends nothing, so the workflow
// never sees two answers and a second answer changes nothing. The winner
// then calls SendTaskSuccess (with a context that a disconnecting client
// cannot cancel half way):
//
//   - it succeeds: the answer is recorded in the audit trail and the other
//     open tasks holding the same token are cancelled; done.
//   - TaskDoesNotExist, TaskTimedOut or InvalidToken: the workflow is no
//     longer waiting on this token (another task holding the same token was
//     answered first, the wait timed out and escalated, or the execution
//     ended). Sending again can never succeed, so the task stays closed —
//     the workflow has opened, or will open, whatever replaces it — and the
//     caller gets ECONFLICT; the audit trail says the answer was not used.
//   - any other error may be transient. The task must not stay
//     completed-but-undelivered, and the store cannot re-open a task, so
//     Decide stores an open copy of it under a new ID (same token, kind,
//     role and due date), records that in the audit trail, and returns
//     EUNAVAILABLE. The copy shows in inboxes again, and a retry of the
//     same request (to the old ID) is routed to the copy by TaskToAnswer.
//
// What is left: a process that dies between CompleteTask and
// SendTaskSuccess leaves the task closed and the answer unsent. The
// workflows' own timeouts (panel escalation, CQC reminders and
// escalation) then open new tasks with new tokens, so the co-op is not
// stuck for ever.
func (s *Service) Decide(ctx context.Context, u *pathway.User, t *pathway.Task, c *pathway.Coop, a Answer) (*TaskView, error) {
	wf, err := s.workflows()
	if err != nil {
		return nil, err
	}
	payload, err := a.payload(u.ID, s.now())
	if err != nil {
		return nil, err
	}
	done, err := s.store.CompleteTask(ctx, t.ID, pathway.TaskCompletion{
		By: u.ID, At: s.now(), Outcome: payload, Status: pathway.TaskCompleted,
	})
	if pathway.ErrorCode(err) == pathway.ECONFLICT {
		return nil, alreadyDone()
	} else if err != nil {
		return nil, err
	}
	ctx = context.WithoutCancel(ctx)
	data := map[string]string{"task": t.ID, "kind": t.Kind, "outcome": clip(a.outcome(), 200)}
	serr := wf.SendTaskSuccess(ctx, t.Token, payload)
	switch {
	case serr == nil:
		// The answer is delivered: from here on a failure must not make
		// the caller believe it was not (a retry would only get 409), so
		// the bookkeeping is logged rather than returned.
		e := s.newEvent(c.ID, u, "task.answered", u.Name+" answered “"+t.Title+"”: "+a.outcome()+".", data)
		if err := s.store.AppendEvent(ctx, e); err != nil {
			s.log.ErrorContext(ctx, "journey: recording a delivered answer", "task", t.ID, "err", err)
		}
		if err := s.closeSiblings(ctx, u, t); err != nil {
			s.log.ErrorContext(ctx, "journey: closing tasks that held the answered token", "task", t.ID, "err", err)
		}
		v := s.taskView(u, done, c)
		return &v, nil
	case isWorkflowError(serr, pathway.ErrTaskDoesNotExist, pathway.ErrTaskTimedOut, pathway.ErrInvalidToken):
		e := s.newEvent(c.ID, u, "task.not-used", u.Name+"'s answer to “"+t.Title+
			"” came after the workflow had stopped waiting for it, so it was not used.", data)
		if err := s.store.AppendEvent(ctx, e); err != nil {
			return nil, err
		}
		return nil, pathway.Errorf(pathway.ECONFLICT,
			"This decision is no longer needed: it was answered another way or its time ran out, so your answer was not used. Reload the page to see the co-op's open tasks.")
	}
	if err := s.reopen(ctx, u, t, c, data); err != nil {
		return nil, err
	}
	return nil, unavailable(serr, "We could not pass your answer on just now, so the task is open again. Please try again in a minute.")
}

// closeSiblings cancels the other open tasks holding the answered task's
// token (the founders' and the agency's copies of a CQC decision, a panel
// decision and its escalation): the workflow has its answer, so they leave
// inboxes now rather than when the next step runs, and answering one is
// "answered already" instead of an answer that cannot be used. The step
// that records the answer closes them too; whichever is first wins.
func (s *Service) closeSiblings(ctx context.Context, u *pathway.User, t *pathway.Task) error {
	open, err := s.store.ListTasks(ctx, pathway.TaskFilter{Coop: t.Coop})
	if err != nil {
		return err
	}
	outcome, _ := json.Marshal(map[string]string{"reason": "answered in another task", "answeredIn": t.ID})
	for _, o := range open {
		if o.ID == t.ID || o.Token != t.Token {
			continue
		}
		_, err := s.store.CompleteTask(ctx, o.ID, pathway.TaskCompletion{
			By: u.ID, At: s.now(), Outcome: outcome, Status: pathway.TaskCancelled,
		})
		if code := pathway.ErrorCode(err); code != "" && code != pathway.ECONFLICT && code != pathway.ENOTFOUND {
			return err
		}
	}
	return nil
}

// reopen stores an open copy of a completed task whose answer could not be
// delivered, and records that in the audit trail.
func (s *Service) reopen(ctx context.Context, u *pathway.User, t *pathway.Task, c *pathway.Coop, data map[string]string) error {
	base, _, _ := strings.Cut(t.ID, reopenSep)
	suffix := reopenSep + strconv.FormatInt(s.now().UnixNano(), 36)
	cp := *t
	cp.ID = clip(base, 128-len(suffix)) + suffix
	cp.Status, cp.CreatedAt = pathway.TaskOpen, s.now()
	cp.CompletedAt, cp.CompletedBy, cp.Outcome = time.Time{}, "", nil
	if _, err := s.store.PutTask(ctx, &cp); err != nil {
		return err
	}
	data["reopenedAs"] = cp.ID
	e := s.newEvent(c.ID, u, "task.reopened", "“"+t.Title+"” was opened again because "+u.Name+
		"'s answer could not be passed on.", data)
	return s.store.AppendEvent(ctx, e)
}

// reopened returns the open copy of a closed task (see reopen), or nil.
func (s *Service) reopened(ctx context.Context, t *pathway.Task) (*pathway.Task, error) {
	open, err := s.store.ListTasks(ctx, pathway.TaskFilter{Coop: t.Coop})
	if err != nil {
		return nil, err
	}
	base, _, _ := strings.Cut(t.ID, reopenSep)
	for _, r := range open {
		if strings.HasPrefix(r.ID, base+reopenSep) && r.Token == t.Token && r.Kind == t.Kind &&
			r.Role == t.Role && r.Organisation == t.Organisation {
			return r, nil
		}
	}
	return nil, nil
}
