// Package store holds every access pattern of the application's records,
// written once over the table port, so both engines serve the same store.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
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
func encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("store: encode %T: %w", v, err)
	}
	return b, nil
}

// decode reads an item body into v.
func decode(it *table.Item, v any) error {
	if err := json.Unmarshal(it.Body, v); err != nil {
		return fmt.Errorf("store: decode %s / %s: %w", it.PK, it.SK, err)
	}
	return nil
}

// get reads one record, or returns ENOTFOUND naming what.
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

// mapErr turns the table's input errors into EINVALID naming the field;
// other errors pass through (a failed condition is the caller's to name).
func mapErr(err error) error {
	if ie, ok := table.Invalid(err); ok {
		if ie.Field == "cursor" {
			return badCursor()
		}
		return pathway.Invalid(map[string]string{ie.Field: ie.Message})
	}
	if errors.Is(err, table.ErrContention) {
		return busy()
	}
	return err
}

// badCursor is the error for a cursor that is not of the listing asked.
func badCursor() error {
	return &pathway.Error{
		Code:    pathway.EINVALID,
		Message: "That page link is not valid. Start again from the first page.",
		Fields:  map[string]string{"cursor": "Is not valid"},
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

// putItem returns a Put of v under the key.
func putItem(pk, sk string, v any, c table.Cond) (table.Write, error) {
	b, err := encode(v)
	if err != nil {
		return table.Write{}, err
	}
	return table.Put(table.Item{PK: pk, SK: sk, Body: b}, c), nil
}
