// Package tabletest is the contract suite every engine of the table port passes.
package tabletest

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/table"
)

// Settle is how long the suite waits for an index to show a write.
const Settle = 5 * time.Second

// Run runs the contract suite on the tables open returns.
//
// The suite writes only under keys it makes unique to each subtest, so open
// may return the same table every time (a DynamoDB table is slow to
// create). Index reads are eventually consistent by the port's contract, so
// the suite polls an index until it shows a write (for up to Settle), and
// never assumes it does at once; table reads must show every write at once.
// Transactions the engine refuses with table.ErrContention are retried.
func Run(t *testing.T, open func(t *testing.T) table.Table) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s *suite)
	}{
		{"RoundTrip", testRoundTrip},
		{"NotFound", testNotFound},
		{"Conditions", testConditions},
		{"FailedTransactionChangesNothing", testFailedTransaction},
		{"Delete", testDelete},
		{"Add", testAdd},
		{"ConcurrentAdds", testConcurrentAdds},
		{"Counts", testCounts},
		{"CountsKeepOtherFields", testCountsKeepOtherFields},
		{"ConcurrentCounts", testConcurrentCounts},
		{"InvalidCounts", testInvalidCounts},
		{"ConcurrentConditionalPuts", testConcurrentConditionalPuts},
		{"NoLostUpdates", testNoLostUpdates},
		{"SortTable", testSortTable},
		{"SortIndexes", testSortIndexes},
		{"EqualIndexSortKeys", testEqualIndexSortKeys},
		{"PartitionsApart", testPartitionsApart},
		{"PageEveryLimit", testPageEveryLimit},
		{"PageWhileWriting", testPageWhileWriting},
		{"CursorOfAnotherQuery", testForeignCursor},
		{"SparseIndexes", testSparseIndexes},
		{"ReadYourWrites", testReadYourWrites},
		{"Invalid", testInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, &suite{tb: open(t), ctx: t.Context(), ns: namespace(t)})
		})
	}
}

// suite is one subtest's table and the prefix of all its keys.
type suite struct {
	tb  table.Table
	ctx context.Context
	ns  string
}

// namespace returns a prefix no other subtest or run uses.
func namespace(t *testing.T) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := t.Name()
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return "tt-" + hex.EncodeToString(b) + "-" + name + "/"
}

// k returns s under the subtest's prefix.
func (s *suite) k(parts ...string) string { return s.ns + strings.Join(parts, "/") }

// transact applies writes, retrying while the engine reports contention
// (DynamoDB cancels transactions that race on an item; the caller retries).
func (s *suite) transact(writes ...table.Write) error {
	for {
		err := s.tb.Transact(s.ctx, writes...)
		if !errors.Is(err, table.ErrContention) {
			return err
		}
		time.Sleep(time.Millisecond)
	}
}

// put stores the items unconditionally, failing the test on error.
func (s *suite) put(t *testing.T, items ...table.Item) {
	t.Helper()
	for len(items) > 0 {
		n := min(len(items), table.MaxWrites)
		writes := make([]table.Write, n)
		for i := range n {
			writes[i] = table.Put(items[i], table.Cond{})
		}
		if err := s.transact(writes...); err != nil {
			t.Fatalf("put: %v", err)
		}
		items = items[n:]
	}
}

// get returns the item under the key, failing the test on error.
func (s *suite) get(t *testing.T, pk, sk string) *table.Item {
	t.Helper()
	it, err := s.tb.Get(s.ctx, pk, sk)
	if err != nil {
		t.Fatalf("Get(%q, %q): %v", pk, sk, err)
	}
	return it
}

// absent fails the test unless no item is stored under the key.
func (s *suite) absent(t *testing.T, pk, sk string) {
	t.Helper()
	if it, err := s.tb.Get(s.ctx, pk, sk); !errors.Is(err, table.ErrNotFound) {
		t.Fatalf("Get(%q, %q) = %+v, %v; want ErrNotFound", pk, sk, it, err)
	}
}

