package tenderstore

import (
	"context"
	"slices"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tablerec"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// idRec is the body of a link that names a record by its ID.
type idRec struct {
	ID string `json:"id"`
}

// bidItem returns the bid's item. Bids have no index keys: they are
// listed from links, read consistently.
func bidItem(b *tenders.Bid) (table.Item, error) {
	body, err := tablerec.Encode(b)
	if err != nil {
		return table.Item{}, err
	}
	return table.Item{PK: bidPK(b.ID), SK: skMeta, Version: int64(b.Version), Body: body}, nil
}

// checkBid refuses a bid that cannot be stored.
func checkBid(b *tenders.Bid) error {
	if err := pathway.CheckWrite("bid", b, nil); err != nil {
		return err
	}
	for field, id := range map[string]string{"id": b.ID, "tender": b.Tender, "coop": b.Coop} {
		if bad(id) {
			return pathway.Invalid(map[string]string{field: "Must not contain #"})
		}
	}
	if b.CreatedAt.IsZero() {
		return pathway.Invalid(map[string]string{"createdAt": "Is required"})
	}
	return nil
}

// tenderWrite returns the write of the tender with its count of bids
// moved by delta, conditional on the version read (it), at the next one.
func tenderWrite(it *table.Item, t *tenders.Tender, delta int) (table.Write, error) {
	rec := *t
	rec.Bids += delta
	rec.Version = t.Version + 1
	ti, err := tenderItem(&rec)
	if err != nil {
		return table.Write{}, err
	}
	return table.Put(ti, table.IfVersion(it.Version)), nil
}

// CreateBid stores a new bid at Version 1 with its event (which may be
// nil; its subject the bid or its tender), and adds one to the tender's
// Bids, in one transaction conditional on the tender's version read and
// on the tender being open: status open and b.CreatedAt before its
// deadline. A bid for a tender that is not open is EINVALID naming the
// tender. A co-op has one bid in for a tender at a time: a second is
// ECONFLICT (change the first, or withdraw it). Concurrent bids retry
// here after reading the tender again, so none loses a count; only one
// that kept losing races many times is ECONFLICT ("try again"). A retried
// create of the same ID changes nothing and returns the bid stored first
// in b, even after the deadline; an ID taken by another co-op's bid is
// ECONFLICT.
func (s *Store) CreateBid(ctx context.Context, b *tenders.Bid, e *pathway.Event) error {
	if err := checkBid(b); err != nil {
		return err
	}
	rec := *b
	rec.Version = 1
	for attempt := 1; ; attempt++ {
		done, err := s.retriedBid(ctx, b)
		if done || err != nil {
			return err
		}
		writes, err := s.bidWrites(ctx, &rec, e)
		if err == errCoopHasBid {
			// The live bid may be this very bid, stored by a retry that
			// ran at the same time since retriedBid looked.
			if done, rerr := s.retriedBid(ctx, b); done || rerr != nil {
				return rerr
			}
		}
		if err != nil {
			return err
		}
		err = s.t.Transact(ctx, writes...)
		if lost(err) {
			if attempt < maxAttempts {
				pause(ctx, attempt)
				continue // read again: a retry's first write, a closed tender, or a new count
			}
			return busy()
		}
		if err != nil {
			return mapErr(err)
		}
		*b = rec
		return nil
	}
}

// errCoopHasBid refuses a second live bid from one co-op for a tender.
var errCoopHasBid = pathway.Errorf(pathway.ECONFLICT, "Your co-op has a bid in for this tender already: change that bid instead.")

// retriedBid reports whether b's ID is stored already: then b becomes the
// stored bid when it is the same co-op's for the same tender (a retry),
// and the error is ECONFLICT when not.
func (s *Store) retriedBid(ctx context.Context, b *tenders.Bid) (bool, error) {
	var first tenders.Bid
	_, err := s.get(ctx, bidPK(b.ID), skMeta, "bid", &first)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	if first.Coop != b.Coop || first.Tender != b.Tender {
		return true, pathway.Errorf(pathway.ECONFLICT, "A bid with the ID %q exists already.", b.ID)
	}
	*b = first
	return true, nil
}

// bidWrites reads the tender, checks it takes the bid, and returns the
// writes of a new bid: the bid (write 0), the tender with one more bid,
// the co-op's live bid, the links, and the event.
func (s *Store) bidWrites(ctx context.Context, b *tenders.Bid, e *pathway.Event) ([]table.Write, error) {
	tit, t, err := s.readTender(ctx, b.Tender)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, pathway.Invalid(map[string]string{"tender": "Is not a tender"})
	}
	if err != nil {
		return nil, err
	}
	if t.Council != b.Council {
		return nil, pathway.Invalid(map[string]string{"council": "Must be the tender's council"})
	}
	if t.Status != tenders.StatusOpen || !b.CreatedAt.Before(t.TendersCloseAt) {
		return nil, pathway.Invalid(map[string]string{"tender": "The tender is not open for bids"})
	}
	if live, err := s.exists(ctx, tenderPK(b.Tender), preCoopBid+b.Coop); err != nil || live {
		if err != nil {
			return nil, err
		}
		return nil, errCoopHasBid
	}
	it, err := bidItem(b)
	if err != nil {
		return nil, err
	}
	tw, err := tenderWrite(tit, t, +1)
	if err != nil {
		return nil, err
	}
	live, err := put(tenderPK(b.Tender), preCoopBid+b.Coop, 0, idRec{b.ID}, table.IfAbsent())
	if err != nil {
		return nil, err
	}
	tlink, err := put(tenderPK(b.Tender), preBid+b.ID, 0, idRec{b.ID}, table.Cond{})
	if err != nil {
		return nil, err
	}
	clink, err := put(preCoopBids+b.Coop, preBid+b.ID, 0, idRec{b.ID}, table.Cond{})
	if err != nil {
		return nil, err
	}
	writes := []table.Write{table.Put(it, table.IfAbsent()), tw, live, tlink, clink}
	return withEvent(writes, e, tenders.BidSubject(b.ID), tenders.Subject(b.Tender))
}

