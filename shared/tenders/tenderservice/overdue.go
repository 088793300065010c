package tenderservice

import (
	"context"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// OverdueEvaluation is what a tender-evaluation-overdue task is about:
// the evaluator who has not yet scored the bid, and when their evaluation
// was due.
type OverdueEvaluation struct {
	// Evaluator is the evaluator's user ID; empty when their own task is
	// no longer open (they answered as the lead looked).
	Evaluator string
	// Due is when the evaluation was due.
	Due time.Time
}

// Overdue returns the evaluation that the lead's open
// tender-evaluation-overdue task t is about, refusing as TaskToAnswer
// does. The workflow gives the lead's task and the evaluator's reopened
// tender-evaluation task the same task token (either answer ends the
// wait), which is how the evaluator's task is found.
func (s *Service) Overdue(ctx context.Context, u *pathway.User, t *pathway.Task) (*OverdueEvaluation, error) {
	if t == nil || t.Kind != tenders.TaskEvaluationOverdue {
		return nil, pathway.NotFound("task")
	}
	if _, _, err := s.AnswerableTask(ctx, u, t); err != nil {
		return nil, err
	}
	out := &OverdueEvaluation{Due: t.CreatedAt}
	all, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: t.Subject})
	if err != nil {
		return nil, err
	}
	for _, ev := range all {
		if ev.Kind == tenders.TaskEvaluation && ev.Status == pathway.TaskOpen && t.Token != "" && ev.Token == t.Token {
			out.Evaluator = ev.User
			if !ev.Due.IsZero() {
				out.Due = ev.Due
			}
		}
	}
	return out, nil
}