// all returns every item q selects, following cursors.
func (s *suite) all(t *testing.T, q table.Query) []table.Item {
	t.Helper()
	items, err := s.pages(q)
	if err != nil {
		t.Fatalf("query %+v: %v", q, err)
	}
	return items
}

// pages returns every item q selects, following cursors, and checks that
// only the last page has no Next and every other page is full.
func (s *suite) pages(q table.Query) ([]table.Item, error) {
	if q.Limit == 0 {
		q.Limit = table.MaxLimit
	}
	var items []table.Item
	for range 10_000 {
		p, err := s.tb.Query(s.ctx, q)
		if err != nil {
			return nil, err
		}
		items = append(items, p.Items...)
		if p.Next == "" {
			return items, nil
		}
		if len(p.Items) != q.Limit {
			return nil, fmt.Errorf("a page of %d items (limit %d) has a next page", len(p.Items), q.Limit)
		}
		q.Cursor = p.Next
	}
	return nil, errors.New("more than 10,000 pages")
}

// eventually polls f until it returns nil, failing the test with f's last
// error after Settle: index reads are eventually consistent.
func eventually(t *testing.T, f func() error) {
	t.Helper()
	deadline := time.Now().Add(Settle)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %v", Settle, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settle waits until q selects exactly the items want (by table key, in
// order), as an index shows a write some time after it.
func (s *suite) settle(t *testing.T, q table.Query, want []table.Key) {
	t.Helper()
	eventually(t, func() error {
		items, err := s.pages(q)
		if err != nil {
			return err
		}
		if got := keys(items); !slices.Equal(got, want) {
			return fmt.Errorf("query %+v:\n got %q\nwant %q", q, got, want)
		}
		return nil
	})
}

// keys returns the items' table keys.
func keys(items []table.Item) []table.Key {
	ks := make([]table.Key, len(items))
	for i := range items {
		ks[i] = items[i].Key()
	}
	return ks
}

// sks returns the items' sort keys.
func sks(items []table.Item) []string {
	s := make([]string, len(items))
	for i := range items {
		s[i] = items[i].SK
	}
	return s
}

// equalItems reports whether a and b hold the same fields, an empty body
// being the same as none.
func equalItems(a, b *table.Item) bool {
	return a.PK == b.PK && a.SK == b.SK && a.GSI1PK == b.GSI1PK && a.GSI1SK == b.GSI1SK &&
		a.GSI2PK == b.GSI2PK && a.GSI2SK == b.GSI2SK && a.Version == b.Version &&
		a.Count == b.Count && bytes.Equal(a.Body, b.Body) && maps.Equal(a.Counts, b.Counts)
}

// conditionFailed fails the test unless err is a *table.ConditionError of
// write i under key k.
func conditionFailed(t *testing.T, err error, i int, k table.Key) {
	t.Helper()
	var ce *table.ConditionError
	if !errors.As(err, &ce) || ce.Index != i || ce.Key != k {
		t.Fatalf("err = %v; want a ConditionError of write %d on %v", err, i, k)
	}
	if !table.FailedAt(err, i) {
		t.Fatalf("FailedAt(%v, %d) = false", err, i)
	}
}

// invalid fails the test unless err is a *table.InvalidError naming field.
func invalid(t *testing.T, what string, err error, field string) {
	t.Helper()
	ie, ok := table.Invalid(err)
	if !ok || ie.Field != field {
		t.Errorf("%s: err = %v; want an InvalidError of field %q", what, err, field)
	}
}

func testRoundTrip(t *testing.T, s *suite) {
	body := []byte(`{"name":"Åsa — 日本語 𝄞","n":1}`)
	want := table.Item{
		PK: s.k("p", "é#1"), SK: "sk#€/ｆ",
		GSI1PK: s.k("g1"), GSI1SK: "2026-01-02T03:04:05Z#x",
		GSI2PK: s.k("g2"), GSI2SK: "z#𝄞",
		Version: 7, Count: -3, Body: bytes.Clone(body),
	}
	s.put(t, want)
	body[0] = 'X' // the table keeps its own copy
	got := s.get(t, want.PK, want.SK)
	if !equalItems(got, &want) {
		t.Fatalf("Get = %+v\nwant %+v", got, want)
	}
	got.Body[0], got.GSI1SK = 'Y', "changed" // and hands out copies
	if again := s.get(t, want.PK, want.SK); !equalItems(again, &want) {
		t.Fatalf("Get after changing a returned item = %+v", again)
	}
	for _, q := range []table.Query{
		{PK: want.PK, Sort: table.SortEqual, A: want.SK},
		{Index: table.IndexGSI1, PK: want.GSI1PK},
		{Index: table.IndexGSI2, PK: want.GSI2PK},
	} {
		q.Limit = 10
		eventually(t, func() error {
			p, err := s.tb.Query(s.ctx, q)
			if err != nil {
				return err
			}
			if len(p.Items) != 1 || !equalItems(&p.Items[0], &want) || p.Next != "" {
				return fmt.Errorf("query %q %q: %+v; want the item", q.Index, q.PK, p)
			}
			return nil
		})
	}
	// A minimal item: a key and nothing else.
	minimal := table.Item{PK: s.k("min"), SK: "s"}
	s.put(t, minimal)
	if got := s.get(t, minimal.PK, minimal.SK); !equalItems(got, &minimal) {
		t.Fatalf("Get minimal item = %+v", got)
	}
}

func testNotFound(t *testing.T, s *suite) {
	s.absent(t, s.k("p"), "nothing")
	s.put(t, table.Item{PK: s.k("p"), SK: "a"})
	s.absent(t, s.k("p"), "b")
	s.absent(t, s.k("p"), "a\x00")
	s.absent(t, s.k("p"), "A")
	if err := s.transact(table.Delete(s.k("p"), "a", table.Cond{})); err != nil {
		t.Fatal(err)
	}
	s.absent(t, s.k("p"), "a")
}

func testConditions(t *testing.T, s *suite) {
	pk := s.k("p")
	it := table.Item{PK: pk, SK: "x", Version: 1, Body: []byte(`{"v":1}`)}
	key := it.Key()
	if err := s.transact(table.Put(it, table.IfExists())); err == nil {
		t.Fatal("IfExists on an absent item held")
	} else {
		conditionFailed(t, err, 0, key)
	}
	if err := s.transact(table.Put(it, table.IfVersion(1))); err == nil {
		t.Fatal("IfVersion on an absent item held")
	} else {
		conditionFailed(t, err, 0, key)
	}
	s.absent(t, pk, "x")
	if err := s.transact(table.Put(it, table.IfAbsent())); err != nil {
		t.Fatalf("IfAbsent on an absent item: %v", err)
	}
	if err := s.transact(table.Put(it, table.IfAbsent())); err == nil {
		t.Fatal("IfAbsent on a stored item held")
	} else {
		conditionFailed(t, err, 0, key)
	}
	it.Version, it.Body = 2, []byte(`{"v":2}`)
	if err := s.transact(table.Put(it, table.IfVersion(1))); err != nil {
		t.Fatalf("IfVersion(1) on version 1: %v", err)
	}
	it.Version, it.Body = 3, []byte(`{"v":3}`)
	if err := s.transact(table.Put(it, table.IfVersion(1))); err == nil {
		t.Fatal("IfVersion(1) on version 2 held")
	} else {
		conditionFailed(t, err, 0, key)
	}
	if err := s.transact(table.Put(it, table.IfExists())); err != nil {
		t.Fatalf("IfExists on a stored item: %v", err)
	}
	if got := s.get(t, pk, "x"); got.Version != 3 || string(got.Body) != `{"v":3}` {
		t.Fatalf("stored %+v; want version 3", got)
	}
	// Conditions set together must all hold: Exists with a Version is the
	// Version.
	if err := s.transact(table.Check(pk, "x", table.Cond{Exists: true, Version: 2})); err == nil {
		t.Fatal("Exists and Version(2) on version 3 held")
	} else {
		conditionFailed(t, err, 0, key)
	}
	if err := s.transact(table.Check(pk, "x", table.Cond{Exists: true, Version: 3})); err != nil {
		t.Fatalf("Exists and Version(3) on version 3: %v", err)
	}
	// Check holds a transaction to a condition on an item it leaves alone.
	other := table.Item{PK: pk, SK: "y", Version: 1}
	if err := s.transact(table.Check(pk, "x", table.IfVersion(3)), table.Put(other, table.IfAbsent())); err != nil {
		t.Fatalf("Check that holds: %v", err)
	}
	if got := s.get(t, pk, "x"); got.Version != 3 {
		t.Fatalf("Check changed the item: %+v", got)
	}
	other.Version = 2
	err := s.transact(table.Put(other, table.IfVersion(1)), table.Check(pk, "x", table.IfVersion(2)))
	conditionFailed(t, err, 1, key)
	if got := s.get(t, pk, "y"); got.Version != 1 {
		t.Fatalf("a failed Check let write 0 through: %+v", got)
	}
	err = s.transact(table.Check(pk, "nothing", table.IfExists()))
	conditionFailed(t, err, 0, table.Key{PK: pk, SK: "nothing"})
	if err := s.transact(table.Check(pk, "nothing", table.IfAbsent())); err != nil {
		t.Fatalf("Check IfAbsent on an absent item: %v", err)
	}
	s.absent(t, pk, "nothing")
}

func testFailedTransaction(t *testing.T, s *suite) {
	pk, g := s.k("p"), s.k("g1")
	stored := table.Item{PK: pk, SK: "a", GSI1PK: g, GSI1SK: "1", Version: 1, Count: 5, Body: []byte(`{"a":1}`)}
	doomed := table.Item{PK: pk, SK: "c", Version: 1}
	s.put(t, stored, doomed, table.Item{PK: pk, SK: "n", Count: 10})
	changed := stored
	changed.GSI1SK, changed.Version, changed.Body = "9", 2, []byte(`{"a":2}`)
	writes := []table.Write{
		table.Put(changed, table.IfVersion(1)),
		table.Put(table.Item{PK: pk, SK: "b", GSI1PK: g, GSI1SK: "2"}, table.IfAbsent()),
		table.Delete(pk, "c", table.Cond{}),
		table.Add(pk, "n", 1),
		table.Add(pk, "m", 1),
		table.Put(table.Item{PK: pk, SK: "d", Version: 2}, table.IfVersion(1)), // d is absent: fails
	}
	conditionFailed(t, s.transact(writes...), 5, table.Key{PK: pk, SK: "d"})
	if got := s.get(t, pk, "a"); !equalItems(got, &stored) {
		t.Fatalf("a = %+v; want it unchanged", got)
	}
	s.absent(t, pk, "b")
	s.get(t, pk, "c")
	if got := s.get(t, pk, "n"); got.Count != 10 {
		t.Fatalf("counter n = %d; want 10", got.Count)
	}
	s.absent(t, pk, "m")
	s.absent(t, pk, "d")
	// The index shows no trace either, once it shows a later write.
	s.put(t, table.Item{PK: pk, SK: "z", GSI1PK: g, GSI1SK: "5"})
	s.settle(t, table.Query{Index: table.IndexGSI1, PK: g}, []table.Key{{PK: pk, SK: "a"}, {PK: pk, SK: "z"}})
	p, err := s.tb.Query(s.ctx, table.Query{Index: table.IndexGSI1, PK: g, Limit: 10})
	if err != nil || !equalItems(&p.Items[0], &stored) {
		t.Fatalf("index holds %+v, %v; want a unchanged", p, err)
	}
}

func testDelete(t *testing.T, s *suite) {
	pk := s.k("p")
	if err := s.transact(table.Delete(pk, "none", table.Cond{})); err != nil {
		t.Fatalf("Delete of an absent item: %v", err)
	}
	err := s.transact(table.Delete(pk, "none", table.IfExists()))
	conditionFailed(t, err, 0, table.Key{PK: pk, SK: "none"})
	err = s.transact(table.Delete(pk, "none", table.IfVersion(1)))
	conditionFailed(t, err, 0, table.Key{PK: pk, SK: "none"})
	s.put(t, table.Item{PK: pk, SK: "x", Version: 4})
	err = s.transact(table.Delete(pk, "x", table.IfVersion(3)))
	conditionFailed(t, err, 0, table.Key{PK: pk, SK: "x"})
	s.get(t, pk, "x")
	if err := s.transact(table.Delete(pk, "x", table.IfVersion(4))); err != nil {
		t.Fatalf("Delete IfVersion(4) of version 4: %v", err)
	}
	s.absent(t, pk, "x")
}

func testAdd(t *testing.T, s *suite) {
	pk := s.k("p")
	if err := s.transact(table.Add(pk, "n", 3)); err != nil {
		t.Fatal(err)
	}
	want := table.Item{PK: pk, SK: "n", Count: 3}
	if got := s.get(t, pk, "n"); !equalItems(got, &want) {
		t.Fatalf("a new counter = %+v; want %+v", got, want)
	}
	for _, d := range []int64{4, -10, 0} {
		if err := s.transact(table.Add(pk, "n", d)); err != nil {
			t.Fatal(err)
		}
		want.Count += d
	}
	if got := s.get(t, pk, "n"); !equalItems(got, &want) {
		t.Fatalf("counter = %+v; want %+v", got, want)
	}
	// Add leaves an item's other fields as they are, in the table and in
	// its indexes.
	full := table.Item{PK: pk, SK: "full", GSI1PK: s.k("g1"), GSI1SK: "s", GSI2PK: s.k("g2"), GSI2SK: "t",
		Version: 2, Count: 1, Body: []byte(`{"x":true}`)}
	s.put(t, full)
	if err := s.transact(table.Add(pk, "full", 41)); err != nil {
		t.Fatal(err)
	}
	full.Count = 42
	if got := s.get(t, pk, "full"); !equalItems(got, &full) {
		t.Fatalf("after Add: %+v; want %+v", got, full)
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
}

// concurrently runs f(i) for i in [0, n) on n goroutines started together.
func concurrently(n int, f func(i int)) {
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Go(func() {
			start.Wait()
			f(i)
		})
	}
	start.Done()
	done.Wait()
}

func testConcurrentAdds(t *testing.T, s *suite) {
	pk := s.k("p")
	errs := make([]error, 50)
	concurrently(50, func(i int) { errs[i] = s.transact(table.Add(pk, "n", int64(i+1))) })
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if got := s.get(t, pk, "n"); got.Count != 50*51/2 {
		t.Fatalf("count = %d; want %d", got.Count, 50*51/2)
	}
}

func testConcurrentConditionalPuts(t *testing.T, s *suite) {
	pk := s.k("p")
	s.put(t, table.Item{PK: pk, SK: "x", Version: 1})
	const n = 50
	errs := make([]error, n)
	concurrently(n, func(i int) {
		it := table.Item{PK: pk, SK: "x", Version: 2, Body: fmt.Appendf(nil, `{"by":%d}`, i)}
		errs[i] = s.transact(table.Put(it, table.IfVersion(1)))
	})
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("writers %d and %d both won", winner, i)
		case err == nil:
			winner = i
		default:
			conditionFailed(t, err, 0, table.Key{PK: pk, SK: "x"})
		}
	}
	if winner < 0 {
		t.Fatal("no writer won")
	}
	if got := s.get(t, pk, "x"); got.Version != 2 || string(got.Body) != fmt.Sprintf(`{"by":%d}`, winner) {
		t.Fatalf("stored %+v; want writer %d's", got, winner)
	}
}

