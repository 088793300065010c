package embedded

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/coopcarepathway/pathway/shared/table"
	"go.etcd.io/bbolt"
)

// benchSizes are the table sizes (items outside the measured partitions)
// every benchmark runs at.
var benchSizes = []int{1_000, 100_000}

// benchTables holds one filled table per size for the whole run: the
// testing package calls a benchmark function several times, and filling
// 100,000 items each time would dominate the run.
var benchTables struct {
	sync.Mutex
	dir    string
	tables map[int]*Table
}

func TestMain(m *testing.M) {
	code := m.Run()
	benchTables.Lock()
	for _, tb := range benchTables.tables {
		_ = tb.Close()
	}
	if benchTables.dir != "" {
		_ = os.RemoveAll(benchTables.dir)
	}
	benchTables.Unlock()
	os.Exit(code)
}

// benchBody is the body of every fixture item: a record of typical size.
var benchBody = []byte(`{"id":"01JABCDEFGHJKMNPQRSTVWXYZ0","name":"A record of typical size","group":"group-1",` +
	`"state":"open","owner":"owner-1","created":"2026-01-02T03:04:05Z","notes":"` +
	`Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore."}`)

// subject returns the primary key of fixture item i.
func subject(i int) (pk, sk string) { return fmt.Sprintf("subject#%07d", i), "record" }

// listPK is the index partition the page benchmark reads; it holds
// listSize items whatever the table's size.
const (
	listPK   = "list#measured"
	listSize = 100
)

// benchTable returns the shared table holding n fixture items plus the
// measured list, opened with fsync on.
func benchTable(b *testing.B, n int) *Table {
	b.Helper()
	benchTables.Lock()
	defer benchTables.Unlock()
	if tb, ok := benchTables.tables[n]; ok {
		return tb
	}
	if benchTables.dir == "" {
		dir, err := os.MkdirTemp("", "embedded-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchTables.dir, benchTables.tables = dir, map[int]*Table{}
	}
	path := filepath.Join(benchTables.dir, fmt.Sprintf("table-%d.db", n))
	if err := fill(path, n); err != nil {
		b.Fatal(err)
	}
	tb, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchTables.tables[n] = tb
	return tb
}

// fill writes the fixture without fsync, in a few large bbolt
// transactions: the port's 100-write limit would make it slow.
func fill(path string, n int) error {
	tb, err := Open(path, Options{NoSync: true})
	if err != nil {
		return err
	}
	defer tb.Close()
	var writes []table.Write
	flush := func() error {
		err := tb.db.Update(func(tx *bbolt.Tx) error { return apply(tx, writes, nil) })
		writes = writes[:0]
		return err
	}
	for i := range n {
		pk, sk := subject(i)
		writes = append(writes, table.Put(table.Item{PK: pk, SK: sk,
			// Other lists, around the measured one in key order.
			GSI1PK: fmt.Sprintf("list#%03d", i%200), GSI1SK: fmt.Sprintf("2026-01-01#%07d", i),
			Version: 1, Body: benchBody}, table.Cond{}))
		if len(writes) == 10_000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	for i := range listSize {
		writes = append(writes, table.Put(table.Item{PK: fmt.Sprintf("member#%03d", i), SK: "record",
			GSI1PK: listPK, GSI1SK: fmt.Sprintf("2026-01-01#%07d", i), Version: 1, Body: benchBody}, table.Cond{}))
	}
	return flush()
}

// benchEntries numbers the benchmark's log entries, so every run (-count)
// puts new ones.
var benchEntries atomic.Int64

func BenchmarkGet(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			tb, ctx := benchTable(b, n), b.Context()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i = (i + 7919) % n // a prime stride visits items all over the file
				pk, sk := subject(i)
				if _, err := tb.Get(ctx, pk, sk); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkConditionalUpdate measures the write every command makes: a
// put conditional on the version read, a new log entry, a counter added to,
// in one transaction, with fsync.
func BenchmarkConditionalUpdate(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			tb, ctx := benchTable(b, n), b.Context()
			// Each iteration updates one of 100 items at the version last
			// stored, read once here: the loop itself does no setup.
			items := make([]*table.Item, 100)
			for j := range items {
				pk, sk := subject(j * (n / 100))
				it, err := tb.Get(ctx, pk, sk)
				if err != nil {
					b.Fatal(err)
				}
				items[j] = it
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				it := items[i%len(items)]
				v := it.Version
				it.Version++
				e := benchEntries.Add(1)
				entry := table.Item{PK: it.PK, SK: fmt.Sprintf("log#%012d", e),
					GSI2PK: "log", GSI2SK: fmt.Sprintf("%012d", e), Version: 1, Body: benchBody}
				err := tb.Transact(ctx,
					table.Put(*it, table.IfVersion(v)),
					table.Put(entry, table.IfAbsent()),
					table.Add("counts", it.PK, 1))
				if err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkIndexPage measures a 25-item index page reached by cursor: it
// must cost the same however many items other partitions hold.
func BenchmarkIndexPage(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			tb, ctx := benchTable(b, n), b.Context()
			q := table.Query{Index: table.IndexGSI1, PK: listPK, Limit: 25}
			first, err := tb.Query(ctx, q)
			if err != nil || len(first.Items) != 25 || first.Next == "" {
				b.Fatalf("first page: %d items, next %q, %v", len(first.Items), first.Next, err)
			}
			q.Cursor = first.Next
			b.ReportAllocs()
			for b.Loop() {
				p, err := tb.Query(ctx, q)
				if err != nil || len(p.Items) != 25 {
					b.Fatalf("page: %d items, %v", len(p.Items), err)
				}
			}
		})
	}
}
