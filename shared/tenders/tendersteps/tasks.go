package tendersteps

import (
	"context"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/tenders"
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
	// Bid is the bid (evaluation and moderation tasks).
	Bid string `json:"bid,omitempty"`
	// Evaluator is the evaluator's user ID (evaluation tasks).
	Evaluator string `json:"evaluator,omitempty"`
}

// TaskOutput lists the tasks a step opened.
type TaskOutput = steps.TaskOutput

// startTask checks a task step's input and reads the tender; a cancelled
// tender is ErrCancelled, which the waits catch.
func (s *Steps) startTask(ctx context.Context, in TaskInput) (*run, error) {
	if err := steps.CheckWait(in.TaskToken, in.DueSeconds); err != nil {
		return nil, err
	}
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	if r.cancelled() {
		return nil, errCancelled(r)
	}
	return r, nil
}

// due returns DueSeconds after the state was entered, or def after it.
func (r *run) due(in TaskInput, def time.Duration) time.Time {
	return steps.DueAfter(r.at, in.DueSeconds, def)
}

// familyPrefix is the start of the IDs of a tender's tasks of a kind for
// one bid and evaluator (who, hashed to keep IDs short).
func familyPrefix(tender, kind, who string) string {
	return tender + "." + kind + "." + steps.TokenKey(who) + "."
}

// newTask fills in what every task the workflow opens shares: an ID from
// the tender, kind, who and token (a second run opens nothing new, a new
// token a new task), the council, token, status and time.
func (s *Steps) newTask(r *run, subject pathway.Subject, who, token string, t pathway.Task) *pathway.Task {
	t.ID = familyPrefix(r.t.ID, t.Kind, who) + steps.TokenKey(token)
	t.Subject = subject
	t.Token, t.Status, t.CreatedAt = token, pathway.TaskOpen, s.now()
	t.Title = pathway.Clip(t.Title, 300)
	return &t
}

// openTasks stores the tasks (a no-op for those that exist), then cancels
// the subject's other open tasks of the kinds for who, which they replace.
func (s *Steps) openTasks(ctx context.Context, r *run, subject pathway.Subject, kinds []string, who string, tasks ...*pathway.Task) (*TaskOutput, error) {
	out, err := steps.PutTasks(ctx, s.store, tasks...)
	if err != nil {
		return nil, err
	}
	return out, s.closeTasks(ctx, r, subject, kinds, who, out.TaskIDs, "replaced")
}

// closeTasks cancels the subject's open tasks of the kinds for who, except
// keep, because the workflow moved on without them. A task someone
// completed meanwhile stays completed.
func (s *Steps) closeTasks(ctx context.Context, r *run, subject pathway.Subject, kinds []string, who string, keep []string, reason string) error {
	prefix := func(kind string) string { return familyPrefix(r.t.ID, kind, who) }
	return steps.CancelFamily(ctx, s.store, s.now, subject, kinds, prefix, keep, reason)
}

// cancel closes an open task the workflow no longer waits on.
func (s *Steps) cancel(ctx context.Context, t *pathway.Task, reason string) error {
	return steps.CancelTask(ctx, s.store, t, s.now(), reason)
}

// leadTask is a task for the council's lead about the tender.
func (s *Steps) leadTask(r *run, kind, title string, due time.Time, token string) *pathway.Task {
	return s.newTask(r, tenders.Subject(r.t.ID), "", token, pathway.Task{Kind: kind, Organisation: r.t.Council,
		Role: pathway.RoleCommissionerLead, Title: title + ": " + r.t.Title, Due: due})
}

// CloseCancelled is the cancelled workflow's last step: it cancels every
// task of the tender and its bids still open.
func (s *Steps) CloseCancelled(ctx context.Context, in Input) (*OutcomeOutput, error) {
	return steps.Result(s.closeCancelled(ctx, in))
}

func (s *Steps) closeCancelled(ctx context.Context, in Input) (*OutcomeOutput, error) {
	r, err := s.start(ctx, in)
	if err != nil {
		return nil, err
	}
	subjects := []pathway.Subject{tenders.Subject(r.t.ID)}
	bids, err := s.tenders.ListBids(ctx, r.t.ID)
	if err != nil {
		return nil, err
	}
	for _, b := range bids {
		subjects = append(subjects, tenders.BidSubject(b.ID))
	}
	for _, subj := range subjects {
		open, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: subj})
		if err != nil {
			return nil, err
		}
		for _, t := range open {
			if t.Status == pathway.TaskOpen && strings.HasPrefix(t.ID, r.t.ID+".") {
				if err := s.cancel(ctx, t, "the council cancelled the tender"); err != nil {
					return nil, err
				}
			}
		}
	}
	return &OutcomeOutput{Outcome: "cancelled"}, nil
}
