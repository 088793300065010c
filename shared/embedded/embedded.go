// Package embedded implements the table port (shared/table) in one bbolt file.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync/atomic"
	"time"

	"github.com/coopcarepathway/pathway/shared/table"
	"go.etcd.io/bbolt"
)

// BucketPrefix starts the name of every bucket the package uses.
const BucketPrefix = "table."

var (
	bucketItems = []byte(BucketPrefix + "items") // len(PK) PK SK → item
	bucketGSI1  = []byte(BucketPrefix + "gsi1")  // len(GSI1PK) GSI1PK esc(GSI1SK) esc(PK) SK → item
	bucketGSI2  = []byte(BucketPrefix + "gsi2")  // likewise for GSI2
)

// Options are how Open opens the file. The zero Options are right for
// production: fsync on every commit, indexes current.
type Options struct {
	// NoSync skips fsync on commit. A crash may then lose recent writes, so
	// only tests and benchmarks set it.
	NoSync bool
	// IndexLag, when positive, hides from index queries the changes of
	// transactions committed less than IndexLag ago, so tests meet the
	// eventual consistency DynamoDB's indexes have. Get and table queries
	// are never lagged.
	IndexLag time.Duration
	// Timeout is how long Open waits for another process to release the
	// file; 0 means one second, so a second copy of the application fails
	// fast instead of hanging.
	Timeout time.Duration
}

// Table is a table.Table in a bbolt file. It is safe for concurrent use.
//
// Each item is stored once in the items bucket under its primary key, and
// again in the bucket of each index that holds it (GSI1, GSI2) under its
// index keys; all of them change in the one bbolt transaction that changes
// the item. bbolt runs one writer at a time and every condition is checked
// inside it, so conditions are exact. Key layouts are in keys.go; they make
// bbolt's byte order DynamoDB's order, so a query is a seek and a walk over
// one partition, never a scan. Index entries with equal index sort keys
// follow their table keys' order, PK then SK: one fixed order, as the port
// asks, though DynamoDB's is another, so nothing may rely on this one.
//
// Indexes are read consistently unless Options.IndexLag asks the table to
// show them late, as DynamoDB's global secondary indexes may be (lag.go).
//
// Every bucket of the package is named with BucketPrefix; other components
// sharing the file through DB (the local Step Functions engine) must use
// another prefix.
type Table struct {
	db  *bbolt.DB
	lag *lagLog // nil unless Options.IndexLag > 0
	// visited counts the bucket entries queries stepped over, so tests can
	// prove a page is a seek, not a scan of other partitions.
	visited atomic.Int64
}

var _ table.Table = (*Table)(nil)

