package grantstore

import (
	"context"
	"slices"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tablerec"
)

// applicationItem returns the application's item with its index keys.
func applicationItem(a *grants.Application) (table.Item, error) {
	at := a.SubmittedAt
	if at.IsZero() {
		at = a.CreatedAt
	}
	sk, err := sortTime(at, "submittedAt")
	if err != nil {
		return table.Item{}, err
	}
	b, err := tablerec.Encode(a)
	if err != nil {
		return table.Item{}, err
	}
	return table.Item{
		PK: appPK(a.ID), SK: skMeta, Version: int64(a.Version), Body: b,
		GSI1PK: statusPK(a.Programme, a.Status), GSI1SK: sk + "#" + a.ID,
	}, nil
}

// CreateApplication stores a new application at Version 1 with its event
// (which may be nil), in one transaction. A retried create of the same ID
// changes nothing and returns the application stored first in a; an ID
// taken by another co-op or programme is ECONFLICT.
func (s *Store) CreateApplication(ctx context.Context, a *grants.Application, e *pathway.Event) error {
	return s.CreateApplicationStart(ctx, a, e, nil)
}

// CreateApplicationStart is CreateApplication with start (the delivery
// that starts the application's workflow, or nil) stored in the same
// transaction, for the outbox to send after. A retried create finds the
// first and writes no second start.
func (s *Store) CreateApplicationStart(ctx context.Context, a *grants.Application, e *pathway.Event, start *pathway.Delivery) error {
	if err := pathway.CheckWrite("grant application", a, nil); err != nil {
		return err
	}
	rec := *a
	rec.Version = 1
	it, err := applicationItem(&rec)
	if err != nil {
		return err
	}
	link, err := put(preCoopApps+a.Coop, preLink+a.ID, 0, struct{}{}, table.Cond{})
	if err != nil {
		return err
	}
	writes := []table.Write{table.Put(it, table.IfAbsent()), link}
	if firstSend(nil, &rec) {
		writes = append(writes, factWrites(a.Coop, grants.Facts{Applications: 1})...)
	}
	writes, err = withEvent(writes, a.ID, e)
	if err != nil {
		return err
	}
	if writes, err = withDelivery(writes, start); err != nil {
		return err
	}
	err = s.t.Transact(ctx, writes...)
	if table.FailedAt(err, 0) {
		first, gerr := s.GetApplication(ctx, a.ID)
		if gerr != nil {
			return gerr
		}
		if first.Coop != a.Coop || first.Programme != a.Programme {
			return pathway.Errorf(pathway.ECONFLICT, "A grant application with the ID %q exists already.", a.ID)
		}
		*a = *first
		return nil
	}
	if err != nil {
		return mapErr(err)
	}
	*a = rec
	return nil
}

// GetApplication returns the application with the ID.
func (s *Store) GetApplication(ctx context.Context, id string) (*grants.Application, error) {
	_, a, err := s.readApp(ctx, id)
	return a, err
}

// readApp reads the application and its item.
func (s *Store) readApp(ctx context.Context, id string) (*table.Item, *grants.Application, error) {
	if bad(id) {
		return nil, nil, pathway.NotFound("grant application")
	}
	var a grants.Application
	it, err := s.get(ctx, appPK(id), skMeta, "grant application", &a)
	if err != nil {
		return nil, nil, err
	}
	return it, &a, nil
}

// UpdateApplication stores a if the stored version equals a.Version, with
// its event (which may be nil), in one transaction; a.Version is then the
// new one. A change of status must be one the status table allows.
// Awards, declines and payments move money and go through Award, Decline
// and Pay instead: an update that makes them is refused.
func (s *Store) UpdateApplication(ctx context.Context, a *grants.Application, e *pathway.Event) error {
	if err := pathway.CheckWrite("grant application", a, nil); err != nil {
		return err
	}
	_, old, err := s.readApp(ctx, a.ID)
	if err != nil {
		return err
	}
	if old.Version != a.Version {
		return staleApp()
	}
	if err := sameMoney(old, a); err != nil {
		return err
	}
	if old.Status != a.Status && !grants.CanMove(old.Status, a.Status) {
		return pathway.Errorf(pathway.ECONFLICT, "The application is %q, so it cannot become %q.", old.Status, a.Status)
	}
	if firstSend(old, a) {
		return s.writeApp(ctx, a, e, factWrites(a.Coop, grants.Facts{Applications: 1})...)
	}
	return s.writeApp(ctx, a, e)
}