func testNoLostUpdates(t *testing.T, s *suite) {
	pk := s.k("p")
	const writers, each = 10, 20
	s.put(t, table.Item{PK: pk, SK: "x", Version: 1, Body: []byte("0")})
	errs := make([]error, writers)
	concurrently(writers, func(w int) {
		for range each {
			errs[w] = s.increment(pk, "x")
			if errs[w] != nil {
				return
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	got := s.get(t, pk, "x")
	if string(got.Body) != fmt.Sprint(writers*each) || got.Version != writers*each+1 {
		t.Fatalf("after %d increments: body %s, version %d", writers*each, got.Body, got.Version)
	}
}

// increment adds one to the number in an item's body by a read, then a
// write conditional on the version read, retrying when another won.
func (s *suite) increment(pk, sk string) error {
	for {
		it, err := s.tb.Get(s.ctx, pk, sk)
		if err != nil {
			return err
		}
		var n int
		if _, err := fmt.Sscan(string(it.Body), &n); err != nil {
			return err
		}
		v := it.Version
		it.Version, it.Body = v+1, fmt.Append(nil, n+1)
		err = s.transact(table.Put(*it, table.IfVersion(v)))
		var ce *table.ConditionError
		if !errors.As(err, &ce) {
			return err
		}
	}
}

// sortKeys are sort keys whose DynamoDB order (UTF-8 bytes) differs from
// other plausible orders: case, '#' and '$' around digits, a key that is a
// prefix of others, multibyte characters, and 'ｆ' (U+FF46) before '𝄞'
// (U+1D11E), which UTF-16 order reverses.
var sortKeys = []string{
	"b", "a#10", "A", "a", "a#", "a#1", "a#1#x", "a#2", "a$", "ab", "z", "~",
	"é", "e", "€", "ｆ", "𝄞", "a#1\x7f", "0", "9#",
}

// sortCase is a sort condition and the keys it selects.
type sortCase struct {
	op   table.SortOp
	a, b string
	want func(k string) bool
}

// sortCases returns a case for every sort condition, several for some.
func sortCases() []sortCase {
	eq := func(a string) func(string) bool { return func(k string) bool { return k == a } }
	return []sortCase{
		{table.SortAll, "", "", func(string) bool { return true }},
		{table.SortEqual, "a#1", "", eq("a#1")},
		{table.SortEqual, "é", "", eq("é")},
		{table.SortEqual, "a#3", "", eq("a#3")},
		{table.SortBeginsWith, "a#1", "", func(k string) bool { return strings.HasPrefix(k, "a#1") }},
		{table.SortBeginsWith, "a", "", func(k string) bool { return strings.HasPrefix(k, "a") }},
		{table.SortBeginsWith, "€", "", func(k string) bool { return strings.HasPrefix(k, "€") }},
		{table.SortBeginsWith, "q", "", func(k string) bool { return strings.HasPrefix(k, "q") }},
		{table.SortBetween, "a#", "a$", func(k string) bool { return "a#" <= k && k <= "a$" }},
		{table.SortBetween, "a#1", "a#1", eq("a#1")},
		{table.SortBetween, "b", "ｆ", func(k string) bool { return "b" <= k && k <= "ｆ" }},
		{table.SortLess, "a#1", "", func(k string) bool { return k < "a#1" }},
		{table.SortLessEqual, "a#1", "", func(k string) bool { return k <= "a#1" }},
		{table.SortGreater, "a#1", "", func(k string) bool { return k > "a#1" }},
		{table.SortGreaterEqual, "a#1", "", func(k string) bool { return k >= "a#1" }},
		{table.SortLess, "ｆ", "", func(k string) bool { return k < "ｆ" }},
		{table.SortGreater, "€", "", func(k string) bool { return k > "€" }},
		{table.SortGreaterEqual, "~~", "", func(k string) bool { return k >= "~~" }},
	}
}

// sortedMatches returns the sort keys c selects, in query order.
func (c *sortCase) sortedMatches(desc bool) []string {
	var out []string
	for _, k := range sortKeys {
		if c.want(k) {
			out = append(out, k)
		}
	}
	slices.Sort(out) // Go compares strings bytewise, as DynamoDB does
	if desc {
		slices.Reverse(out)
	}
	return out
}

func testSortTable(t *testing.T, s *suite) {
	pk := s.k("p")
	var items []table.Item
	for _, k := range sortKeys {
		items = append(items, table.Item{PK: pk, SK: k})
	}
	s.put(t, items...)
	for _, c := range sortCases() {
		for _, desc := range []bool{false, true} {
			for _, limit := range []int{1000, 3} {
				q := table.Query{PK: pk, Sort: c.op, A: c.a, B: c.b, Desc: desc, Limit: limit}
				if got, want := sks(s.all(t, q)), c.sortedMatches(desc); !slices.Equal(got, want) {
					t.Errorf("op %d %q %q desc %v limit %d:\n got %q\nwant %q", c.op, c.a, c.b, desc, limit, got, want)
				}
			}
		}
	}
}

func testSortIndexes(t *testing.T, s *suite) {
	g1, g2 := s.k("g1"), s.k("g2")
	var items []table.Item
	for i, k := range sortKeys {
		// Table keys in another order than index keys, so the index
		// cannot pass by returning table order.
		items = append(items, table.Item{PK: s.k("p", fmt.Sprint(len(sortKeys)-i)), SK: "s",
			GSI1PK: g1, GSI1SK: k, GSI2PK: g2, GSI2SK: k, Body: []byte(k)})
	}
	s.put(t, items...)
	for _, ix := range []string{table.IndexGSI1, table.IndexGSI2} {
		ipk := map[string]string{table.IndexGSI1: g1, table.IndexGSI2: g2}[ix]
		eventually(t, func() error {
			got, err := s.pages(table.Query{Index: ix, PK: ipk})
			if err == nil && len(got) != len(sortKeys) {
				err = fmt.Errorf("%s shows %d of %d items", ix, len(got), len(sortKeys))
			}
			return err
		})
		for _, c := range sortCases() {
			for _, desc := range []bool{false, true} {
				for _, limit := range []int{1000, 2} {
					q := table.Query{Index: ix, PK: ipk, Sort: c.op, A: c.a, B: c.b, Desc: desc, Limit: limit}
					var got []string
					for _, it := range s.all(t, q) {
						_, isk := table.IndexKeys(&it, ix)
						got = append(got, isk)
					}
					if want := c.sortedMatches(desc); !slices.Equal(got, want) {
						t.Errorf("%s op %d %q %q desc %v limit %d:\n got %q\nwant %q", ix, c.op, c.a, c.b, desc, limit, got, want)
					}
				}
			}
		}
	}
}

// testEqualIndexSortKeys holds an engine to what the port promises of
// items with equal index sort keys, which DynamoDB does not order by table
// key: one order on every read, whatever the page size, reversed when
// descending, with cursors that neither skip nor repeat an item.
func testEqualIndexSortKeys(t *testing.T, s *suite) {
	g := s.k("g")
	// Twelve items in fours of one index sort key, their table keys in no
	// order the index keys follow, between two items of other keys.
	var items []table.Item
	pks := []string{"q", "p#", "p", "pa"}
	for i := range 12 {
		isk := fmt.Sprintf("k%d", i/4)
		items = append(items, table.Item{PK: s.k(pks[i%4]), SK: fmt.Sprint(12 - i),
			GSI1PK: g, GSI1SK: isk, GSI2PK: g, GSI2SK: isk})
	}
	for _, isk := range []string{"a", "z"} {
		items = append(items, table.Item{PK: s.k("o"), SK: isk, GSI1PK: g, GSI1SK: isk, GSI2PK: g, GSI2SK: isk})
	}
	s.put(t, items...)
	for _, ix := range []string{table.IndexGSI1, table.IndexGSI2} {
		asc := s.settleOrder(t, table.Query{Index: ix, PK: g}, keys(items))
		desc := slices.Clone(asc)
		slices.Reverse(desc)
		// k1 alone, and k0 and k1 together, come in the same order.
		isk := map[table.Key]string{}
		for i := range items {
			_, isk[items[i].Key()] = table.IndexKeys(&items[i], ix)
		}
		var k1, k01 []table.Key
		for _, k := range asc {
			if isk[k] == "k1" {
				k1 = append(k1, k)
			}
			if isk[k] == "k0" || isk[k] == "k1" {
				k01 = append(k01, k)
			}
		}
		k1Desc := slices.Clone(k1)
		slices.Reverse(k1Desc)
		for _, c := range []struct {
			sort table.SortOp
			a, b string
			desc bool
			want []table.Key
		}{
			{table.SortAll, "", "", false, asc},
			{table.SortAll, "", "", true, desc},
			{table.SortEqual, "k1", "", false, k1},
			{table.SortEqual, "k1", "", true, k1Desc},
			{table.SortBetween, "k0", "k1", false, k01},
			{table.SortBeginsWith, "k", "", false, asc[1 : len(asc)-1]},
		} {
			for limit := 1; limit <= len(c.want)+1; limit++ {
				q := table.Query{Index: ix, PK: g, Sort: c.sort, A: c.a, B: c.b, Desc: c.desc, Limit: limit}
				if err := s.checkPages(q, c.want); err != nil {
					t.Errorf("%s sort %d %q %q desc %v limit %d: %v", ix, c.sort, c.a, c.b, c.desc, limit, err)
				}
			}
		}
	}
}

// settleOrder waits until q, read whole, selects exactly the items want
// (in any order among equal index sort keys) in index sort key order, and
// returns the order it read them in.
func (s *suite) settleOrder(t *testing.T, q table.Query, want []table.Key) []table.Key {
	t.Helper()
	var got []table.Key
	eventually(t, func() error {
		items, err := s.pages(q)
		if err != nil {
			return err
		}
		for i := 1; i < len(items); i++ {
			_, a := table.IndexKeys(&items[i-1], q.Index)
			_, b := table.IndexKeys(&items[i], q.Index)
			if q.Desc {
				a, b = b, a
			}
			if a > b {
				return fmt.Errorf("query %+v: index sort key %q before %q", q, a, b)
			}
		}
		got = keys(items)
		if !sameKeys(got, want) {
			return fmt.Errorf("query %+v:\n got %q\nwant %q in some order", q, got, want)
		}
		return nil
	})
	return got
}

// sameKeys reports whether a and b hold the same keys, in any order.
func sameKeys(a, b []table.Key) bool {
	order := func(x, y table.Key) int { return cmp.Or(strings.Compare(x.PK, y.PK), strings.Compare(x.SK, y.SK)) }
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, order)
	slices.SortFunc(b, order)
	return slices.Equal(a, b)
}

func testPartitionsApart(t *testing.T, s *suite) {
	// Partitions whose keys share prefixes, bytes and lengths with "p".
	neighbours := []string{"p", "p#", "pa", "o", "p\x00", "q", "p/x", ""}
	var items []table.Item
	for _, n := range neighbours {
		for _, k := range sortKeys {
			items = append(items, table.Item{PK: s.k("p") + n, SK: k,
				GSI1PK: s.k("p") + n, GSI1SK: k, GSI2PK: s.k("p") + n, GSI2SK: k})
		}
	}
	s.put(t, items...)
	pk := s.k("p")
	for _, ix := range []string{table.IndexTable, table.IndexGSI1, table.IndexGSI2} {
		all := sortCase{op: table.SortAll, want: func(string) bool { return true }}
		var want []table.Key
		for _, k := range all.sortedMatches(false) {
			want = append(want, table.Key{PK: pk, SK: k})
		}
		s.settle(t, table.Query{Index: ix, PK: pk}, want)
		for _, c := range sortCases() {
			for _, desc := range []bool{false, true} {
				q := table.Query{Index: ix, PK: pk, Sort: c.op, A: c.a, B: c.b, Desc: desc, Limit: 1000}
				got := s.all(t, q)
				for _, it := range got {
					if ipk, _ := table.IndexKeys(&it, ix); ipk != pk {
						t.Fatalf("query %+v returned %+v of another partition", q, it)
					}
				}
				if len(got) != len(c.sortedMatches(desc)) {
					t.Errorf("query %+v: %d items; want %d", q, len(got), len(c.sortedMatches(desc)))
				}
			}
		}
	}
}
