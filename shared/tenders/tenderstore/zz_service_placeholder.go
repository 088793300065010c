// Package tenderstore is the tenders phase's repository over the table port.
//
// PLACEHOLDER written by the service helper so that tenderservice builds
// and its tests run before the store helper's code lands: the methods are
// those TENDERS-CONTRACT.md lists, with simple but true bodies (every
// write conditional on version, events and deliveries in the same
// transaction). The lead deletes this file at merge in favour of the
// store helper's package.
//
//	PK                 SK             record; index keys
//	TENDER#<id>        META           tender; GSI1 = TENDERCOUNCIL#<council> / <created>#<id>,
//	                                  GSI2 = TENDEROPEN / <tendersCloseAt>#<id> while open
//	TENDER#<id>        Q#<q>          a clarification question
//	TENDER#<id>        BID#<bid>      link to a bid
//	BID#<id>           META           bid
//	BID#<id>           EVAL#<user>    an evaluator's declaration and scores
//	BID#<id>           SUMMARY        its assessment summary
//	TENDERCOOP#<coop>  BID#<bid>      link to a co-op's bid
package tenderstore

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tablerec"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

const (
	skMeta    = "META"
	preTender = "TENDER#"
	preBid    = "BID#"
	preQ      = "Q#"
	preEval   = "EVAL#"
	skSummary = "SUMMARY"
	preCounc  = "TENDERCOUNCIL#"
	pkOpen    = "TENDEROPEN"
	preCoop   = "TENDERCOOP#"
	attempts  = 60
)

// Store holds the tenders phase's records in a table.
type Store struct{ t table.Table }

// New returns the store over t.
func New(t table.Table) *Store { return &Store{t: t} }

// TenderPage is one page of tenders.
type TenderPage struct {
	Tenders []*tenders.Tender `json:"tenders"`
	Next    string            `json:"next,omitempty"`
}

func bad(id string) bool {
	return id == "" || len(id) > 128 || strings.Contains(id, "#") || !utf8.ValidString(id)
}

func withEvent(ws []table.Write, e *pathway.Event) ([]table.Write, error) {
	if e == nil {
		return ws, nil
	}
	if err := e.Validate(); err != nil {
		return nil, pathway.InField(err, "event")
	}
	return store.WithEvent(ws, e)
}

func tenderItem(t *tenders.Tender) (table.Item, error) {
	sk, err := tablerec.SortTime(t.CreatedAt, "createdAt")
	if err != nil {
		return table.Item{}, err
	}
	b, err := tablerec.Encode(t)
	if err != nil {
		return table.Item{}, err
	}
	it := table.Item{PK: preTender + t.ID, SK: skMeta, Version: int64(t.Version), Body: b, GSI1PK: preCounc + t.Council, GSI1SK: sk + "#" + t.ID}
	if t.Status == tenders.StatusOpen {
		closes, err := tablerec.SortTime(t.TendersCloseAt, "tendersCloseAt")
		if err != nil {
			return table.Item{}, err
		}
		it.GSI2PK, it.GSI2SK = pkOpen, closes+"#"+t.ID
	}
	return it, nil
}

// CreateTender stores a new tender at Version 1 with its event.
func (s *Store) CreateTender(ctx context.Context, t *tenders.Tender, e *pathway.Event) error {
	if bad(t.ID) || bad(t.Council) {
		return pathway.Invalid(map[string]string{"id": "Is not a valid ID"})
	}
	rec := *t
	rec.Version = 1
	it, err := tenderItem(&rec)
	if err != nil {
		return err
	}
	ws, err := withEvent([]table.Write{table.Put(it, table.IfAbsent())}, e)
	if err != nil {
		return err
	}
	if err := s.t.Transact(ctx, ws...); table.FailedAt(err, 0) {
		return pathway.Errorf(pathway.ECONFLICT, "A tender with the ID %q exists already.", t.ID)
	} else if err != nil {
		return tablerec.MapErr(err)
	}
	*t = rec
	return nil
}

