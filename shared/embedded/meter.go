package embedded

import (
	"bytes"
	"context"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/table/tablesize"
	"go.etcd.io/bbolt"
)

// Metering. A call made with a context that carries a *cost.Meter adds to
// it the DynamoDB request units the same call would consume on AWS through
// shared/dynamo, worked out by shared/cost's rules over the items' DynamoDB
// sizes (shared/table/tablesize), so a journey run locally costs what it
// would on AWS:
//   - Get is a strongly consistent GetItem: the item's size (or nothing,
//     billed as one 4 KB block) in 4 KB blocks, one unit each.
//   - Query reads every item of the page and the one more that tells
//     whether a next page exists (shared/dynamo asks for Limit+1), their
//     sizes summed and rounded up to 4 KB once; strongly consistent on the
//     table, eventually (half) on an index.
//   - Transact bills each write the larger of the item before and after in
//     1 KB blocks, plus each index's entry changes (cost.IndexWriteUnits),
//     all doubled unless it is a lone put or delete with no version
//     condition (which shared/dynamo sends as PutItem or DeleteItem).
//   - A transaction whose condition fails is billed what it sent, as
//     shared/dynamo bills it (see its meter.go): each write's item (a put)
//     or key (the others) in 1 KB blocks, doubled in a transaction.

// meterGet bills a Get of it (nil: not found).
func meterGet(ctx context.Context, it *table.Item) {
	if m := cost.MeterFrom(ctx); m != nil {
		m.Add(cost.Usage{ReadHalfUnits: cost.GetReadHalfUnits(tablesize.Item(it), cost.Strong)})
	}
}

// meterQuery bills a Query of index that read items (the page and the one
// after it).
func meterQuery(ctx context.Context, index string, items []table.Item) {
	m := cost.MeterFrom(ctx)
	if m == nil {
		return
	}
	c := cost.Strong
	if index != table.IndexTable {
		c = cost.Eventual
	}
	sizes := make([]int, len(items))
	for i := range items {
		sizes[i] = tablesize.Index(&items[i], index)
		if index == table.IndexTable {
			sizes[i] = tablesize.Item(&items[i])
		}
	}
	m.Add(cost.Usage{ReadHalfUnits: cost.QueryReadHalfUnits(sizes, c)})
}

// meterWrites bills the writes of a transaction about to be applied in tx,
// reading the items they change as they are before it.
func meterWrites(ctx context.Context, tx *bbolt.Tx, writes []table.Write) {
	m := cost.MeterFrom(ctx)
	if m == nil {
		return
	}
	items := tx.Bucket(bucketItems)
	trans := !(len(writes) == 1 && (writes[0].Op == table.OpPut || writes[0].Op == table.OpDelete) &&
		writes[0].Cond.Version == 0)
	olds := make([]*table.Item, len(writes))
	for i := range writes {
		old, err := load(items, writes[i].Item.PK, writes[i].Item.SK)
		if err != nil {
			return // apply reports it
		}
		if !holds(writes[i].Cond, old) {
			m.Add(cost.Usage{WriteUnits: failedUnits(writes, trans)})
			return
		}
		olds[i] = old
	}
	var n int64
	for i := range writes {
		n += writeUnits(&writes[i], olds[i], trans)
	}
	m.Add(cost.Usage{WriteUnits: n})
}

// failedUnits is what a refused transaction is billed: what it sent.
func failedUnits(writes []table.Write, trans bool) int64 {
	var n int64
	for i := range writes {
		w := &writes[i]
		size := tablesize.String("PK", w.Item.PK) + tablesize.String("SK", w.Item.SK)
		if w.Op == table.OpPut {
			size = tablesize.Item(&w.Item)
		}
		n += cost.PutWriteUnits(size, trans)
	}
	return n
}

// writeUnits is the units of one write applied over old (nil: absent),
// base table and indexes.
func writeUnits(w *table.Write, old *table.Item, trans bool) int64 {
	next := nextItem(w, old)
	if w.Op == table.OpCheck {
		return cost.PutWriteUnits(tablesize.Item(old), trans)
	}
	n := cost.PutWriteUnits(max(tablesize.Item(old), tablesize.Item(next)), trans)
	changed := old == nil || next == nil || !bytes.Equal(encodeItem(old), encodeItem(next))
	for ix := range indexes {
		name := indexes[ix].name
		before, after := tablesize.Index(old, name), tablesize.Index(next, name)
		keyChanged := before > 0 && after > 0 && !bytes.Equal(entryKey(old, ix), entryKey(next, ix))
		n += cost.IndexWriteUnits(cost.IndexWrite{Before: before, After: after,
			KeyChanged: keyChanged, ProjectedChanged: changed}, trans)
	}
	return n
}

// nextItem is the item w leaves under its key (nil: none), as apply
// makes it.
func nextItem(w *table.Write, old *table.Item) *table.Item {
	switch w.Op {
	case table.OpPut:
		it := w.Item
		return &it
	case table.OpAdd:
		next := &table.Item{PK: w.Item.PK, SK: w.Item.SK}
		if old != nil {
			c := *old
			next = &c
		}
		next.Count += w.Item.Count
		next.Counts = addCounts(next.Counts, w.Item.Counts)
		return next
	case table.OpCheck:
		return old
	}
	return nil
}
