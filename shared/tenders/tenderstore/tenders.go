package tenderstore

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tablerec"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// tenderItem returns the tender's item with its index keys.
func tenderItem(t *tenders.Tender) (table.Item, error) {
	created, err := sortTime(t.CreatedAt, "createdAt")
	if err != nil {
		return table.Item{}, err
	}
	closes, err := sortTime(t.TendersCloseAt, "tendersCloseAt")
	if err != nil {
		return table.Item{}, err
	}
	b, err := tablerec.Encode(t)
	if err != nil {
		return table.Item{}, err
	}
	return table.Item{
		PK: tenderPK(t.ID), SK: skMeta, Version: int64(t.Version), Body: b,
		GSI1PK: preCouncil + t.Council, GSI1SK: created + "#" + t.ID,
		GSI2PK: preStatus + t.Status, GSI2SK: closes + "#" + t.ID,
	}, nil
}

// checkTender refuses a tender that cannot be stored: its tags' rules,
// and IDs that cannot be part of a key.
func checkTender(t *tenders.Tender) error {
	if err := pathway.CheckWrite("tender", t, nil); err != nil {
		return err
	}
	if bad(t.ID) {
		return pathway.Invalid(map[string]string{"id": "Must not contain #"})
	}
	if bad(t.Council) {
		return pathway.Invalid(map[string]string{"council": "Must not contain #"})
	}
	return nil
}

// CreateTender stores a new tender at Version 1 with its event (which may
// be nil; its subject the tender), in one transaction. A retried create
// of the same ID changes nothing and returns the tender stored first in
// t; an ID taken by another council's tender is ECONFLICT.
func (s *Store) CreateTender(ctx context.Context, t *tenders.Tender, e *pathway.Event) error {
	if err := checkTender(t); err != nil {
		return err
	}
	rec := *t
	rec.Version = 1
	it, err := tenderItem(&rec)
	if err != nil {
		return err
	}
	writes, err := withEvent([]table.Write{table.Put(it, table.IfAbsent())}, e, tenders.Subject(t.ID))
	if err != nil {
		return err
	}
	err = s.t.Transact(ctx, writes...)
	if table.FailedAt(err, 0) {
		first, gerr := s.GetTender(ctx, t.ID)
		if gerr != nil {
			return gerr
		}
		if first.Council != t.Council {
			return pathway.Errorf(pathway.ECONFLICT, "A tender with the ID %q exists already.", t.ID)
		}
		*t = *first
		return nil
	}
	if err != nil {
		return mapErr(err)
	}
	*t = rec
	return nil
}

// GetTender returns the tender with the ID, read from the table.
func (s *Store) GetTender(ctx context.Context, id string) (*tenders.Tender, error) {
	_, t, err := s.readTender(ctx, id)
	return t, err
}

// readTender reads the tender and its item.
func (s *Store) readTender(ctx context.Context, id string) (*table.Item, *tenders.Tender, error) {
	if bad(id) {
		return nil, nil, pathway.NotFound("tender")
	}
	var t tenders.Tender
	it, err := s.get(ctx, tenderPK(id), skMeta, "tender", &t)
	if err != nil {
		return nil, nil, err
	}
	return it, &t, nil
}

