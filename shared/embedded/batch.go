package embedded

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/table"
	"go.etcd.io/bbolt"
)

// batchSize is how many items PutBatch writes in one bbolt transaction.
const batchSize = 10_000

// PutBatch stores items unconditionally, replacing any stored under their
// keys, in bbolt transactions of up to 10,000 items. It is no part of the
// port, as shared/dynamo's PutBatch is not: it is not atomic (a failure
// may leave earlier transactions applied) and checks no condition. Tests
// and tools use it to load many items fast, in exactly the layout
// Transact writes. It refuses, before writing anything, an item
// table.CheckItem refuses and two items under one key.
func (t *Table) PutBatch(ctx context.Context, items []table.Item) error {
	if err := table.CheckBatch(items); err != nil {
		return err
	}
	for len(items) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(len(items), batchSize)
		writes := make([]table.Write, n)
		for i := range n {
			writes[i] = table.Put(items[i], table.Cond{})
		}
		update := func(rec *changes) error {
			return t.db.Update(func(tx *bbolt.Tx) error { return apply(tx, writes, rec) })
		}
		var err error
		if t.lag != nil {
			err = t.lag.commit(update)
		} else {
			err = update(nil)
		}
		if err != nil {
			return wrap(err)
		}
		items = items[n:]
	}
	return nil
}

// Visited returns how many bucket entries queries have stepped over since
// the table was opened, so tests can prove a page is a seek and a short
// walk, not a scan of other partitions.
func (t *Table) Visited() int64 { return t.visited.Load() }