// GetBid returns the bid with the ID, read from the table. It does not
// know who asks: keeping bids sealed is the service's.
func (s *Store) GetBid(ctx context.Context, id string) (*tenders.Bid, error) {
	_, b, err := s.readBid(ctx, id)
	return b, err
}

// readBid reads the bid and its item.
func (s *Store) readBid(ctx context.Context, id string) (*table.Item, *tenders.Bid, error) {
	if bad(id) {
		return nil, nil, pathway.NotFound("bid")
	}
	var b tenders.Bid
	it, err := s.get(ctx, bidPK(id), skMeta, "bid", &b)
	if err != nil {
		return nil, nil, err
	}
	return it, &b, nil
}

// UpdateBid stores b if the stored version equals b.Version, with its
// event (which may be nil; its subject the bid or its tender), in one
// transaction; b.Version is then the new one. Its tender, council, co-op
// and creation time are not the caller's to change, and withdrawing goes
// through WithdrawBid, which moves the tender's count.
func (s *Store) UpdateBid(ctx context.Context, b *tenders.Bid, e *pathway.Event) error {
	if err := checkBid(b); err != nil {
		return err
	}
	_, old, err := s.readBid(ctx, b.ID)
	if err != nil {
		return err
	}
	if old.Version != b.Version {
		return staleBid()
	}
	if old.Tender != b.Tender || old.Council != b.Council || old.Coop != b.Coop || !old.CreatedAt.Equal(b.CreatedAt) {
		return pathway.Errorf(pathway.EINTERNAL, "tenderstore: a bid's tender, council, co-op and creation time are not changed by UpdateBid")
	}
	if (old.Status == tenders.BidWithdrawn) != (b.Status == tenders.BidWithdrawn) {
		return pathway.Errorf(pathway.EINTERNAL, "tenderstore: withdrawing a bid goes through WithdrawBid")
	}
	rec := *b
	rec.Version = b.Version + 1
	it, err := bidItem(&rec)
	if err != nil {
		return err
	}
	writes, err := withEvent([]table.Write{table.Put(it, table.IfVersion(int64(b.Version)))}, e, tenders.BidSubject(b.ID), tenders.Subject(b.Tender))
	if err != nil {
		return err
	}
	err = s.t.Transact(ctx, writes...)
	if table.FailedAt(err, 0) {
		return staleBid()
	}
	if err != nil {
		return mapErr(err)
	}
	*b = rec
	return nil
}

func staleBid() error {
	return pathway.Errorf(pathway.ECONFLICT, "Someone else changed this bid while you were working on it. Reload it and try again.")
}

