package tenderstore

import (
	"context"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// checkEvaluation refuses an evaluation that cannot be stored, and one
// whose tender is not its bid's.
func (s *Store) checkEvaluation(ctx context.Context, e *tenders.Evaluation) error {
	if err := pathway.CheckWrite("evaluation", e, nil); err != nil {
		return err
	}
	if bad(e.Evaluator) {
		return pathway.Invalid(map[string]string{"evaluator": "Is not a user's ID"})
	}
	b, err := s.GetBid(ctx, e.Bid)
	if err != nil {
		return err
	}
	if b.Tender != e.Tender {
		return pathway.Invalid(map[string]string{"tender": "Must be the bid's tender"})
	}
	return nil
}

// Declare stores an evaluator's declaration of interests in a bid with
// its event (which may be nil; its subject the bid), before they see the
// bid. A conflict is for good: once declared, no later declaration
// changes it, so the evaluator stays excluded from the bid, and any
// scores they gave are dropped. "No conflict" stands until the evaluator
// declares a conflict after all (they may find one while reading). It
// returns the evaluation that stands, which for a retry is the first.
// Only e's Conflict, Reason and Declared are read.
func (s *Store) Declare(ctx context.Context, e *tenders.Evaluation, ev *pathway.Event) (*tenders.Evaluation, error) {
	if err := s.checkEvaluation(ctx, e); err != nil {
		return nil, err
	}
	if e.Conflict && e.Reason == "" {
		return nil, pathway.Invalid(map[string]string{"reason": "Say what the conflict of interest is"})
	}
	for attempt := 1; ; attempt++ {
		rec := tenders.Evaluation{Bid: e.Bid, Tender: e.Tender, Evaluator: e.Evaluator, Conflict: e.Conflict, Reason: e.Reason, Declared: e.Declared}
		cond, version := table.IfAbsent(), int64(1)
		it, first, err := s.readEvaluation(ctx, e.Bid, e.Evaluator)
		switch {
		case err == nil:
			if first.Conflict || !e.Conflict {
				return first, nil
			}
			cond, version = table.IfVersion(it.Version), it.Version+1
		case pathway.ErrorCode(err) != pathway.ENOTFOUND:
			return nil, err
		}
		err = s.putEvaluation(ctx, &rec, version, cond, ev)
		if lost(err) && attempt < maxAttempts {
			pause(ctx, attempt)
			continue // read what was written meanwhile
		}
		if err != nil {
			return nil, mapErr(err)
		}
		return &rec, nil
	}
}

// PutEvaluation stores an evaluator's scores and reasons for a bid with
// its event (which may be nil; its subject the bid), once: a retry
// returns the evaluation stored first. The evaluator must have declared
// no conflict first; one who declared a conflict is excluded, and is told
// the bid is not found, as everything else tells them. Checking the
// scores against the criteria is tenders.CheckScores's.
func (s *Store) PutEvaluation(ctx context.Context, e *tenders.Evaluation, ev *pathway.Event) (*tenders.Evaluation, error) {
	if err := s.checkEvaluation(ctx, e); err != nil {
		return nil, err
	}
	if len(e.Scores) == 0 {
		return nil, pathway.Invalid(map[string]string{"scores": "Score each criterion"})
	}
	for attempt := 1; ; attempt++ {
		it, d, err := s.readEvaluation(ctx, e.Bid, e.Evaluator)
		switch {
		case pathway.ErrorCode(err) == pathway.ENOTFOUND:
			return nil, pathway.Errorf(pathway.ECONFLICT, "Say whether you have a conflict of interest before you evaluate the bid.")
		case err != nil:
			return nil, err
		case d.Conflict:
			return nil, pathway.NotFound("bid")
		case len(d.Scores) > 0:
			return d, nil // scored already: a retry
		}
		rec := *d
		rec.Scores, rec.Reasons, rec.ScoredAt = e.Scores, e.Reasons, e.ScoredAt
		err = s.putEvaluation(ctx, &rec, it.Version+1, table.IfVersion(it.Version), ev)
		if lost(err) && attempt < maxAttempts {
			pause(ctx, attempt)
			continue
		}
		if err != nil {
			return nil, mapErr(err)
		}
		return &rec, nil
	}
}

// putEvaluation writes the evaluation under cond with its event.
func (s *Store) putEvaluation(ctx context.Context, e *tenders.Evaluation, version int64, cond table.Cond, ev *pathway.Event) error {
	w, err := put(bidPK(e.Bid), preEval+e.Evaluator, version, e, cond)
	if err != nil {
		return err
	}
	writes, err := withEvent([]table.Write{w}, ev, tenders.BidSubject(e.Bid))
	if err != nil {
		return err
	}
	return s.t.Transact(ctx, writes...)
}

// readEvaluation reads an evaluator's evaluation and its item, or ENOTFOUND.
func (s *Store) readEvaluation(ctx context.Context, bid, evaluator string) (*table.Item, *tenders.Evaluation, error) {
	var e tenders.Evaluation
	it, err := s.get(ctx, bidPK(bid), preEval+evaluator, "evaluation", &e)
	if err != nil {
		return nil, nil, err
	}
	return it, &e, nil
}

// GetEvaluation returns the evaluator's evaluation of the bid, or
// ENOTFOUND when they have not declared yet.
func (s *Store) GetEvaluation(ctx context.Context, bid, evaluator string) (*tenders.Evaluation, error) {
	if bad(bid) || bad(evaluator) {
		return nil, pathway.NotFound("evaluation")
	}
	_, e, err := s.readEvaluation(ctx, bid, evaluator)
	return e, err
}

// IsExcluded reports whether the user declared a conflict of interest
// with the bid: then nothing of it may be shown to them. It is one read
// of the table, so it sees a declaration made a moment ago.
func (s *Store) IsExcluded(ctx context.Context, bid, user string) (bool, error) {
	e, err := s.GetEvaluation(ctx, bid, user)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return e.Conflict, nil
}

// Evaluations returns the bid's evaluations, by evaluator, those with a
// conflict too (without scores), read from the table.
func (s *Store) Evaluations(ctx context.Context, bid string) ([]*tenders.Evaluation, error) {
	out := []*tenders.Evaluation{}
	if bad(bid) {
		return out, nil
	}
	items, err := s.queryAll(ctx, table.Query{PK: bidPK(bid), Sort: table.SortBeginsWith, A: preEval})
	if err != nil {
		return nil, err
	}
	for i := range items {
		var e tenders.Evaluation
		if err := decode(&items[i], &e); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, nil
}
