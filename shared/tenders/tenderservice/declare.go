package tenderservice

import (
	"context"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// DeclarationResult is what an evaluator sees after declaring: their
// declaration and, with no conflict, the whole bid. After a conflict the
// bid is gone from them for good.
type DeclarationResult struct {
	Declaration *tenders.Evaluation `json:"declaration"`
	Bid         *BidView            `json:"bid,omitempty"`
}

// ConflictAnswer is what the workflow waiting on a tender-evaluation task
// gets when the evaluator declares a conflict of interest.
type ConflictAnswer struct {
	Conflict bool   `json:"conflict"`
	Reason   string `json:"reason"`
}

// evaluationTask returns u's open tender-evaluation task on the bid, or nil.
func (s *Service) evaluationTask(ctx context.Context, u *pathway.User, bid string) (*pathway.Task, error) {
	tasks, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: tenders.BidSubject(bid)})
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if t.Kind == tenders.TaskEvaluation && t.User == u.ID && t.Status == pathway.TaskOpen {
			return t, nil
		}
	}
	return nil, nil
}

// Declare records an evaluator's (or the lead's) declaration of interests
// in a bid, after the deadline. A conflict excludes them from the bid for
// good (it is "not found" to them from then on) and answers their
// evaluation task with {"conflict":true,"reason"}, so the workflow goes
// on without them; no conflict opens the bid to them.
func (s *Service) Declare(ctx context.Context, u *pathway.User, id string, ans tenders.DeclarationAnswer) (*DeclarationResult, error) {
	if u == nil || id == "" || len(id) > 64 {
		return nil, notFound()
	}
	b, err := s.tenders.GetBid(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND || (err == nil && !IsCouncilStaff(u, b.Council)) {
		return nil, notFound()
	} else if err != nil {
		return nil, err
	}
	t, err := s.tenders.GetTender(ctx, b.Tender)
	if err != nil {
		return nil, err
	}
	if Sealed(t, s.now()) {
		return nil, notFound()
	}
	task, err := s.evaluationTask(ctx, u, id)
	if err != nil {
		return nil, err
	}
	excluded, err := s.tenders.IsExcluded(ctx, id, u.ID)
	if err != nil {
		return nil, err
	}
	// An excluded evaluator whose task is still open is a retry of a
	// conflict whose answer was not stored: finish it. Otherwise they see
	// nothing, for good.
	if excluded && task == nil {
		return nil, notFound()
	}
	if task == nil && !u.Lead && !isEvaluator(u, t) {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only the tender's evaluators declare their interests in its bids.")
	}
	ans.Reason = strings.TrimSpace(pathway.NormaliseNewlines(ans.Reason))
	if err := ans.Validate(); err != nil {
		return nil, err
	}
	ev := &tenders.Evaluation{Bid: id, Tender: t.ID, Evaluator: u.ID, Conflict: ans.Conflict, Reason: ans.Reason, Declared: s.now()}
	action, words := ActionNoConflict, "declared no conflict of interest."
	if ans.Conflict {
		action, words = ActionConflict, "declared a conflict of interest and stepped back from the bid."
	}
	stood, err := s.tenders.Declare(ctx, ev, s.bidEvent(b, u, action, summary(u, "%s", words), nil))
	if err != nil {
		return nil, err
	}
	if stood.Conflict {
		if task != nil {
			if _, err := s.complete(ctx, u, task, ConflictAnswer{Conflict: true, Reason: stood.Reason}, "conflict of interest"); err != nil && pathway.ErrorCode(err) != pathway.ECONFLICT {
				return nil, err
			}
		}
		if !ans.Conflict { // a conflict declared earlier stands: excluded
			return nil, notFound()
		}
		return &DeclarationResult{Declaration: stood}, nil
	}
	v, err := s.Bid(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return &DeclarationResult{Declaration: stood, Bid: v}, nil
}
