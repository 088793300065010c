package tabletest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/table"
)

// testCounts: Add creates the item and the counters it names, adds to
// stored ones, leaves the others; a Put replaces the counters whole.
func testCounts(t *testing.T, s *suite) {
	pk := s.k("p")
	if err := s.transact(table.AddCounts(pk, "c", map[string]int64{"a": 2, "b:x|y=*": -5})); err != nil {
		t.Fatal(err)
	}
	want := table.Item{PK: pk, SK: "c", Counts: map[string]int64{"a": 2, "b:x|y=*": -5}}
	if got := s.get(t, pk, "c"); !equalItems(got, &want) {
		t.Fatalf("new counters = %+v; want %+v", got, want)
	}
	w := table.AddCounts(pk, "c", map[string]int64{"a": 3, "new": 7})
	w.Item.Count = 4
	if err := s.transact(w); err != nil {
		t.Fatal(err)
	}
	want.Count, want.Counts = 4, map[string]int64{"a": 5, "b:x|y=*": -5, "new": 7}
	if got := s.get(t, pk, "c"); !equalItems(got, &want) {
		t.Fatalf("after a second Add = %+v; want %+v", got, want)
	}
	// A counter back at zero is still there, as DynamoDB keeps it.
	if err := s.transact(table.AddCounts(pk, "c", map[string]int64{"new": -7})); err != nil {
		t.Fatal(err)
	}
	want.Counts["new"] = 0
	if got := s.get(t, pk, "c"); !equalItems(got, &want) {
		t.Fatalf("after adding back to zero = %+v; want %+v", got, want)
	}
	// A Put replaces the item whole, counters included.
	put := table.Item{PK: pk, SK: "c", Version: 1, Counts: map[string]int64{"z": 1}}
	s.put(t, put)
	if got := s.get(t, pk, "c"); !equalItems(got, &put) {
		t.Fatalf("after Put = %+v; want %+v", got, put)
	}
	q := s.all(t, table.Query{PK: pk, Limit: 10})
	if len(q) != 1 || !equalItems(&q[0], &put) {
		t.Fatalf("Query = %+v; want %+v", q, put)
	}
	// Returned counters are copies.
	got := s.get(t, pk, "c")
	got.Counts["z"] = 99
	if again := s.get(t, pk, "c"); again.Counts["z"] != 1 {
		t.Fatalf("changing a returned counter changed the table: %+v", again)
	}
}

// testCountsKeepOtherFields: counters live beside every other field, in
// the table and in the indexes, and Add leaves those fields alone.
func testCountsKeepOtherFields(t *testing.T, s *suite) {
	pk := s.k("p")
	full := table.Item{PK: pk, SK: "full", GSI1PK: s.k("g1"), GSI1SK: "s", GSI2PK: s.k("g2"), GSI2SK: "t",
		Version: 3, Count: 1, Body: []byte(`{"Count":5,"c:a":1}`), Counts: map[string]int64{"a": 1}}
	s.put(t, full)
	if err := s.transact(table.AddCounts(pk, "full", map[string]int64{"a": 1, "Version": 10})); err != nil {
		t.Fatal(err)
	}
	full.Counts = map[string]int64{"a": 2, "Version": 10}
	if got := s.get(t, pk, "full"); !equalItems(got, &full) {
		t.Fatalf("after Add = %+v; want %+v", got, full)
	}
	for _, ix := range []string{table.IndexGSI1, table.IndexGSI2} {
		ipk, _ := table.IndexKeys(&full, ix)
		eventually(t, func() error {
			p, err := s.tb.Query(s.ctx, table.Query{Index: ix, PK: ipk, Limit: 10})
			if err != nil {
				return err
			}
			if len(p.Items) != 1 || !equalItems(&p.Items[0], &full) {
				return fmt.Errorf("%s holds %+v; want %+v", ix, p.Items, full)
			}
			return nil
		})
	}
	// A conditional Add holds to its condition like any write.
	w := table.AddCounts(pk, "full", map[string]int64{"a": 1})
	w.Cond = table.IfVersion(2)
	conditionFailed(t, s.transact(w), 0, table.Key{PK: pk, SK: "full"})
	if got := s.get(t, pk, "full"); !equalItems(got, &full) {
		t.Fatalf("a failed Add changed the item: %+v", got)
	}
}

// testConcurrentCounts: concurrent transactions adding to the same named
// counters, several items each, lose nothing.
func testConcurrentCounts(t *testing.T, s *suite) {
	pk := s.k("p")
	const n = 40
	errs := make([]error, n)
	concurrently(n, func(i int) {
		errs[i] = s.transact(
			table.AddCounts(pk, "x", map[string]int64{"all": 1, "sum": int64(i + 1), fmt.Sprint("own", i): 1}),
			table.AddCounts(pk, "y", map[string]int64{"all": 2}),
		)
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	x, y := s.get(t, pk, "x"), s.get(t, pk, "y")
	if x.Counts["all"] != n || x.Counts["sum"] != n*(n+1)/2 || len(x.Counts) != n+2 || y.Counts["all"] != 2*n {
		t.Fatalf("x = %v, y = %v; want all %d, sum %d, %d own counters, y all %d", x.Counts, y.Counts, n, n*(n+1)/2, n, 2*n)
	}
}

// testInvalidCounts: counter names are 1 to 200 bytes of printable ASCII
// without spaces, in a Put and in an Add alike.
func testInvalidCounts(t *testing.T, s *suite) {
	pk := s.k("p")
	for _, name := range []string{"", "a b", "tab\t", "é", "nul\x00", strings.Repeat("x", table.MaxCountName+1)} {
		counts := map[string]int64{"ok": 1, name: 1}
		put := table.Put(table.Item{PK: pk, SK: "s", Counts: counts}, table.Cond{})
		invalid(t, fmt.Sprintf("Put with counter %q", name), s.tb.Transact(s.ctx, put), "counts")
		invalid(t, fmt.Sprintf("Add of counter %q", name), s.tb.Transact(s.ctx, table.AddCounts(pk, "s", counts)), "counts")
	}
	s.absent(t, pk, "s")
	longest := strings.Repeat("~", table.MaxCountName)
	if err := s.transact(table.AddCounts(pk, "s", map[string]int64{longest: 1, "!": 2})); err != nil {
		t.Fatalf("the longest name: %v", err)
	}
	if got := s.get(t, pk, "s"); got.Counts[longest] != 1 || got.Counts["!"] != 2 {
		t.Fatalf("stored %v", got.Counts)
	}
	// The most counters one Add may change, with long names, and one more.
	many := map[string]int64{}
	for i := range table.MaxAddCounts {
		many[fmt.Sprintf("%s%03d", strings.Repeat("n", 60), i)] = int64(i)
	}
	if err := s.transact(table.AddCounts(pk, "many", many)); err != nil {
		t.Fatalf("an Add of %d counters: %v", len(many), err)
	}
	if got := s.get(t, pk, "many"); len(got.Counts) != table.MaxAddCounts || got.Counts[strings.Repeat("n", 60)+"249"] != 249 {
		t.Fatalf("stored %d counters", len(got.Counts))
	}
	many["one-more"] = 1
	invalid(t, "an Add of too many counters", s.tb.Transact(s.ctx, table.AddCounts(pk, "many", many)), "counts")
}