// Open opens the table file at path, creating it and its buckets if needed.
func Open(path string, opts Options) (*Table, error) {
	bo := &bbolt.Options{Timeout: opts.Timeout, FreelistType: bbolt.FreelistMapType,
		NoSync: opts.NoSync, NoGrowSync: opts.NoSync}
	if bo.Timeout == 0 {
		bo.Timeout = time.Second
	}
	db, err := bbolt.Open(path, 0o600, bo)
	if err != nil {
		return nil, fmt.Errorf("embedded: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketItems, bucketGSI1, bucketGSI2} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("embedded: %w", err)
	}
	t := &Table{db: db}
	if opts.IndexLag > 0 {
		t.lag = &lagLog{lag: opts.IndexLag}
	}
	return t, nil
}

// Close closes the file, after pending reads and writes finish.
func (t *Table) Close() error { return t.db.Close() }

// DB returns the bbolt database, so other local components can keep their
// data in the same file, in buckets not named with BucketPrefix.
func (t *Table) DB() *bbolt.DB { return t.db }

// Get returns the item under the key, or table.ErrNotFound.
func (t *Table) Get(ctx context.Context, pk, sk string) (*table.Item, error) {
	if err := table.CheckKey(pk, sk); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var it *table.Item
	err := t.db.View(func(tx *bbolt.Tx) error {
		var err error
		it, err = load(tx.Bucket(bucketItems), pk, sk)
		return err
	})
	if err != nil {
		return nil, wrap(err)
	}
	if it == nil {
		return nil, table.ErrNotFound
	}
	return it, nil
}

// load returns a copy of the item under the key, or nil when none is.
func load(items *bbolt.Bucket, pk, sk string) (*table.Item, error) {
	v := items.Get(itemKey(pk, sk))
	if v == nil {
		return nil, nil
	}
	return decodeItem(v)
}

// Transact applies the writes in one bbolt transaction: every condition is
// evaluated against the stored items before any write is applied, so a
// failed condition leaves the table as it was.
func (t *Table) Transact(ctx context.Context, writes ...table.Write) error {
	if err := table.CheckWrites(writes); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	update := func(rec *changes) error {
		return t.db.Update(func(tx *bbolt.Tx) error { return apply(tx, writes, rec) })
	}
	if t.lag != nil {
		return wrap(t.lag.commit(update))
	}
	return wrap(update(nil))
}

// apply checks the writes' conditions and then applies them, noting each
// index entry it changes in rec (when not nil).
func apply(tx *bbolt.Tx, writes []table.Write, rec *changes) error {
	items := tx.Bucket(bucketItems)
	olds := make([]*table.Item, len(writes))
	for i := range writes {
		w := &writes[i]
		old, err := load(items, w.Item.PK, w.Item.SK)
		if err != nil {
			return err
		}
		if !holds(w.Cond, old) {
			return &table.ConditionError{Index: i, Key: w.Item.Key()}
		}
		olds[i] = old
	}
	for i := range writes {
		w, old := &writes[i], olds[i]
		var next *table.Item
		switch w.Op {
		case table.OpCheck:
			continue
		case table.OpDelete:
			if old == nil {
				continue
			}
		case table.OpPut:
			it := w.Item
			next = &it
		case table.OpAdd:
			next = &table.Item{PK: w.Item.PK, SK: w.Item.SK}
			if old != nil {
				c := *old
				next = &c
			}
			next.Count += w.Item.Count
			next.Counts = addCounts(next.Counts, w.Item.Counts)
		}
		if err := replace(tx, old, next, rec); err != nil {
			return err
		}
	}
	return nil
}

// addCounts returns the counters of stored plus each of delta, creating
// the counters stored lacks; stored is not changed (it may be shared).
func addCounts(stored, delta map[string]int64) map[string]int64 {
	if len(delta) == 0 {
		return stored
	}
	out := maps.Clone(stored)
	if out == nil {
		out = make(map[string]int64, len(delta))
	}
	for name, n := range delta {
		out[name] += n
	}
	return out
}

// holds reports whether c holds on the stored item old (nil when absent).
func holds(c table.Cond, old *table.Item) bool {
	switch {
	case c.Absent && old != nil, c.Exists && old == nil:
		return false
	case c.Version != 0:
		return old != nil && old.Version == c.Version
	}
	return true
}

// replace stores next in place of old (either may be nil: absent), in the
// items bucket and in each index.
func replace(tx *bbolt.Tx, old, next *table.Item, rec *changes) error {
	var val []byte
	var err error
	if next == nil {
		err = tx.Bucket(bucketItems).Delete(itemKey(old.PK, old.SK))
	} else {
		val = encodeItem(next)
		err = tx.Bucket(bucketItems).Put(itemKey(next.PK, next.SK), val)
	}
	if err != nil {
		return err
	}
	for ix := range indexes {
		b := tx.Bucket(indexes[ix].bucket)
		ok, nk := entryKey(old, ix), entryKey(next, ix)
		if ok != nil && string(ok) != string(nk) {
			rec.note(ix, ok, b.Get(ok))
			if err := b.Delete(ok); err != nil {
				return err
			}
		}
		if nk != nil {
			rec.note(ix, nk, b.Get(nk))
			if err := b.Put(nk, val); err != nil {
				return err
			}
		}
	}
	return nil
}

// wrap passes the port's errors and the context's through and labels any
// other error with the package, so a log shows where it came from.
func wrap(err error) error {
	var ce *table.ConditionError
	if err == nil || errors.As(err, &ce) || errors.Is(err, context.Canceled) ||
		errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if _, ok := table.Invalid(err); ok {
		return err
	}
	return fmt.Errorf("embedded: %w", err)
}