// WithdrawBid stores b, read at b.Version and moved to withdrawn by the
// caller (tenders.MoveBid), with its event, takes one from the tender's
// Bids and frees the co-op to bid again, in one transaction conditional
// on both versions read. The tender must still be open and b.UpdatedAt
// (the moment of withdrawing) before its deadline: ECONFLICT otherwise.
// A retried withdrawal finds the bid withdrawn and returns it in b.
func (s *Store) WithdrawBid(ctx context.Context, b *tenders.Bid, e *pathway.Event) error {
	if err := checkBid(b); err != nil {
		return err
	}
	if b.Status != tenders.BidWithdrawn {
		return pathway.Errorf(pathway.EINTERNAL, "tenderstore: WithdrawBid needs a withdrawn bid")
	}
	for attempt := 1; ; attempt++ {
		writes, done, err := s.withdrawWrites(ctx, b, e)
		if done || err != nil {
			return err
		}
		err = s.t.Transact(ctx, writes...)
		if lost(err) {
			if attempt < maxAttempts {
				pause(ctx, attempt)
				continue // read again: done, stale, closed, or a new count
			}
			return busy()
		}
		if err != nil {
			return mapErr(err)
		}
		b.Version++
		return nil
	}
}

// withdrawWrites reads the bid and its tender and returns the writes of a
// withdrawal, or done when it was made already (b is then the stored bid).
func (s *Store) withdrawWrites(ctx context.Context, b *tenders.Bid, e *pathway.Event) ([]table.Write, bool, error) {
	_, old, err := s.readBid(ctx, b.ID)
	if err != nil {
		return nil, false, err
	}
	if old.Version != b.Version {
		if old.Status == tenders.BidWithdrawn && old.Version == b.Version+1 {
			*b = *old // a retry: withdrawn already
			return nil, true, nil
		}
		return nil, false, staleBid()
	}
	if old.Status != tenders.BidSubmitted || old.Tender != b.Tender || old.Coop != b.Coop {
		return nil, false, pathway.Errorf(pathway.ECONFLICT, "The bid is %q, so it cannot be withdrawn.", old.Status)
	}
	tit, t, err := s.readTender(ctx, b.Tender)
	if err != nil {
		return nil, false, err
	}
	if t.Status != tenders.StatusOpen || !b.UpdatedAt.Before(t.TendersCloseAt) {
		return nil, false, pathway.Errorf(pathway.ECONFLICT, "The deadline for bids has passed, so the bid can no longer be withdrawn.")
	}
	rec := *b
	rec.Version = b.Version + 1
	it, err := bidItem(&rec)
	if err != nil {
		return nil, false, err
	}
	tw, err := tenderWrite(tit, t, -1)
	if err != nil {
		return nil, false, err
	}
	writes := []table.Write{table.Put(it, table.IfVersion(int64(b.Version))), tw,
		table.Delete(tenderPK(b.Tender), preCoopBid+b.Coop, table.Cond{})}
	writes, err = withEvent(writes, e, tenders.BidSubject(b.ID), tenders.Subject(b.Tender))
	return writes, false, err
}

// ListBids returns every bid for the tender, withdrawn ones too, the
// earliest sent first, read from the table (the step that closes a
// tender sees every bid made before it).
func (s *Store) ListBids(ctx context.Context, tender string) ([]*tenders.Bid, error) {
	if bad(tender) {
		return []*tenders.Bid{}, nil
	}
	out, err := s.follow(ctx, tenderPK(tender))
	slices.SortFunc(out, func(x, y *tenders.Bid) int {
		if c := x.CreatedAt.Compare(y.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out, err
}

// ListCoopBids returns the co-op's bids for every tender, the newest
// first, read from the table: a founder sees the bid they just sent.
func (s *Store) ListCoopBids(ctx context.Context, coop string) ([]*tenders.Bid, error) {
	if bad(coop) {
		return []*tenders.Bid{}, nil
	}
	out, err := s.follow(ctx, preCoopBids+coop)
	slices.SortFunc(out, func(x, y *tenders.Bid) int {
		if c := y.CreatedAt.Compare(x.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(y.ID, x.ID)
	})
	return out, err
}

// CoopBid returns the co-op's bid in for the tender (not withdrawn), or
// ENOTFOUND when it has none.
func (s *Store) CoopBid(ctx context.Context, tender, coop string) (*tenders.Bid, error) {
	if bad(tender) || bad(coop) {
		return nil, pathway.NotFound("bid")
	}
	var link idRec
	if _, err := s.get(ctx, tenderPK(tender), preCoopBid+coop, "bid", &link); err != nil {
		return nil, err
	}
	return s.GetBid(ctx, link.ID)
}

// follow reads the bids a partition's BID# links name.
func (s *Store) follow(ctx context.Context, pk string) ([]*tenders.Bid, error) {
	items, err := s.queryAll(ctx, table.Query{PK: pk, Sort: table.SortBeginsWith, A: preBid})
	if err != nil {
		return nil, err
	}
	out := make([]*tenders.Bid, 0, len(items))
	for _, it := range items {
		b, err := s.GetBid(ctx, it.SK[len(preBid):])
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}