// sameMoney refuses an update that awards, declines or pays.
func sameMoney(old, a *grants.Application) error {
	moved := old.Status != a.Status && (a.Status == grants.StatusAwarded || a.Status == grants.StatusDeclined)
	if moved || paidTotal(old) != paidTotal(a) || awarded(old) != awarded(a) {
		return pathway.Errorf(pathway.EINTERNAL, "grantstore: awards, declines and payments go through Award, Decline and Pay")
	}
	return nil
}

// paidTotal adds up the tranches paid.
func paidTotal(a *grants.Application) int64 {
	var sum int64
	if a.Award != nil {
		for _, t := range a.Award.Tranches {
			if t.Status == grants.TranchePaid {
				sum += t.Amount
			}
		}
	}
	return sum
}

// awarded is the amount awarded, or 0.
func awarded(a *grants.Application) int64 {
	if a.Award == nil {
		return 0
	}
	return a.Award.Amount
}

// writeApp stores a conditional on a.Version, with e and any other
// writes, and bumps a.Version.
func (s *Store) writeApp(ctx context.Context, a *grants.Application, e *pathway.Event, more ...table.Write) error {
	err := s.transactApp(ctx, a, e, more...)
	if table.FailedAt(err, 0) {
		return staleApp()
	}
	return mapErr(err)
}

// transactApp is writeApp returning the table's error as it is: the
// application's write is write 0, more follow it, the event last.
func (s *Store) transactApp(ctx context.Context, a *grants.Application, e *pathway.Event, more ...table.Write) error {
	rec := *a
	rec.Version = a.Version + 1
	it, err := applicationItem(&rec)
	if err != nil {
		return err
	}
	writes := append([]table.Write{table.Put(it, table.IfVersion(int64(a.Version)))}, more...)
	if writes, err = withEvent(writes, a.ID, e); err != nil {
		return err
	}
	if err := s.t.Transact(ctx, writes...); err != nil {
		return err
	}
	a.Version = rec.Version
	return nil
}

func staleApp() error {
	return pathway.Errorf(pathway.ECONFLICT, "Someone else changed this application while you were working on it. Reload it and try again.")
}

// ApplicationPage is one page of applications.
type ApplicationPage struct {
	Applications []*grants.Application `json:"applications"`
	// Next is the cursor of the following page, or "" on the last.
	Next string `json:"next,omitempty"`
}

// ListApplications returns a page of one programme's applications in
// one status, the earliest sent first (drafts: the earliest created),
// from an index (a change of a moment ago may not show yet). A limit of
// 0 is pathway.DefaultPageSize; above pathway.MaxPageSize it is cut.
func (s *Store) ListApplications(ctx context.Context, programme, status, cursor string, limit int) (*ApplicationPage, error) {
	limit, err := pathway.PageLimit(limit)
	if err != nil {
		return nil, err
	}
	if _, ok := pathway.TermOf(grants.Statuses, status); !ok {
		return nil, pathway.Invalid(map[string]string{"status": "Must be a status of an application"})
	}
	if bad(programme) {
		return nil, pathway.Invalid(map[string]string{"programme": "Enter the programme"})
	}
	p, err := s.t.Query(ctx, table.Query{Index: table.IndexGSI1, PK: statusPK(programme, status), Limit: limit, Cursor: cursor})
	if err != nil {
		return nil, mapErr(err)
	}
	out := &ApplicationPage{Applications: make([]*grants.Application, 0, len(p.Items)), Next: p.Next}
	for i := range p.Items {
		var a grants.Application
		if err := decode(&p.Items[i], &a); err != nil {
			return nil, err
		}
		out.Applications = append(out.Applications, &a)
	}
	return out, nil
}

// ListCoopApplications returns the co-op's applications, newest first
// (ties: greater ID first), read from the table: a founder sees the one
// they just sent.
func (s *Store) ListCoopApplications(ctx context.Context, coop string) ([]*grants.Application, error) {
	if bad(coop) {
		return []*grants.Application{}, nil
	}
	items, err := s.queryAll(ctx, table.Query{PK: preCoopApps + coop, Sort: table.SortBeginsWith, A: preLink})
	if err != nil {
		return nil, err
	}
	out := make([]*grants.Application, 0, len(items))
	for _, it := range items {
		a, err := s.GetApplication(ctx, it.SK[len(preLink):])
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(x, y *grants.Application) int {
		if c := y.CreatedAt.Compare(x.CreatedAt); c != 0 {
			return c
		}
		if x.ID < y.ID {
			return 1
		}
		return -1
	})
	return out, nil
}