// UpdateTender stores t if the stored version equals t.Version, with its
// event (which may be nil; its subject the tender) and any delivery
// (WithDelivery), in one transaction; t.Version is then the new one.
// Someone else's change since t was read — a bid counts as one, as it
// moves Bids — is ECONFLICT: read again and retry. The council, the
// creation time and the count of bids are not the caller's to change:
// the count moves only with CreateBid and WithdrawBid.
func (s *Store) UpdateTender(ctx context.Context, t *tenders.Tender, e *pathway.Event, opts ...Option) error {
	if err := checkTender(t); err != nil {
		return err
	}
	_, old, err := s.readTender(ctx, t.ID)
	if err != nil {
		return err
	}
	if old.Version != t.Version {
		return staleTender()
	}
	if old.Bids != t.Bids || old.Council != t.Council || !old.CreatedAt.Equal(t.CreatedAt) {
		return pathway.Errorf(pathway.EINTERNAL, "tenderstore: a tender's council, creation time and count of bids are not changed by UpdateTender")
	}
	rec := *t
	rec.Version = t.Version + 1
	it, err := tenderItem(&rec)
	if err != nil {
		return err
	}
	writes, err := withEvent([]table.Write{table.Put(it, table.IfVersion(int64(t.Version)))}, e, tenders.Subject(t.ID))
	if err != nil {
		return err
	}
	if writes, err = withDelivery(writes, optionsOf(opts).delivery); err != nil {
		return err
	}
	at := rec.UpdatedAt
	if e != nil {
		at = e.At
	}
	if writes, err = withContractRefresh(writes, old, &rec, at); err != nil {
		return err
	}
	err = s.t.Transact(ctx, writes...)
	if table.FailedAt(err, 0) {
		return staleTender()
	}
	if err != nil {
		return mapErr(err)
	}
	*t = rec
	return nil
}

func staleTender() error {
	return pathway.Errorf(pathway.ECONFLICT, "Someone else changed this tender while you were working on it. Reload it and try again.")
}

// TenderPage is one page of tenders.
type TenderPage struct {
	Tenders []*tenders.Tender `json:"tenders"`
	// Next is the cursor of the following page, or "" on the last.
	Next string `json:"next,omitempty"`
}

// ListCouncilTenders returns a page of the council's tenders, in every
// status, the newest first, from an index (a tender stored a moment ago
// may not show yet). A limit of 0 is pathway.DefaultPageSize; above
// pathway.MaxPageSize it is cut.
func (s *Store) ListCouncilTenders(ctx context.Context, council, cursor string, limit int) (*TenderPage, error) {
	if bad(council) {
		return nil, pathway.Invalid(map[string]string{"council": "Enter the council"})
	}
	return s.tenderPage(ctx, table.Query{Index: table.IndexGSI1, PK: preCouncil + council, Desc: true, Cursor: cursor}, limit)
}

// ListTendersByStatus returns a page of the tenders in one status, of any
// council, the earliest deadline for bids first, from an index.
func (s *Store) ListTendersByStatus(ctx context.Context, status, cursor string, limit int) (*TenderPage, error) {
	if _, ok := pathway.TermOf(tenders.Statuses, status); !ok {
		return nil, pathway.Invalid(map[string]string{"status": "Must be a status of a tender"})
	}
	return s.tenderPage(ctx, table.Query{Index: table.IndexGSI2, PK: preStatus + status, Cursor: cursor}, limit)
}

// ListOpenTenders returns a page of the tenders open for bids (published,
// deadline not yet closed by the workflow), of any council, closing
// soonest first, from an index. A tender whose deadline passed a moment
// ago may still show until its workflow closes it: callers compare
// TendersCloseAt with the time (tenders.CanBid does).
func (s *Store) ListOpenTenders(ctx context.Context, cursor string, limit int) (*TenderPage, error) {
	return s.ListTendersByStatus(ctx, tenders.StatusOpen, cursor, limit)
}

// tenderPage reads one page of a query of tenders.
func (s *Store) tenderPage(ctx context.Context, q table.Query, limit int) (*TenderPage, error) {
	limit, err := pathway.PageLimit(limit)
	if err != nil {
		return nil, err
	}
	q.Limit = limit
	p, err := s.t.Query(ctx, q)
	if err != nil {
		return nil, mapErr(err)
	}
	out := &TenderPage{Tenders: make([]*tenders.Tender, 0, len(p.Items)), Next: p.Next}
	for i := range p.Items {
		var t tenders.Tender
		if err := decode(&p.Items[i], &t); err != nil {
			return nil, err
		}
		out.Tenders = append(out.Tenders, &t)
	}
	return out, nil
}
