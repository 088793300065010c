package embedded

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/table/tabletest"
)

// open returns a new table in the test's directory, closed when it ends.
func open(t testing.TB, opts Options) *Table {
	t.Helper()
	opts.NoSync = true
	tb, err := Open(filepath.Join(t.TempDir(), "table.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := tb.Close(); err != nil {
			t.Error(err)
		}
	})
	return tb
}

func TestContract(t *testing.T) {
	t.Parallel()
	tabletest.Run(t, func(t *testing.T) table.Table { return open(t, Options{}) })
}

// TestContractLagged runs the suite on indexes that show writes late, as
// DynamoDB's may: the suite must never assume an index shows a write at once.
func TestContractLagged(t *testing.T) {
	t.Parallel()
	tabletest.Run(t, func(t *testing.T) table.Table { return open(t, Options{IndexLag: 50 * time.Millisecond}) })
}

// indexPage returns the first page of partition pk of GSI1.
func indexPage(t *testing.T, tb *Table, pk string) []table.Item {
	t.Helper()
	p, err := tb.Query(t.Context(), table.Query{Index: table.IndexGSI1, PK: pk, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

// TestIndexLag checks that a lagged index hides a new entry, and shows an
// old one in place of a changed or deleted one, for about the lag, while
// the table shows every write at once.
func TestIndexLag(t *testing.T) {
	const lag = 200 * time.Millisecond
	tb, ctx := open(t, Options{IndexLag: lag}), t.Context()
	put := func(it table.Item) time.Time {
		t.Helper()
		if err := tb.Transact(ctx, table.Put(it, table.Cond{})); err != nil {
			t.Fatal(err)
		}
		return time.Now()
	}
	// waitFor polls the index until f holds of it and returns when it did.
	waitFor := func(what string, f func([]table.Item) bool) time.Time {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if f(indexPage(t, tb, "g")) {
				return time.Now()
			}
		}
		t.Fatalf("the index never showed %s", what)
		return time.Time{}
	}
	// checkLag fails the test unless a change written at from showed at to,
	// about lag later.
	checkLag := func(what string, from, to time.Time) {
		t.Helper()
		if d := to.Sub(from); d < lag-10*time.Millisecond || d > lag+time.Second {
			t.Errorf("%s showed after %v; want about %v", what, d, lag)
		}
	}

	at := put(table.Item{PK: "p", SK: "x", GSI1PK: "g", GSI1SK: "1", Version: 1})
	if got := indexPage(t, tb, "g"); len(got) != 0 {
		t.Fatalf("a fresh write showed at once: %+v", got)
	}
	if it, err := tb.Get(ctx, "p", "x"); err != nil || it.Version != 1 {
		t.Fatalf("Get = %+v, %v; the table must not lag", it, err)
	}
	checkLag("a new entry", at, waitFor("the new entry", func(its []table.Item) bool { return len(its) == 1 }))

	at = put(table.Item{PK: "p", SK: "x", GSI1PK: "g", GSI1SK: "2", Version: 2})
	if got := indexPage(t, tb, "g"); len(got) != 1 || got[0].GSI1SK != "1" || got[0].Version != 1 {
		t.Fatalf("right after a change the index shows %+v; want the old entry", got)
	}
	checkLag("a changed entry", at, waitFor("the changed entry", func(its []table.Item) bool {
		return len(its) == 1 && its[0].Version == 2
	}))

	if err := tb.Transact(ctx, table.Delete("p", "x", table.Cond{})); err != nil {
		t.Fatal(err)
	}
	at = time.Now()
	if got := indexPage(t, tb, "g"); len(got) != 1 || got[0].Version != 2 {
		t.Fatalf("right after a delete the index shows %+v; want the deleted entry", got)
	}
	checkLag("a delete", at, waitFor("the delete", func(its []table.Item) bool { return len(its) == 0 }))
}

// TestIndexLagSeries checks that a lagged index shows, of several quick
// changes, the state before the first of those still hidden.
func TestIndexLagSeries(t *testing.T) {
	tb, ctx := open(t, Options{IndexLag: time.Hour}), t.Context()
	for v := int64(1); v <= 3; v++ {
		it := table.Item{PK: "p", SK: "x", GSI1PK: "g", GSI1SK: fmt.Sprint(v), Version: v}
		if err := tb.Transact(ctx, table.Put(it, table.Cond{})); err != nil {
			t.Fatal(err)
		}
	}
	if got := indexPage(t, tb, "g"); len(got) != 0 {
		t.Fatalf("the index shows %+v; want nothing for an hour", got)
	}
	p, err := tb.Query(ctx, table.Query{PK: "p", Limit: 10})
	if err != nil || len(p.Items) != 1 || p.Items[0].Version != 3 {
		t.Fatalf("table query = %+v, %v; it must not lag", p, err)
	}
}

func TestReopen(t *testing.T) {
	path, ctx := filepath.Join(t.TempDir(), "table.db"), t.Context()
	tb, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := table.Item{PK: "p", SK: "x", GSI1PK: "g", GSI1SK: "1", GSI2PK: "h", GSI2SK: "2",
		Version: 3, Count: 4, Body: []byte(`{"kept":true}`)}
	if err := tb.Transact(ctx, table.Put(want, table.IfAbsent())); err != nil {
		t.Fatal(err)
	}
	if err := tb.Close(); err != nil {
		t.Fatal(err)
	}
	tb, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tb.Close()
	got, err := tb.Get(ctx, "p", "x")
	if err != nil || !reflect.DeepEqual(*got, want) {
		t.Fatalf("after reopening: %+v, %v; want %+v", got, err, want)
	}
	for _, q := range []table.Query{{Index: table.IndexGSI1, PK: "g"}, {Index: table.IndexGSI2, PK: "h"}} {
		q.Limit = 10
		p, err := tb.Query(ctx, q)
		if err != nil || len(p.Items) != 1 || !reflect.DeepEqual(p.Items[0], want) {
			t.Fatalf("%s after reopening: %+v, %v", q.Index, p, err)
		}
	}
}

// TestQueryVisits checks that a page is a seek and a walk of at most
// Limit+1 entries, however many items other partitions hold, with every
// sort condition, on the table and on both indexes.
func TestQueryVisits(t *testing.T) {
	tb, ctx := open(t, Options{}), t.Context()
	var writes []table.Write
	for _, pk := range []string{"o", "p", "p\x00", "p#", "pa", "q"} {
		n := 500
		if pk == "p" {
			n = 20
		}
		for i := range n {
			sk := fmt.Sprintf("%s#%04d", []string{"a", "b", "c"}[i%3], i)
			writes = append(writes, table.Put(table.Item{PK: pk, SK: sk, GSI1PK: pk, GSI1SK: sk, GSI2PK: pk, GSI2SK: "same"}, table.Cond{}))
			if len(writes) == table.MaxWrites {
				if err := tb.Transact(ctx, writes...); err != nil {
					t.Fatal(err)
				}
				writes = writes[:0]
			}
		}
	}
	if err := tb.Transact(ctx, writes...); err != nil {
		t.Fatal(err)
	}
	for _, index := range []string{table.IndexTable, table.IndexGSI1, table.IndexGSI2} {
		for op := table.SortAll; op <= table.SortGreaterEqual; op++ {
			for _, desc := range []bool{false, true} {
				q := table.Query{Index: index, PK: "p", Sort: op, A: "b", B: "c", Desc: desc, Limit: 3}
				if index == table.IndexGSI2 && op != table.SortAll {
					q.A, q.B = "same", "same"
				}
				for page := 0; ; page++ {
					before := tb.visited.Load()
					p, err := tb.Query(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					if v := tb.visited.Load() - before; v > int64(q.Limit+2) {
						t.Errorf("%+v page %d visited %d entries; want at most %d", q, page, v, q.Limit+2)
					}
					for _, it := range p.Items {
						if it.PK != "p" {
							t.Fatalf("%+v returned an item of partition %q", q, it.PK)
						}
					}
					if p.Next == "" {
						break
					}
					q.Cursor = p.Next
				}
			}
		}
	}
}

// TestPutBatch loads more items than one bbolt transaction of PutBatch
// holds, one replacing a stored item under other index keys, and reads
// them back from the table and the indexes.
func TestPutBatch(t *testing.T) {
	tb, ctx := open(t, Options{}), t.Context()
	if err := tb.Transact(ctx, table.Put(table.Item{PK: "p#0000007", SK: "s", GSI1PK: "old", GSI1SK: "x"}, table.Cond{})); err != nil {
		t.Fatal(err)
	}
	items := make([]table.Item, batchSize+5)
	for i := range items {
		items[i] = table.Item{PK: fmt.Sprintf("p#%07d", i), SK: "s", GSI1PK: "g", GSI1SK: fmt.Sprintf("%07d", i),
			Version: int64(i), Body: fmt.Appendf(nil, `{"n":%d}`, i)}
	}
	if err := tb.PutBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 7, batchSize, len(items) - 1} {
		if got, err := tb.Get(ctx, items[i].PK, "s"); err != nil || !reflect.DeepEqual(*got, items[i]) {
			t.Fatalf("Get %s = %+v, %v", items[i].PK, got, err)
		}
	}
	if got := indexPage(t, tb, "old"); len(got) != 0 {
		t.Errorf("the replaced item is still under its old index key: %+v", got)
	}
	q := table.Query{Index: table.IndexGSI1, PK: "g", Sort: table.SortGreaterEqual, A: fmt.Sprintf("%07d", batchSize-1), Limit: 100}
	if p, err := tb.Query(ctx, q); err != nil || len(p.Items) != 6 {
		t.Fatalf("the index across the transactions: %d items, %v; want 6", len(p.Items), err)
	}
	for name, batch := range map[string][]table.Item{
		"an empty SK":             {{PK: "new", SK: "a"}, {PK: "new", SK: ""}},
		"two items under one key": {{PK: "new", SK: "a"}, {PK: "new", SK: "a", Version: 2}},
	} {
		if _, ok := table.Invalid(tb.PutBatch(ctx, batch)); !ok {
			t.Errorf("%s: not refused", name)
		}
		if _, err := tb.Get(ctx, "new", "a"); err == nil {
			t.Errorf("%s: a refused batch stored an item", name)
		}
	}
}
