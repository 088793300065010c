// Package tenderstore is the tenders phase's repository over the table port.
//
// This file is the flow helper's placeholder: the part of the store
// helper's API (TENDERS-CONTRACT.md) the tender workflow uses, with simple
// real bodies, so that the steps and their tests run before the store
// helper's code lands. The lead deletes it at merge in favour of theirs.
//
//	PK               SK              record
//	TENDER#<id>      META            tender
//	TENDER#<id>      BID#<bid>       link to a bid of the tender
//	BID#<id>         META            bid
//	BID#<id>         EVAL#<user>     an evaluator's declaration, then scores
//	BID#<id>         SUMMARY         the bid's assessment summary
package tenderstore

import (
	"context"
	"errors"
	"slices"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tablerec"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

const (
	skMeta    = "META"
	skSummary = "SUMMARY"
	preTender = "TENDER#"
	preBid    = "BID#"
	preEval   = "EVAL#"
)

// Store holds the tenders phase's records in a table.
type Store struct{ t table.Table }

// New returns the store over t.
func New(t table.Table) *Store { return &Store{t: t} }

func stale(what string) error {
	return pathway.Errorf(pathway.ECONFLICT, "Someone else changed this %s while you were working on it. Reload it and try again.", what)
}

// transact writes w conditional as given, with the event, bumping *version.
func (s *Store) transact(ctx context.Context, w table.Write, e *pathway.Event, what string, more ...table.Write) error {
	writes := append([]table.Write{w}, more...)
	if e != nil {
		var err error
		if writes, err = store.WithEvent(writes, e); err != nil {
			return err
		}
	}
	err := s.t.Transact(ctx, writes...)
	if table.FailedAt(err, 0) {
		return stale(what)
	}
	return tablerec.MapErr(err)
}

// CreateTender stores a new tender at Version 1 with its event.
func (s *Store) CreateTender(ctx context.Context, t *tenders.Tender, e *pathway.Event) error {
	rec := *t
	rec.Version = 1
	w, err := tablerec.Put(preTender+t.ID, skMeta, 1, &rec, table.IfAbsent())
	if err != nil {
		return err
	}
	if err := s.transact(ctx, w, e, "tender"); err != nil {
		return err
	}
	*t = rec
	return nil
}

// GetTender returns the tender, or ENOTFOUND.
func (s *Store) GetTender(ctx context.Context, id string) (*tenders.Tender, error) {
	var t tenders.Tender
	if _, err := tablerec.Get(ctx, s.t, preTender+id, skMeta, "tender", &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// UpdateTender stores t if the stored version equals t.Version, with its
// event, in one transaction; t.Version is then the new one.
func (s *Store) UpdateTender(ctx context.Context, t *tenders.Tender, e *pathway.Event) error {
	rec := *t
	rec.Version = t.Version + 1
	w, err := tablerec.Put(preTender+t.ID, skMeta, int64(rec.Version), &rec, table.IfVersion(int64(t.Version)))
	if err != nil {
		return err
	}
	if err := s.transact(ctx, w, e, "tender"); err != nil {
		return err
	}
	t.Version = rec.Version
	return nil
}

// CreateBid stores a new bid with its event and links it to its tender.
func (s *Store) CreateBid(ctx context.Context, b *tenders.Bid, e *pathway.Event) error {
	rec := *b
	rec.Version = 1
	w, err := tablerec.Put(preBid+b.ID, skMeta, 1, &rec, table.IfAbsent())
	if err != nil {
		return err
	}
	link, err := tablerec.Put(preTender+b.Tender, preBid+b.ID, 0, struct{}{}, table.Cond{})
	if err != nil {
		return err
	}
	if err := s.transact(ctx, w, e, "bid", link); err != nil {
		return err
	}
	*b = rec
	return nil
}

// GetBid returns the bid, or ENOTFOUND.
func (s *Store) GetBid(ctx context.Context, id string) (*tenders.Bid, error) {
	var b tenders.Bid
	if _, err := tablerec.Get(ctx, s.t, preBid+id, skMeta, "bid", &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// UpdateBid stores b if the stored version equals b.Version, with its event.
func (s *Store) UpdateBid(ctx context.Context, b *tenders.Bid, e *pathway.Event) error {
	rec := *b
	rec.Version = b.Version + 1
	w, err := tablerec.Put(preBid+b.ID, skMeta, int64(rec.Version), &rec, table.IfVersion(int64(b.Version)))
	if err != nil {
		return err
	}
	if err := s.transact(ctx, w, e, "bid"); err != nil {
		return err
	}
	b.Version = rec.Version
	return nil
}

// ListBids returns every bid of the tender, withdrawn ones too, oldest first.
func (s *Store) ListBids(ctx context.Context, tender string) ([]*tenders.Bid, error) {
	items, err := tablerec.QueryAll(ctx, s.t, table.Query{PK: preTender + tender, Sort: table.SortBeginsWith, A: preBid})
	if err != nil {
		return nil, err
	}
	out := []*tenders.Bid{}
	for _, it := range items {
		b, err := s.GetBid(ctx, it.SK[len(preBid):])
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	slices.SortStableFunc(out, func(a, b *tenders.Bid) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

// evaluation reads the evaluator's record on the bid, or nil.
func (s *Store) evaluation(ctx context.Context, bid, user string) (*table.Item, *tenders.Evaluation, error) {
	it, err := s.t.Get(ctx, preBid+bid, preEval+user)
	if errors.Is(err, table.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, tablerec.MapErr(err)
	}
	var e tenders.Evaluation
	if err := tablerec.Decode(it, &e); err != nil {
		return nil, nil, err
	}
	return it, &e, nil
}

// Declare stores an evaluator's declaration: a conflict stands for good.
// It returns the declaration that stands.
func (s *Store) Declare(ctx context.Context, d *tenders.Evaluation, e *pathway.Event) (*tenders.Evaluation, error) {
	it, first, err := s.evaluation(ctx, d.Bid, d.Evaluator)
	if err != nil {
		return nil, err
	}
	cond, version := table.IfAbsent(), int64(1)
	if first != nil {
		if first.Conflict || !d.Conflict {
			return first, nil
		}
		cond, version = table.IfVersion(it.Version), it.Version+1
	}
	w, err := tablerec.Put(preBid+d.Bid, preEval+d.Evaluator, version, d, cond)
	if err != nil {
		return nil, err
	}
	if err := s.transact(ctx, w, e, "declaration"); err != nil {
		return nil, err
	}
	return d, nil
}

// IsExcluded reports whether the user declared a conflict with the bid.
func (s *Store) IsExcluded(ctx context.Context, bid, user string) (bool, error) {
	_, e, err := s.evaluation(ctx, bid, user)
	return e != nil && e.Conflict, err
}

// PutEvaluation stores an evaluator's scores once, after their declaration
// of no conflict; a retry returns the evaluation stored first.
func (s *Store) PutEvaluation(ctx context.Context, ev *tenders.Evaluation, e *pathway.Event) (*tenders.Evaluation, error) {
	it, first, err := s.evaluation(ctx, ev.Bid, ev.Evaluator)
	if err != nil {
		return nil, err
	}
	switch {
	case first == nil:
		return nil, pathway.Errorf(pathway.ECONFLICT, "Declare your interests before you score the bid.")
	case first.Conflict:
		return nil, pathway.NotFound("bid")
	case first.Scores != nil:
		return first, nil
	}
	w, err := tablerec.Put(preBid+ev.Bid, preEval+ev.Evaluator, it.Version+1, ev, table.IfVersion(it.Version))
	if err != nil {
		return nil, err
	}
	if err := s.transact(ctx, w, e, "evaluation"); err != nil {
		return nil, err
	}
	return ev, nil
}

// Evaluations returns the bid's declarations and evaluations, by evaluator.
func (s *Store) Evaluations(ctx context.Context, bid string) ([]*tenders.Evaluation, error) {
	items, err := tablerec.QueryAll(ctx, s.t, table.Query{PK: preBid + bid, Sort: table.SortBeginsWith, A: preEval})
	if err != nil {
		return nil, err
	}
	out := []*tenders.Evaluation{}
	for i := range items {
		var e tenders.Evaluation
		if err := tablerec.Decode(&items[i], &e); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, nil
}

// PutSummaries stores the assessment summaries, one per bid; storing the
// same summaries again changes nothing that matters.
func (s *Store) PutSummaries(ctx context.Context, sums []tenders.AssessmentSummary) error {
	for i := range sums {
		w, err := tablerec.Put(preBid+sums[i].Bid, skSummary, 0, &sums[i], table.Cond{})
		if err != nil {
			return err
		}
		if err := s.t.Transact(ctx, w); err != nil {
			return tablerec.MapErr(err)
		}
	}
	return nil
}

// GetSummary returns the bid's assessment summary, or ENOTFOUND.
func (s *Store) GetSummary(ctx context.Context, bid string) (*tenders.AssessmentSummary, error) {
	var a tenders.AssessmentSummary
	if _, err := tablerec.Get(ctx, s.t, preBid+bid, skSummary, "assessment summary", &a); err != nil {
		return nil, err
	}
	return &a, nil
}
