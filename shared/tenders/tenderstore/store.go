// Package tenderstore is the tenders phase's repository: every access
// pattern of tenders, bids, evaluations, clarification questions and
// assessment summaries, written once over the table port (keys.go), so
// both engines serve it.
//
// It stores what it is given: status changes follow the rules of
// shared/tenders (Move, MoveBid), which the callers apply. What it keeps
// true itself is what no caller could: every update is conditional on the
// version read, every change is stored with its audit event in one
// transaction, a retried create stores nothing twice, and a tender's count
// of bids moves in the same transaction as the bid.
package tenderstore

import (
	"context"
	"errors"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tablerec"
)

// Store holds the tenders phase's records in a table.
type Store struct {
	t table.Table
}

// New returns the store over t, which may hold shared/store's records too.
func New(t table.Table) *Store { return &Store{t: t} }

// Option adds to a write.
type Option func(*writeOpts)

type writeOpts struct {
	delivery *pathway.Delivery
}

// WithDelivery stores d (a workflow start, or a task's answer) in the same
// transaction as the change that causes it, for shared/store's outbox to
// send after: publishing a tender writes the start of its workflow with it,
// or neither is stored.
func WithDelivery(d *pathway.Delivery) Option {
	return func(o *writeOpts) { o.delivery = d }
}

func optionsOf(opts []Option) writeOpts {
	var o writeOpts
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	return o
}

// maxAttempts bounds the tries of a write that keeps losing races; each
// loss means another writer succeeded, so it is reached only by more
// writers than this at once on one record.
const maxAttempts = 60

// decode reads an item body into v.
func decode(it *table.Item, v any) error { return tablerec.Decode(it, v) }

// get reads one record into v, or returns ENOTFOUND naming what.
func (s *Store) get(ctx context.Context, pk, sk, what string, v any) (*table.Item, error) {
	return tablerec.Get(ctx, s.t, pk, sk, what, v)
}

// put returns a Put of v under the key, at the item version given.
func put(pk, sk string, version int64, v any, c table.Cond) (table.Write, error) {
	return tablerec.Put(pk, sk, version, v, c)
}

// mapErr puts the table's errors in the application's words.
func mapErr(err error) error { return tablerec.MapErr(err) }

// busy is the error of a write that kept losing races with others.
func busy() error { return tablerec.Busy() }

// lost reports whether a transaction lost a race (any of its conditions,
// or contention), and so may be tried again after reading afresh.
func lost(err error) bool {
	var ce *table.ConditionError
	return errors.As(err, &ce) || errors.Is(err, table.ErrContention)
}

// pause waits before attempt n+1 of a write that lost a race.
func pause(ctx context.Context, n int) { tablerec.Pause(ctx, n) }

// queryAll returns every item of a query, following its pages.
func (s *Store) queryAll(ctx context.Context, q table.Query) ([]table.Item, error) {
	return tablerec.QueryAll(ctx, s.t, q)
}

// withEvent appends the event's writes to writes when there is an event,
// through shared/store, so the trail's layout and the event's email
// notices have one home. The event's subject must be one of those given:
// a change is recorded in its own trail. The same event ID always
// carries the same event, so writing it twice changes nothing.
func withEvent(writes []table.Write, e *pathway.Event, subjects ...pathway.Subject) ([]table.Write, error) {
	if e == nil {
		return writes, nil
	}
	if err := e.Validate(); err != nil {
		return nil, pathway.InField(err, "event")
	}
	ok := false
	for _, sub := range subjects {
		ok = ok || e.Subject == sub
	}
	if !ok {
		return nil, pathway.Invalid(map[string]string{"event.subject": "Must be the subject of the record changed"})
	}
	writes, err := store.WithEvent(writes, e)
	if err != nil {
		return nil, err
	}
	return withRefreshes(writes, e, subjects)
}

// withRefreshes asks for the dashboards' aggregates of the other subjects
// the change writes (a bid's tender, whose count of bids it changes) to be
// refreshed too: the event asks only for its own subject's.
func withRefreshes(writes []table.Write, e *pathway.Event, subjects []pathway.Subject) ([]table.Write, error) {
	var err error
	for _, sub := range subjects {
		if sub != e.Subject {
			if writes, err = store.WithRefresh(writes, sub, e.At); err != nil {
				return nil, err
			}
		}
	}
	return writes, nil
}

// withDelivery appends the write of a new delivery when there is one,
// through shared/store, so it is stored with the change that causes it.
func withDelivery(writes []table.Write, d *pathway.Delivery) ([]table.Write, error) {
	ws, err := store.WithDelivery(writes, d)
	if err != nil {
		return nil, pathway.InField(err, "delivery")
	}
	return ws, nil
}

// exists reports whether an item is stored under the key.
func (s *Store) exists(ctx context.Context, pk, sk string) (bool, error) {
	_, err := s.t.Get(ctx, pk, sk)
	if errors.Is(err, table.ErrNotFound) {
		return false, nil
	}
	return err == nil, mapErr(err)
}
