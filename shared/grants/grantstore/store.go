// Package grantstore is the grants phase's repository: every access
// pattern of programmes, applications, declarations, reviews and budgets,
// written once over the table port (keys.go), so both engines serve it.
//
// Drafts of applications are not kept here yet: the draft store
// (pathway.Store GetDraft/PutDraft) would need a kind of draft for them.
package grantstore

import (
	"context"

	"errors"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tablerec"
)

// Store holds the grants phase's records in a table.
type Store struct {
	t table.Table
}

// New returns the store over t, which may hold shared/store's records too.
func New(t table.Table) *Store { return &Store{t: t} }

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

// lost reports whether a transaction lost a race at write i, or to
// contention, and so should be tried again after reading afresh.
func lost(err error, i int) bool {
	return table.FailedAt(err, i) || errors.Is(err, table.ErrContention)
}

// pause waits before attempt n+1 of a write that lost a race.
func pause(ctx context.Context, n int) { tablerec.Pause(ctx, n) }

// queryAll returns every item of a query, following its pages.
func (s *Store) queryAll(ctx context.Context, q table.Query) ([]table.Item, error) {
	return tablerec.QueryAll(ctx, s.t, q)
}

// eventWrite returns the writes of an event in the application's trail,
// through shared/store, so the trail's layout and the event's email
// notices have one home. The same event ID always carries the same event,
// so writing it twice changes nothing.
func eventWrite(app string, e *pathway.Event) ([]table.Write, error) {
	if err := e.Validate(); err != nil {
		return nil, pathway.InField(err, "event")
	}
	if e.Subject.Kind != pathway.SubjectGrantApplication || e.Subject.ID != app {
		return nil, pathway.Invalid(map[string]string{"event.subject": "Must be the application's subject"})
	}
	return store.WithEvent(nil, e)
}

// withEvent appends the event's writes to writes when there is an event.
func withEvent(writes []table.Write, app string, e *pathway.Event) ([]table.Write, error) {
	if e == nil {
		return writes, nil
	}
	ws, err := eventWrite(app, e)
	if err != nil {
		return nil, err
	}
	return append(writes, ws...), nil
}

// withDelivery appends the write of a new delivery (a workflow start or
// a task's answer) when there is one, through shared/store, so it is
// stored with the change that causes it, or not at all, and sent by the
// same outbox as every other.
func withDelivery(writes []table.Write, d *pathway.Delivery) ([]table.Write, error) {
	ws, err := store.WithDelivery(writes, d)
	if err != nil {
		return nil, pathway.InField(err, "delivery")
	}
	return ws, nil
}
