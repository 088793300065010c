// Package grantstore is the grants phase's repository: every access
// pattern of programmes, applications, declarations, reviews and budgets,
// written once over the table port (keys.go), so both engines serve it.
//
// Drafts of applications are not kept here yet: the draft store
// (pathway.Store GetDraft/PutDraft) would need a kind of draft for them.
package grantstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
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

// encode returns v as an item body.
func encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("grantstore: encode %T: %w", v, err)
	}
	return b, nil
}

// decode reads an item body into v.
func decode(it *table.Item, v any) error {
	if err := json.Unmarshal(it.Body, v); err != nil {
		return fmt.Errorf("grantstore: decode %s / %s: %w", it.PK, it.SK, err)
	}
	return nil
}

// get reads one record into v, or returns ENOTFOUND naming what.
func (s *Store) get(ctx context.Context, pk, sk, what string, v any) (*table.Item, error) {
	it, err := s.t.Get(ctx, pk, sk)
	if errors.Is(err, table.ErrNotFound) {
		return nil, pathway.NotFound(what)
	}
	if err != nil {
		return nil, mapErr(err)
	}
	return it, decode(it, v)
}

// put returns a Put of v under the key, at the item version given.
func put(pk, sk string, version int64, v any, c table.Cond) (table.Write, error) {
	b, err := encode(v)
	if err != nil {
		return table.Write{}, err
	}
	return table.Put(table.Item{PK: pk, SK: sk, Version: version, Body: b}, c), nil
}

// mapErr turns the table's input errors into EINVALID naming the field
// and lasting contention into ECONFLICT; other errors pass through.
func mapErr(err error) error {
	if ie, ok := table.Invalid(err); ok {
		if ie.Field == "cursor" {
			return &pathway.Error{Code: pathway.EINVALID, Message: "That page link is not valid. Start again from the first page.",
				Fields: map[string]string{"cursor": "Is not valid"}}
		}
		return pathway.Invalid(map[string]string{ie.Field: ie.Message})
	}
	if errors.Is(err, table.ErrContention) {
		return busy()
	}
	return err
}

// busy is the error of a write that kept losing races with others.
func busy() error {
	return pathway.Errorf(pathway.ECONFLICT, "Someone else was changing the same records at the same moment. Try again.")
}

// lost reports whether a transaction lost a race at write i, or to
// contention, and so should be tried again after reading afresh.
func lost(err error, i int) bool {
	return table.FailedAt(err, i) || errors.Is(err, table.ErrContention)
}

// pause waits before attempt n+1 of a write that lost a race, a random
// time up to 2ⁿ ms (at most 100 ms), so writers spread out.
func pause(ctx context.Context, n int) {
	limit := min(time.Duration(1)<<min(n, 7)*time.Millisecond, 100*time.Millisecond)
	select {
	case <-ctx.Done():
	case <-time.After(rand.N(limit) + time.Millisecond):
	}
}

// queryAll returns every item of a query, following its pages.
func (s *Store) queryAll(ctx context.Context, q table.Query) ([]table.Item, error) {
	q.Limit = table.MaxLimit
	var items []table.Item
	for {
		p, err := s.t.Query(ctx, q)
		if err != nil {
			return nil, mapErr(err)
		}
		items = append(items, p.Items...)
		if p.Next == "" {
			return items, nil
		}
		q.Cursor = p.Next
	}
}

// eventWrite returns the Put of an event in the application's trail, in
// shared/store's layout. It is unconditional: the same event ID always
// carries the same event, so writing it twice changes nothing.
func eventWrite(app string, e *pathway.Event) (table.Write, error) {
	if err := e.Validate(); err != nil {
		return table.Write{}, pathway.InField(err, "event")
	}
	if e.Subject.Kind != pathway.SubjectGrantApplication || e.Subject.ID != app {
		return table.Write{}, pathway.Invalid(map[string]string{"event.subject": "Must be the application's subject"})
	}
	rec := *e
	rec.At = e.At.UTC()
	return put(appPK(app), preEvent+e.ID, 0, &rec, table.Cond{})
}

// withEvent appends the event's write to writes when there is an event.
func withEvent(writes []table.Write, app string, e *pathway.Event) ([]table.Write, error) {
	if e == nil {
		return writes, nil
	}
	w, err := eventWrite(app, e)
	if err != nil {
		return nil, err
	}
	return append(writes, w), nil
}

// pkOutbox is shared/store's outbox partition (shared/store/keys.go):
// a delivery written here is sent by the same outbox as every other.
const pkOutbox = "OUTBOX"

// withDelivery appends the Put of a new delivery (a workflow start or a
// task's answer) in shared/store's layout when there is one, so it is
// stored with the change that causes it or not at all.
func withDelivery(writes []table.Write, d *pathway.Delivery) ([]table.Write, error) {
	if d == nil {
		return writes, nil
	}
	if d.Kind == pathway.DeliverMail {
		return nil, pathway.Errorf(pathway.EINTERNAL, "grantstore: mail waits in shared/store's mailbox, not here")
	}
	if d.Version == 0 {
		d.Version = 1
	}
	if err := d.Validate(); err != nil {
		return nil, pathway.InField(err, "delivery")
	}
	rec := *d
	rec.NotBefore, rec.CreatedAt = d.NotBefore.UTC(), d.CreatedAt.UTC()
	b, err := encode(&rec)
	if err != nil {
		return nil, err
	}
	return append(writes, table.Put(table.Item{PK: pkOutbox, SK: d.ID, Version: int64(d.Version), Body: b}, table.IfAbsent())), nil
}
