package embedded

import (
	"bytes"
	"context"
	"time"

	"github.com/coopcarepathway/pathway/shared/table"
	"go.etcd.io/bbolt"
)

// Query returns one page of q: a seek to the first key of the range and a
// walk over at most Limit+1 entries of the one partition (the extra one
// tells whether a next page exists). Index queries of a lagged table see the
// index as it was IndexLag ago.
func (t *Table) Query(ctx context.Context, q table.Query) (*table.Page, error) {
	if err := table.CheckQuery(&q); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ix, ks := -1, keyspace{prefix: partition(q.PK), index: q.Index != table.IndexTable}
	bucket := bucketItems
	for i := range indexes {
		if indexes[i].name == q.Index {
			ix, bucket = i, indexes[i].bucket
		}
	}
	lo, hi := bounds(ks, &q)
	if q.Cursor != "" {
		pos, err := table.DecodeCursor(&q)
		if err != nil {
			return nil, err
		}
		// Resume strictly after the last item returned, wherever the
		// items around it have gone since.
		k := positionKey(ks, pos)
		if !q.Desc {
			lo = maxKey(lo, after(k))
		} else {
			hi = minKey(hi, k)
		}
	}
	var items []table.Item
	read := func(ov []entry) error {
		return t.db.View(func(tx *bbolt.Tx) error {
			var err error
			items, err = t.walk(tx.Bucket(bucket), lo, hi, q.Desc, q.Limit+1, ov)
			return err
		})
	}
	var err error
	switch {
	case bytes.Compare(lo, hi) >= 0: // an empty range, e.g. BETWEEN b AND a
	case ix >= 0 && t.lag != nil:
		t.lag.mu.RLock()
		err = read(t.lag.overlay(ix, lo, hi, q.Desc, time.Now()))
		t.lag.mu.RUnlock()
	default:
		err = read(nil)
	}
	if err != nil {
		return nil, wrap(err)
	}
	meterQuery(ctx, q.Index, items)
	p := &table.Page{Items: items}
	if len(items) > q.Limit {
		p.Items = items[:q.Limit]
		p.Next = table.EncodeCursor(&q, &p.Items[q.Limit-1])
	}
	if p.Items == nil {
		p.Items = []table.Item{}
	}
	return p, nil
}

// bounds returns the range [lo, hi) of keys that q's sort condition selects
// in its partition.
func bounds(ks keyspace, q *table.Query) (lo, hi []byte) {
	lo, hi = ks.prefix, end(ks.prefix)
	switch q.Sort {
	case table.SortEqual:
		lo, hi = ks.atLeast(q.A), ks.above(q.A)
	case table.SortBeginsWith:
		lo = ks.atLeast(q.A)
		hi = end(lo)
	case table.SortBetween:
		lo, hi = ks.atLeast(q.A), ks.above(q.B)
	case table.SortLess:
		hi = ks.atLeast(q.A)
	case table.SortLessEqual:
		hi = ks.above(q.A)
	case table.SortGreater:
		lo = ks.above(q.A)
	case table.SortGreaterEqual:
		lo = ks.atLeast(q.A)
	}
	return lo, hi
}

// positionKey returns the key of the entry a cursor names.
func positionKey(ks keyspace, pos *table.Position) []byte {
	if ks.index {
		return indexKey(pos.IPK, pos.ISK, pos.PK, pos.SK)
	}
	return append(bytes.Clone(ks.prefix), pos.SK...)
}

func maxKey(a, b []byte) []byte {
	if bytes.Compare(a, b) >= 0 {
		return a
	}
	return b
}

func minKey(a, b []byte) []byte {
	if bytes.Compare(a, b) <= 0 {
		return a
	}
	return b
}

// walk returns up to n items of b in [lo, hi), in ascending or descending
// key order, with the entries of ov (in the same order, in the range) taking
// the place of b's entries under the same keys; an entry of ov with a nil
// value hides b's.
func (t *Table) walk(b *bbolt.Bucket, lo, hi []byte, desc bool, n int, ov []entry) ([]table.Item, error) {
	c := b.Cursor()
	steps := int64(1)
	defer func() { t.visited.Add(steps) }()
	var k, v []byte
	if desc {
		k, v = seekBefore(c, hi)
	} else {
		k, v = c.Seek(lo)
	}
	step := func() {
		steps++
		if desc {
			k, v = c.Prev()
		} else {
			k, v = c.Next()
		}
	}
	var out []table.Item
	for len(out) < n {
		if k != nil && (desc && bytes.Compare(k, lo) < 0 || !desc && bytes.Compare(k, hi) >= 0) {
			k = nil // past the range: the walk of b is over
		}
		var val []byte
		switch {
		case k == nil && len(ov) == 0:
			return out, nil
		case len(ov) == 0 || k != nil && before(k, ov[0].key, desc):
			val = v
			step()
		default:
			if k != nil && bytes.Equal(k, ov[0].key) {
				step()
			}
			val, ov = ov[0].val, ov[1:]
		}
		if val == nil {
			continue // absent in the lagged index
		}
		it, err := decodeItem(val)
		if err != nil {
			return nil, err
		}
		out = append(out, *it)
	}
	return out, nil
}

// before reports whether a comes before b in the walk's order.
func before(a, b []byte, desc bool) bool {
	if desc {
		return bytes.Compare(a, b) > 0
	}
	return bytes.Compare(a, b) < 0
}

// seekBefore positions c on the greatest key less than key and returns it
// with its value, or nil if there is none.
func seekBefore(c *bbolt.Cursor, key []byte) ([]byte, []byte) {
	if k, _ := c.Seek(key); k == nil {
		return c.Last()
	}
	return c.Prev()
}
