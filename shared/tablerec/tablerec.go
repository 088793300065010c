// Package tablerec holds what every repository over the table port does
// the same way: records as JSON bodies, the table's errors in the
// application's words, whole queries, sort-key times, and waiting between
// attempts of a write that lost a race. shared/store and each phase's
// repository (shared/grants/grantstore, …) share it, so a rule such as
// "a bad cursor reads as EINVALID naming cursor" has one home.
package tablerec

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

// Encode returns v as an item body.
func Encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("tablerec: encode %T: %w", v, err)
	}
	return b, nil
}

// Decode reads an item body into v.
func Decode(it *table.Item, v any) error {
	if err := json.Unmarshal(it.Body, v); err != nil {
		return fmt.Errorf("tablerec: decode %s / %s: %w", it.PK, it.SK, err)
	}
	return nil
}

// Get reads one record into v, or returns ENOTFOUND naming what.
func Get(ctx context.Context, t table.Table, pk, sk, what string, v any) (*table.Item, error) {
	it, err := t.Get(ctx, pk, sk)
	if errors.Is(err, table.ErrNotFound) {
		return nil, pathway.NotFound(what)
	}
	if err != nil {
		return nil, MapErr(err)
	}
	return it, Decode(it, v)
}

// Put returns a Put of v under the key, at the item version given (0 for
// a record that does not count its versions).
func Put(pk, sk string, version int64, v any, c table.Cond) (table.Write, error) {
	b, err := Encode(v)
	if err != nil {
		return table.Write{}, err
	}
	return table.Put(table.Item{PK: pk, SK: sk, Version: version, Body: b}, c), nil
}

// MapErr turns the table's input errors into EINVALID naming the field
// (a cursor of another listing as "start again") and lasting contention
// into ECONFLICT; other errors pass through.
func MapErr(err error) error {
	if ie, ok := table.Invalid(err); ok {
		if ie.Field == "cursor" {
			return BadCursor()
		}
		return pathway.Invalid(map[string]string{ie.Field: ie.Message})
	}
	if errors.Is(err, table.ErrContention) {
		return Busy()
	}
	return err
}

// BadCursor is the error for a cursor that is not of the listing asked.
func BadCursor() error {
	return &pathway.Error{
		Code:    pathway.EINVALID,
		Message: "That page link is not valid. Start again from the first page.",
		Fields:  map[string]string{"cursor": "Is not valid"},
	}
}

// Busy is the error of a write that kept losing races with others.
func Busy() error {
	return pathway.Errorf(pathway.ECONFLICT, "Someone else was changing the same records at the same moment. Try again.")
}

// Pause waits before attempt n+1 of a write that lost a race: a random
// time up to 2ⁿ ms (at most 100 ms), so writers that conflict with each
// other — DynamoDB may cancel all of them — spread out instead of meeting
// again.
func Pause(ctx context.Context, n int) {
	limit := min(time.Duration(1)<<min(n, 7)*time.Millisecond, 100*time.Millisecond)
	select {
	case <-ctx.Done():
	case <-time.After(rand.N(limit) + time.Millisecond):
	}
}

// QueryAll returns every item of a query, following its pages.
func QueryAll(ctx context.Context, t table.Table, q table.Query) ([]table.Item, error) {
	q.Limit = table.MaxLimit
	var items []table.Item
	for {
		p, err := t.Query(ctx, q)
		if err != nil {
			return nil, MapErr(err)
		}
		items = append(items, p.Items...)
		if p.Next == "" {
			return items, nil
		}
		q.Cursor = p.Next
	}
}

// SortTimeLayout writes a UTC time at nanosecond precision with a fixed
// width, so sort keys order as the times do.
const SortTimeLayout = "2006-01-02T15:04:05.000000000Z"

// SortTime formats t for a sort key; years outside 0–9999 would break the
// fixed width and are refused, naming the field.
func SortTime(t time.Time, field string) (string, error) {
	u := t.UTC()
	if u.Year() < 0 || u.Year() > 9999 {
		return "", pathway.Invalid(map[string]string{field: "Must be a date between the years 0 and 9999"})
	}
	return u.Format(SortTimeLayout), nil
}
