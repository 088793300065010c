// Package store holds every access pattern of the application's records,
// written once over the table port, so both engines serve the same store.
package store

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tablerec"
)

// Store implements pathway.Store over a table.
//
// An engine may report a failed IfAbsent or IfExists condition for a lone
// write that did apply (DynamoDB's SDK repeats a request whose response was
// lost; see shared/dynamo). Every such write here reads that failure as
// "done already": AppendEvent, RememberResponse, PutTask and PutChecklist
// as "already there", FinishDelivery as "finished already" (the outbox then
// leaves closing an answer's sibling tasks to the workflow step that
// records the answer, which closes them too). Writes conditional on a
// version are transactions, which the engines apply exactly once.
type Store struct {
	t table.Table
}

var _ pathway.Store = (*Store)(nil)

// New returns the store over t, which must be empty or hold this
// package's layout (keys.go).
func New(t table.Table) *Store { return &Store{t: t} }

// Table returns the table the store writes to, for tests and tools.
func (s *Store) Table() table.Table { return s.t }

// encode returns v as an item body.
func encode(v any) ([]byte, error) { return tablerec.Encode(v) }

// decode reads an item body into v.
func decode(it *table.Item, v any) error { return tablerec.Decode(it, v) }

// get reads one record, or returns ENOTFOUND naming what.
func (s *Store) get(ctx context.Context, pk, sk, what string, v any) (*table.Item, error) {
	return tablerec.Get(ctx, s.t, pk, sk, what, v)
}

// mapErr puts the table's errors in the application's words (tablerec.MapErr).
func mapErr(err error) error { return tablerec.MapErr(err) }

// badCursor is the error for a cursor that is not of the listing asked.
func badCursor() error { return tablerec.BadCursor() }

// queryAll returns every item of a query, following its pages.
func (s *Store) queryAll(ctx context.Context, q table.Query) ([]table.Item, error) {
	return tablerec.QueryAll(ctx, s.t, q)
}

// putItem returns a Put of v under the key.
func putItem(pk, sk string, v any, c table.Cond) (table.Write, error) {
	return tablerec.Put(pk, sk, 0, v, c)
}