// GetTender returns the tender with the ID.
func (s *Store) GetTender(ctx context.Context, id string) (*tenders.Tender, error) {
	if bad(id) {
		return nil, pathway.NotFound("tender")
	}
	var t tenders.Tender
	if _, err := tablerec.Get(ctx, s.t, preTender+id, skMeta, "tender", &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// UpdateTender stores t if the stored version is t.Version, with its
// event and the deliveries (a workflow's start) in one transaction.
func (s *Store) UpdateTender(ctx context.Context, t *tenders.Tender, e *pathway.Event, ds ...*pathway.Delivery) error {
	rec := *t
	rec.Version = t.Version + 1
	it, err := tenderItem(&rec)
	if err != nil {
		return err
	}
	ws, err := withEvent([]table.Write{table.Put(it, table.IfVersion(int64(t.Version)))}, e)
	for _, d := range ds {
		if err == nil {
			ws, err = store.WithDelivery(ws, d)
		}
	}
	if err != nil {
		return err
	}
	if err := s.t.Transact(ctx, ws...); table.FailedAt(err, 0) {
		return stale("tender")
	} else if err != nil {
		return tablerec.MapErr(err)
	}
	t.Version = rec.Version
	return nil
}

func stale(what string) error {
	return pathway.Errorf(pathway.ECONFLICT, "Someone else changed this %s while you were working on it. Reload it and try again.", what)
}

func (s *Store) tenderPage(ctx context.Context, q table.Query, limit int) (*TenderPage, error) {
	limit, err := pathway.PageLimit(limit)
	if err != nil {
		return nil, err
	}
	q.Limit = limit
	p, err := s.t.Query(ctx, q)
	if err != nil {
		return nil, tablerec.MapErr(err)
	}
	out := &TenderPage{Tenders: make([]*tenders.Tender, 0, len(p.Items)), Next: p.Next}
	for i := range p.Items {
		var t tenders.Tender
		if err := tablerec.Decode(&p.Items[i], &t); err != nil {
			return nil, err
		}
		out.Tenders = append(out.Tenders, &t)
	}
	return out, nil
}

// ListCouncilTenders returns a page of the council's tenders, oldest first.
func (s *Store) ListCouncilTenders(ctx context.Context, council, cursor string, limit int) (*TenderPage, error) {
	if bad(council) {
		return &TenderPage{Tenders: []*tenders.Tender{}}, nil
	}
	return s.tenderPage(ctx, table.Query{Index: table.IndexGSI1, PK: preCounc + council, Cursor: cursor}, limit)
}

// ListOpenTenders returns a page of the open tenders of every council,
// the earliest deadline first.
func (s *Store) ListOpenTenders(ctx context.Context, cursor string, limit int) (*TenderPage, error) {
	return s.tenderPage(ctx, table.Query{Index: table.IndexGSI2, PK: pkOpen, Cursor: cursor}, limit)
}

func bidItem(b *tenders.Bid) (table.Item, error) {
	body, err := tablerec.Encode(b)
	return table.Item{PK: preBid + b.ID, SK: skMeta, Version: int64(b.Version), Body: body}, err
}

// CreateBid stores a new bid at Version 1 with its event, if its tender is
// open, counting it in Tender.Bids in the same transaction. A retry of
// the same ID returns the bid stored first in b.
func (s *Store) CreateBid(ctx context.Context, b *tenders.Bid, e *pathway.Event) error {
	if bad(b.ID) || bad(b.Tender) || bad(b.Coop) {
		return pathway.Invalid(map[string]string{"id": "Is not a valid ID"})
	}
	rec := *b
	rec.Version = 1
	it, err := bidItem(&rec)
	if err != nil {
		return err
	}
	for n := 1; ; n++ {
		t, err := s.GetTender(ctx, b.Tender)
		if err != nil {
			return err
		}
		if first, err := s.GetBid(ctx, b.ID); err == nil {
			*b = *first
			return nil
		}
		if t.Status != tenders.StatusOpen {
			return pathway.Errorf(pathway.ECONFLICT, "The tender is not open for bids.")
		}
		t.Bids++
		ws, err := s.countWrites(t, it, table.IfAbsent(), b.Coop)
		if err != nil {
			return err
		}
		if ws, err = withEvent(ws, e); err != nil {
			return err
		}
		err = s.t.Transact(ctx, ws...)
		if (table.FailedAt(err, 0) || errors.Is(err, table.ErrContention)) && n < attempts {
			tablerec.Pause(ctx, n)
			continue
		}
		if table.FailedAt(err, 1) {
			continue // the same ID meanwhile: read it
		}
		if err != nil {
			return tablerec.MapErr(err)
		}
		*b = rec
		return nil
	}
}

// countWrites writes the tender (its count changed, conditional on the
// version read, bumped), then the bid with its condition and links.
func (s *Store) countWrites(t *tenders.Tender, bid table.Item, c table.Cond, coop string) ([]table.Write, error) {
	rec := *t
	rec.Version++
	ti, err := tenderItem(&rec)
	if err != nil {
		return nil, err
	}
	ws := []table.Write{table.Put(ti, table.IfVersion(int64(t.Version))), table.Put(bid, c)}
	if c.Absent {
		l1, err := tablerec.Put(preTender+t.ID, preBid+bid.PK[len(preBid):], 0, struct{}{}, table.Cond{})
		if err != nil {
			return nil, err
		}
		l2, err := tablerec.Put(preCoop+coop, preBid+bid.PK[len(preBid):], 0, struct{}{}, table.Cond{})
		if err != nil {
			return nil, err
		}
		ws = append(ws, l1, l2)
	}
	return ws, nil
}

// GetBid returns the bid with the ID.
func (s *Store) GetBid(ctx context.Context, id string) (*tenders.Bid, error) {
	if bad(id) {
		return nil, pathway.NotFound("bid")
	}
	var b tenders.Bid
	if _, err := tablerec.Get(ctx, s.t, preBid+id, skMeta, "bid", &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// UpdateBid stores b if the stored version is b.Version, with its event.
func (s *Store) UpdateBid(ctx context.Context, b *tenders.Bid, e *pathway.Event) error {
	rec := *b
	rec.Version = b.Version + 1
	it, err := bidItem(&rec)
	if err != nil {
		return err
	}
	ws, err := withEvent([]table.Write{table.Put(it, table.IfVersion(int64(b.Version)))}, e)
	if err != nil {
		return err
	}
	if err := s.t.Transact(ctx, ws...); table.FailedAt(err, 0) {
		return stale("bid")
	} else if err != nil {
		return tablerec.MapErr(err)
	}
	b.Version = rec.Version
	return nil
}

// WithdrawBid stores the withdrawn bid (conditional on b.Version) and
// takes it off Tender.Bids in the same transaction.
func (s *Store) WithdrawBid(ctx context.Context, b *tenders.Bid, e *pathway.Event) error {
	rec := *b
	rec.Version = b.Version + 1
	it, err := bidItem(&rec)
	if err != nil {
		return err
	}
	for n := 1; ; n++ {
		t, err := s.GetTender(ctx, b.Tender)
		if err != nil {
			return err
		}
		t.Bids--
		ws, err := s.countWrites(t, it, table.IfVersion(int64(b.Version)), b.Coop)
		if err == nil {
			ws, err = withEvent(ws, e)
		}
		if err != nil {
			return err
		}
		err = s.t.Transact(ctx, ws...)
		if (table.FailedAt(err, 0) || errors.Is(err, table.ErrContention)) && n < attempts {
			tablerec.Pause(ctx, n)
			continue
		}
		if table.FailedAt(err, 1) {
			return stale("bid")
		}
		if err != nil {
			return tablerec.MapErr(err)
		}
		b.Version = rec.Version
		return nil
	}
}

func (s *Store) linkedBids(ctx context.Context, pk string) ([]*tenders.Bid, error) {
	items, err := tablerec.QueryAll(ctx, s.t, table.Query{PK: pk, Sort: table.SortBeginsWith, A: preBid})
	if err != nil {
		return nil, err
	}
	out := make([]*tenders.Bid, 0, len(items))
	for _, it := range items {
		b, err := s.GetBid(ctx, it.SK[len(preBid):])
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// ListBids returns the tender's bids.
func (s *Store) ListBids(ctx context.Context, tender string) ([]*tenders.Bid, error) {
	if bad(tender) {
		return []*tenders.Bid{}, nil
	}
	return s.linkedBids(ctx, preTender+tender)
}

// ListCoopBids returns the co-op's bids.
func (s *Store) ListCoopBids(ctx context.Context, coop string) ([]*tenders.Bid, error) {
	if bad(coop) {
		return []*tenders.Bid{}, nil
	}
	return s.linkedBids(ctx, preCoop+coop)
}

// Declare stores an evaluator's declaration; a conflict stands for good.
// It returns the evaluation that stands.
func (s *Store) Declare(ctx context.Context, ev *tenders.Evaluation, e *pathway.Event) (*tenders.Evaluation, error) {
	if bad(ev.Bid) || bad(ev.Evaluator) {
		return nil, pathway.Invalid(map[string]string{"evaluator": "Is not a user's ID"})
	}
	for n := 1; ; n++ {
		cond, version := table.IfAbsent(), int64(1)
		var first tenders.Evaluation
		it, err := tablerec.Get(ctx, s.t, preBid+ev.Bid, preEval+ev.Evaluator, "evaluation", &first)
		switch {
		case err == nil:
			if first.Conflict || !ev.Conflict {
				return &first, nil
			}
			cond, version = table.IfVersion(it.Version), it.Version+1
		case pathway.ErrorCode(err) != pathway.ENOTFOUND:
			return nil, err
		}
		w, err := tablerec.Put(preBid+ev.Bid, preEval+ev.Evaluator, version, ev, cond)
		if err != nil {
			return nil, err
		}
		ws, err := withEvent([]table.Write{w}, e)
		if err != nil {
			return nil, err
		}
		err = s.t.Transact(ctx, ws...)
		if table.FailedAt(err, 0) && n < attempts {
			continue
		}
		if err != nil {
			return nil, tablerec.MapErr(err)
		}
		out := *ev
		return &out, nil
	}
}

// IsExcluded reports whether the user declared a conflict with the bid.
func (s *Store) IsExcluded(ctx context.Context, bid, user string) (bool, error) {
	ev, err := s.Evaluation(ctx, bid, user)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return false, nil
	}
	return err == nil && ev.Conflict, err
}

// Evaluation returns the user's evaluation of the bid, or ENOTFOUND.
func (s *Store) Evaluation(ctx context.Context, bid, user string) (*tenders.Evaluation, error) {
	if bad(bid) || bad(user) {
		return nil, pathway.NotFound("evaluation")
	}
	var ev tenders.Evaluation
	if _, err := tablerec.Get(ctx, s.t, preBid+bid, preEval+user, "evaluation", &ev); err != nil {
		return nil, err
	}
	return &ev, nil
}

// PutEvaluation stores the scores of an evaluator who declared no conflict.
func (s *Store) PutEvaluation(ctx context.Context, ev *tenders.Evaluation, e *pathway.Event) error {
	var first tenders.Evaluation
	it, err := tablerec.Get(ctx, s.t, preBid+ev.Bid, preEval+ev.Evaluator, "evaluation", &first)
	if err != nil {
		return err
	}
	if first.Conflict {
		return pathway.NotFound("bid")
	}
	w, err := tablerec.Put(preBid+ev.Bid, preEval+ev.Evaluator, it.Version+1, ev, table.IfVersion(it.Version))
	if err != nil {
		return err
	}
	ws, err := withEvent([]table.Write{w}, e)
	if err != nil {
		return err
	}
	if err := s.t.Transact(ctx, ws...); table.FailedAt(err, 0) {
		return stale("evaluation")
	} else if err != nil {
		return tablerec.MapErr(err)
	}
	return nil
}

// Evaluations returns the bid's evaluations.
func (s *Store) Evaluations(ctx context.Context, bid string) ([]*tenders.Evaluation, error) {
	if bad(bid) {
		return nil, nil
	}
	items, err := tablerec.QueryAll(ctx, s.t, table.Query{PK: preBid + bid, Sort: table.SortBeginsWith, A: preEval})
	if err != nil {
		return nil, err
	}
	out := make([]*tenders.Evaluation, 0, len(items))
	for i := range items {
		var ev tenders.Evaluation
		if err := tablerec.Decode(&items[i], &ev); err != nil {
			return nil, err
		}
		out = append(out, &ev)
	}
	return out, nil
}

// PutQuestion stores a new question with its event.
func (s *Store) PutQuestion(ctx context.Context, q *tenders.Question, e *pathway.Event) error {
	if bad(q.ID) || bad(q.Tender) {
		return pathway.Invalid(map[string]string{"id": "Is not a valid ID"})
	}
	return s.putQuestion(ctx, q, e, table.IfAbsent(), 1)
}

func (s *Store) putQuestion(ctx context.Context, q *tenders.Question, e *pathway.Event, c table.Cond, version int64) error {
	w, err := tablerec.Put(preTender+q.Tender, preQ+q.ID, version, q, c)
	if err != nil {
		return err
	}
	ws, err := withEvent([]table.Write{w}, e)
	if err != nil {
		return err
	}
	if err := s.t.Transact(ctx, ws...); table.FailedAt(err, 0) {
		return pathway.Errorf(pathway.ECONFLICT, "This question was asked or answered already.")
	} else if err != nil {
		return tablerec.MapErr(err)
	}
	return nil
}

// AnswerQuestion stores the answer of a question not yet answered.
func (s *Store) AnswerQuestion(ctx context.Context, q *tenders.Question, e *pathway.Event) error {
	var first tenders.Question
	it, err := tablerec.Get(ctx, s.t, preTender+q.Tender, preQ+q.ID, "question", &first)
	if err != nil {
		return err
	}
	if first.Answer != "" {
		return pathway.Errorf(pathway.ECONFLICT, "This question has been answered already.")
	}
	return s.putQuestion(ctx, q, e, table.IfVersion(it.Version), it.Version+1)
}

// ListQuestions returns the tender's questions, oldest first.
func (s *Store) ListQuestions(ctx context.Context, tender string) ([]*tenders.Question, error) {
	if bad(tender) {
		return []*tenders.Question{}, nil
	}
	items, err := tablerec.QueryAll(ctx, s.t, table.Query{PK: preTender + tender, Sort: table.SortBeginsWith, A: preQ})
	if err != nil {
		return nil, err
	}
	out := make([]*tenders.Question, 0, len(items))
	for i := range items {
		var q tenders.Question
		if err := tablerec.Decode(&items[i], &q); err != nil {
			return nil, err
		}
		out = append(out, &q)
	}
	return out, nil
}

// PutSummaries stores the assessment summaries (again: the same).
func (s *Store) PutSummaries(ctx context.Context, ss []tenders.AssessmentSummary) error {
	for i := range ss {
		w, err := tablerec.Put(preBid+ss[i].Bid, skSummary, 1, &ss[i], table.Cond{})
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
	if bad(bid) {
		return nil, pathway.NotFound("assessment summary")
	}
	var a tenders.AssessmentSummary
	if _, err := tablerec.Get(ctx, s.t, preBid+bid, skSummary, "assessment summary", &a); err != nil {
		return nil, err
	}
	return &a, nil
}
