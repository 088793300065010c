package tabletest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/coopcarepathway/pathway/shared/table"
)

func testPageEveryLimit(t *testing.T, s *suite) {
	const n = 12
	pk, g1, g2 := s.k("p"), s.k("g1"), s.k("g2")
	var items []table.Item
	for i := range n {
		items = append(items, table.Item{PK: pk, SK: fmt.Sprintf("m#%02d", i),
			GSI1PK: g1, GSI1SK: fmt.Sprintf("m#%02d", n-1-i), // the reverse of table order
			GSI2PK: g2, GSI2SK: fmt.Sprintf("m#%d", i/3)}) // equal in threes: the engine orders ties
	}
	// Items around the range, in the same partitions, that no query below
	// selects: a page ending at the range's end must still have no Next.
	for _, k := range []string{"l", "m", "m$", "n"} {
		items = append(items, table.Item{PK: pk, SK: k, GSI1PK: g1, GSI1SK: k, GSI2PK: g2, GSI2SK: k})
	}
	s.put(t, items...)
	var want []table.Key
	for i := range n {
		want = append(want, items[i].Key())
	}
	wantGSI1 := slices.Clone(want)
	slices.Reverse(wantGSI1)
	for _, c := range []struct {
		index, pk string
		want      []table.Key
	}{
		{table.IndexTable, pk, want},
		{table.IndexGSI1, g1, wantGSI1},
		{table.IndexGSI2, g2, want},
	} {
		q := table.Query{Index: c.index, PK: c.pk, Sort: table.SortBeginsWith, A: "m#"}
		if c.index == table.IndexGSI2 {
			// Items with equal index sort keys come in an order of the
			// engine's choosing, the same on every read: the one read
			// whole is the one every page size must walk.
			c.want = s.settleOrder(t, q, c.want)
		} else {
			s.settle(t, q, c.want)
		}
		for _, desc := range []bool{false, true} {
			want := slices.Clone(c.want)
			if desc {
				slices.Reverse(want)
			}
			for limit := 1; limit <= n+1; limit++ {
				q := table.Query{Index: c.index, PK: c.pk, Sort: table.SortBeginsWith, A: "m#", Desc: desc, Limit: limit}
				if err := s.checkPages(q, want); err != nil {
					t.Errorf("%s desc %v limit %d: %v", c.index, desc, limit, err)
				}
			}
		}
	}
}

// checkPages reads q page by page and checks it returns want, in full pages
// but the last, which alone has no Next and is not empty.
func (s *suite) checkPages(q table.Query, want []table.Key) error {
	var got []table.Key
	for pages := 1; ; pages++ {
		p, err := s.tb.Query(s.ctx, q)
		if err != nil {
			return err
		}
		got = append(got, keys(p.Items)...)
		last := (len(want) + q.Limit - 1) / q.Limit
		switch {
		case pages < last && (len(p.Items) != q.Limit || p.Next == ""):
			return fmt.Errorf("page %d of %d: %d items, next %q", pages, last, len(p.Items), p.Next)
		case pages == last && (len(p.Items) == 0 || p.Next != ""):
			return fmt.Errorf("last page %d: %d items, next %q; want no next", pages, len(p.Items), p.Next)
		case pages > last:
			return fmt.Errorf("%d pages; want %d", pages, last)
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("got %q\nwant %q", got, want)
	}
	return nil
}

func testPageWhileWriting(t *testing.T, s *suite) {
	const stable = 30
	pk, g := s.k("p"), s.k("g")
	item := func(sk string) table.Item {
		return table.Item{PK: pk, SK: sk, GSI1PK: g, GSI1SK: sk, Body: []byte(`{}`)}
	}
	var items []table.Item
	var want []table.Key
	for i := range stable {
		it := item(fmt.Sprintf("s%02d", i))
		items, want = append(items, it), append(want, it.Key())
	}
	s.put(t, items...)
	s.settle(t, table.Query{Index: table.IndexGSI1, PK: g}, want)

	// Writers insert and delete other items all over the range (before,
	// between and after the stable ones) while the readers page.
	stop := make(chan struct{})
	var writers sync.WaitGroup
	errs := make([]error, 3)
	for w := range errs {
		writers.Go(func() {
			var mine []string
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				sk := fmt.Sprintf("s%02d-%d-%d", rand.IntN(stable+1)-1, w, n)
				write := table.Put(item(sk), table.IfAbsent())
				if len(mine) > 3 {
					write = table.Delete(pk, mine[0], table.IfExists())
					mine = mine[1:]
				} else {
					mine = append(mine, sk)
				}
				if err := s.transact(write); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	defer func() {
		close(stop)
		writers.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Errorf("writers: %v", err)
		}
	}()
	for _, index := range []string{table.IndexTable, table.IndexGSI1} {
		ipk := map[string]string{table.IndexTable: pk, table.IndexGSI1: g}[index]
		for _, desc := range []bool{false, true} {
			for _, limit := range []int{1, 2, 5} {
				q := table.Query{Index: index, PK: ipk, Desc: desc, Limit: limit}
				if err := s.pageChurn(q, want); err != nil {
					t.Errorf("%s desc %v limit %d: %v", index, desc, limit, err)
				}
			}
		}
	}
}

// pageChurn reads every page of q and checks it returns each item of want
// once, and no item twice or out of order.
func (s *suite) pageChurn(q table.Query, want []table.Key) error {
	items, err := s.pages(q)
	if err != nil {
		return err
	}
	seen := map[table.Key]bool{}
	for i, it := range items {
		if seen[it.Key()] {
			return fmt.Errorf("%v returned twice", it.Key())
		}
		seen[it.Key()] = true
		if i > 0 {
			a, b := items[i-1].SK, it.SK // index and table sort keys are equal here
			if q.Desc {
				a, b = b, a
			}
			if a >= b {
				return fmt.Errorf("%q then %q out of order", items[i-1].SK, it.SK)
			}
		}
	}
	for _, k := range want {
		if !seen[k] {
			return fmt.Errorf("%v, there throughout, skipped", k)
		}
	}
	return nil
}

func testForeignCursor(t *testing.T, s *suite) {
	a, b := s.k("a"), s.k("b")
	var items []table.Item
	for _, pk := range []string{a, b} {
		for i := range 3 {
			sk := fmt.Sprint(i)
			items = append(items, table.Item{PK: pk, SK: sk, GSI1PK: pk, GSI1SK: sk, GSI2PK: pk, GSI2SK: sk})
		}
	}
	s.put(t, items...)
	next := func(q table.Query) string {
		t.Helper()
		var cursor string
		eventually(t, func() error {
			p, err := s.tb.Query(s.ctx, q)
			if err == nil && p.Next == "" {
				err = fmt.Errorf("query %+v has no next page yet", q)
			}
			if err == nil {
				cursor = p.Next
			}
			return err
		})
		return cursor
	}
	tableNext := next(table.Query{PK: a, Limit: 1})
	gsi1Next := next(table.Query{Index: table.IndexGSI1, PK: a, Limit: 1})
	for _, c := range []struct {
		what   string
		q      table.Query
		cursor string
	}{
		{"a table cursor of another partition", table.Query{PK: b}, tableNext},
		{"a table cursor on an index", table.Query{Index: table.IndexGSI1, PK: a}, tableNext},
		{"an index cursor on the table", table.Query{PK: a}, gsi1Next},
		{"an index cursor on the other index", table.Query{Index: table.IndexGSI2, PK: a}, gsi1Next},
		{"an index cursor of another partition", table.Query{Index: table.IndexGSI1, PK: b}, gsi1Next},
		{"garbage", table.Query{PK: a}, "not a cursor"},
		{"base64 of garbage", table.Query{PK: a}, "eyJ4Ijox"},
		{"a cut cursor", table.Query{PK: a}, tableNext[:len(tableNext)/2]},
		// A cursor names its item's keys; one naming an item the query
		// cannot select is refused (DynamoDB would refuse the start key).
		{"a table cursor naming an item of another partition", table.Query{PK: a},
			table.EncodeCursor(&table.Query{PK: a}, &table.Item{PK: b, SK: "0"})},
		{"an index cursor naming an entry of another partition", table.Query{Index: table.IndexGSI1, PK: a},
			table.EncodeCursor(&table.Query{Index: table.IndexGSI1, PK: a}, &table.Item{PK: a, SK: "0", GSI1PK: b, GSI1SK: "0"})},
		{"a table cursor outside the sort range (greater)", table.Query{PK: a, Sort: table.SortGreater, A: "0"}, tableNext},
		{"a table cursor outside the sort range (begins with)", table.Query{PK: a, Sort: table.SortBeginsWith, A: "1"}, tableNext},
		{"a table cursor outside the sort range (between)", table.Query{PK: a, Sort: table.SortBetween, A: "1", B: "2"}, tableNext},
		{"an index cursor outside the sort range (equal)", table.Query{Index: table.IndexGSI1, PK: a, Sort: table.SortEqual, A: "1"}, gsi1Next},
		{"an index cursor outside the sort range (less)", table.Query{Index: table.IndexGSI1, PK: a, Sort: table.SortLess, A: "0"}, gsi1Next},
		{"an index cursor outside the sort range (descending)", table.Query{Index: table.IndexGSI1, PK: a, Sort: table.SortGreaterEqual, A: "1", Desc: true}, gsi1Next},
	} {
		c.q.Limit, c.q.Cursor = 10, c.cursor
		_, err := s.tb.Query(s.ctx, c.q)
		invalid(t, c.what, err, "cursor")
	}
	// Each cursor still works on its own query, and on a query of its
	// partition whose sort condition selects its item.
	for _, c := range []struct {
		q    table.Query
		want int
	}{
		{table.Query{PK: a, Cursor: tableNext}, 2},
		{table.Query{Index: table.IndexGSI1, PK: a, Cursor: gsi1Next}, 2},
		{table.Query{PK: a, Sort: table.SortBetween, A: "0", B: "1", Cursor: tableNext}, 1},
		{table.Query{Index: table.IndexGSI1, PK: a, Sort: table.SortLessEqual, A: "0", Cursor: gsi1Next}, 0},
	} {
		c.q.Limit = 10
		p, err := s.tb.Query(s.ctx, c.q)
		if err != nil || len(p.Items) != c.want || p.Next != "" {
			t.Errorf("query %+v: %+v, %v; want %d items", c.q, p, err, c.want)
		}
	}
}

func testSparseIndexes(t *testing.T, s *suite) {
	pk, g, h := s.k("p"), s.k("g"), s.k("h")
	gsi1 := func(pk string) table.Query { return table.Query{Index: table.IndexGSI1, PK: pk} }
	gsi2 := func(pk string) table.Query { return table.Query{Index: table.IndexGSI2, PK: pk} }
	x, y := table.Key{PK: pk, SK: "x"}, table.Key{PK: pk, SK: "y"}

	// An item without index keys is in no index.
	s.put(t, table.Item{PK: pk, SK: "x"}, table.Item{PK: pk, SK: "y", GSI1PK: g, GSI1SK: "5"})
	s.settle(t, gsi1(g), []table.Key{y})
	// Setting its keys puts it in the index; changing them moves it.
	s.put(t, table.Item{PK: pk, SK: "x", GSI1PK: g, GSI1SK: "1"})
	s.settle(t, gsi1(g), []table.Key{x, y})
	s.put(t, table.Item{PK: pk, SK: "x", GSI1PK: g, GSI1SK: "9"})
	s.settle(t, gsi1(g), []table.Key{y, x})
	s.put(t, table.Item{PK: pk, SK: "x", GSI1PK: h, GSI1SK: "9"})
	s.settle(t, gsi1(g), []table.Key{y})
	s.settle(t, gsi1(h), []table.Key{x})
	// One index's keys put an item in that index only.
	s.put(t, table.Item{PK: pk, SK: "x", GSI2PK: h, GSI2SK: "1"})
	s.settle(t, gsi2(h), []table.Key{x})
	s.settle(t, gsi1(h), nil)
	// Deleting an item takes it out of its indexes.
	if err := s.transact(table.Delete(pk, "x", table.Cond{}), table.Delete(pk, "y", table.Cond{})); err != nil {
		t.Fatal(err)
	}
	s.settle(t, gsi2(h), nil)
	s.settle(t, gsi1(g), nil)
	// A counter Add creates has no index keys.
	if err := s.transact(table.Add(g, "5", 1)); err != nil {
		t.Fatal(err)
	}
	s.put(t, table.Item{PK: pk, SK: "z", GSI1PK: g, GSI1SK: "6"})
	s.settle(t, gsi1(g), []table.Key{{PK: pk, SK: "z"}})
}

func testReadYourWrites(t *testing.T, s *suite) {
	pk, g := s.k("p"), s.k("g")
	it := table.Item{PK: pk, SK: "x", GSI1PK: g, GSI1SK: "1", Version: 1}
	for v := int64(1); v <= 5; v++ {
		it.Version = v
		cond := table.IfVersion(v - 1)
		if v == 1 {
			cond = table.IfAbsent()
		}
		if err := s.transact(table.Put(it, cond)); err != nil {
			t.Fatal(err)
		}
		// The table shows a write at once, to Get and to Query.
		if got := s.get(t, pk, "x"); got.Version != v {
			t.Fatalf("Get right after writing version %d: version %d", v, got.Version)
		}
		p, err := s.tb.Query(s.ctx, table.Query{PK: pk, Sort: table.SortEqual, A: "x", Limit: 1})
		if err != nil || len(p.Items) != 1 || p.Items[0].Version != v {
			t.Fatalf("Query right after writing version %d: %+v, %v", v, p, err)
		}
	}
	// An index shows it in time.
	eventually(t, func() error {
		p, err := s.tb.Query(s.ctx, table.Query{Index: table.IndexGSI1, PK: g, Limit: 1})
		if err == nil && (len(p.Items) != 1 || p.Items[0].Version != 5) {
			err = fmt.Errorf("index shows %+v; want version 5", p.Items)
		}
		return err
	})
}

func testInvalid(t *testing.T, s *suite) {
	pk := s.k("p")
	long := func(n int) string { return strings.Repeat("x", n) }
	okItem := table.Item{PK: pk, SK: "s"}
	withItem := func(f func(*table.Item)) table.Item {
		it := okItem
		f(&it)
		return it
	}
	for _, c := range []struct {
		what  string
		item  table.Item
		field string
	}{
		{"empty PK", withItem(func(it *table.Item) { it.PK = "" }), "PK"},
		{"empty SK", withItem(func(it *table.Item) { it.SK = "" }), "SK"},
		{"PK too long", withItem(func(it *table.Item) { it.PK = long(table.MaxPartitionKey + 1) }), "PK"},
		{"SK too long", withItem(func(it *table.Item) { it.SK = long(table.MaxSortKey + 1) }), "SK"},
		{"GSI1PK alone", withItem(func(it *table.Item) { it.GSI1PK = "g" }), "GSI1PK"},
		{"GSI1SK alone", withItem(func(it *table.Item) { it.GSI1SK = "g" }), "GSI1PK"},
		{"GSI2PK alone", withItem(func(it *table.Item) { it.GSI2PK = "g" }), "GSI2PK"},
		{"GSI2SK alone", withItem(func(it *table.Item) { it.GSI2SK = "g" }), "GSI2PK"},
		{"GSI1PK too long", withItem(func(it *table.Item) { it.GSI1PK, it.GSI1SK = long(table.MaxPartitionKey+1), "s" }), "GSI1PK"},
		{"GSI2SK too long", withItem(func(it *table.Item) { it.GSI2PK, it.GSI2SK = "g", long(table.MaxSortKey+1) }), "GSI2PK"},
		{"body too large", withItem(func(it *table.Item) { it.Body = make([]byte, table.MaxItemSize+1) }), "body"},
		// DynamoDB's SDK would send each byte that is not UTF-8 as U+FFFD,
		// storing another key or body than the one given.
		{"PK not UTF-8", withItem(func(it *table.Item) { it.PK += "\xff" }), "PK"},
		{"SK not UTF-8", withItem(func(it *table.Item) { it.SK = "s\xc3" }), "SK"},
		{"GSI1PK not UTF-8", withItem(func(it *table.Item) { it.GSI1PK, it.GSI1SK = "g\xed\xa0\x80", "s" }), "GSI1PK"},
		{"GSI1SK not UTF-8", withItem(func(it *table.Item) { it.GSI1PK, it.GSI1SK = "g", "\x80" }), "GSI1SK"},
		{"GSI2PK not UTF-8", withItem(func(it *table.Item) { it.GSI2PK, it.GSI2SK = "\xfe", "s" }), "GSI2PK"},
		{"GSI2SK not UTF-8", withItem(func(it *table.Item) { it.GSI2PK, it.GSI2SK = "g", "s\xc3(" }), "GSI2SK"},
		{"body not UTF-8", withItem(func(it *table.Item) { it.Body = []byte("{\"a\":\"\xfe\"}") }), "body"},
	} {
		err := s.tb.Transact(s.ctx, table.Put(table.Item{PK: pk, SK: "other"}, table.Cond{}), table.Put(c.item, table.Cond{}))
		invalid(t, c.what, err, c.field)
	}
	s.absent(t, pk, "other") // a refused transaction writes nothing
	for _, c := range []struct {
		what   string
		pk, sk string
		field  string
	}{
		{"Get with an empty PK", "", "s", "PK"},
		{"Get with an empty SK", pk, "", "SK"},
		{"Get with a long PK", long(table.MaxPartitionKey + 1), "s", "PK"},
		{"Get with a long SK", pk, long(table.MaxSortKey + 1), "SK"},
		{"Get with a PK not UTF-8", pk + "\xff", "s", "PK"},
		{"Get with an SK not UTF-8", pk, "\xc3", "SK"},
	} {
		_, err := s.tb.Get(s.ctx, c.pk, c.sk)
		invalid(t, c.what, err, c.field)
		for _, w := range []table.Write{table.Delete(c.pk, c.sk, table.Cond{}), table.Add(c.pk, c.sk, 1), table.Check(c.pk, c.sk, table.IfAbsent())} {
			invalid(t, c.what+" (write)", s.tb.Transact(s.ctx, w), c.field)
		}
	}
	invalid(t, "no writes", s.tb.Transact(s.ctx), "writes")
	var many []table.Write
	for i := range table.MaxWrites + 1 {
		many = append(many, table.Add(pk, fmt.Sprint(i), 1))
	}
	invalid(t, "101 writes", s.tb.Transact(s.ctx, many...), "writes")
	if err := s.transact(many[:table.MaxWrites]...); err != nil {
		t.Errorf("100 writes: %v", err)
	}
	invalid(t, "two writes on one key", s.tb.Transact(s.ctx, table.Add(pk, "n", 1), table.Put(table.Item{PK: pk, SK: "n"}, table.Cond{})), "writes")
	invalid(t, "an unknown op", s.tb.Transact(s.ctx, table.Write{Op: 99, Item: okItem}), "writes")
	// A condition of absence together with one of a stored item never
	// holds: it is a mistake, not a condition to test the table with.
	for _, c := range []struct {
		what string
		w    table.Write
	}{
		{"put if absent and exists", table.Put(okItem, table.Cond{Absent: true, Exists: true})},
		{"put if absent and at a version", table.Put(okItem, table.Cond{Absent: true, Version: 1})},
		{"delete if absent and at a version", table.Delete(pk, "s", table.Cond{Absent: true, Version: 2})},
		{"check if absent and exists", table.Check(pk, "s", table.Cond{Absent: true, Exists: true, Version: 1})},
		{"add if absent and exists", table.Write{Op: table.OpAdd, Item: table.Item{PK: pk, SK: "n", Count: 1}, Cond: table.Cond{Absent: true, Exists: true}}},
	} {
		invalid(t, c.what, s.tb.Transact(s.ctx, table.Put(table.Item{PK: pk, SK: "other"}, table.Cond{}), c.w), "writes")
	}
	s.absent(t, pk, "other")
	for _, c := range []struct {
		what  string
		q     table.Query
		field string
	}{
		{"limit 0", table.Query{PK: pk, Limit: 0}, "limit"},
		{"limit 1001", table.Query{PK: pk, Limit: table.MaxLimit + 1}, "limit"},
		{"negative limit", table.Query{PK: pk, Limit: -1}, "limit"},
		{"empty PK", table.Query{PK: "", Limit: 1}, "PK"},
		{"long PK", table.Query{PK: long(table.MaxPartitionKey + 1), Limit: 1}, "PK"},
		{"unknown index", table.Query{Index: "GSI3", PK: pk, Limit: 1}, "index"},
		{"unknown sort", table.Query{PK: pk, Sort: 99, A: "a", Limit: 1}, "sort"},
		{"long operand", table.Query{PK: pk, Sort: table.SortLess, A: long(table.MaxSortKey + 1), Limit: 1}, "sort"},
		{"empty operand", table.Query{PK: pk, Sort: table.SortBeginsWith, A: "", Limit: 1}, "sort"},
		{"empty upper bound", table.Query{PK: pk, Sort: table.SortBetween, A: "a", Limit: 1}, "sort"},
		{"bounds reversed", table.Query{PK: pk, Sort: table.SortBetween, A: "b", B: "a", Limit: 1}, "sort"},
		{"PK not UTF-8", table.Query{PK: pk + "\xff", Limit: 1}, "PK"},
		{"index PK not UTF-8", table.Query{Index: table.IndexGSI2, PK: "\xc3", Limit: 1}, "PK"},
		{"operand not UTF-8", table.Query{PK: pk, Sort: table.SortGreater, A: "\xff", Limit: 1}, "sort"},
		{"upper bound not UTF-8", table.Query{PK: pk, Sort: table.SortBetween, A: "a", B: "b\xff", Limit: 1}, "sort"},
	} {
		_, err := s.tb.Query(s.ctx, c.q)
		invalid(t, c.what, err, c.field)
	}
	// The longest keys are fine.
	longest := table.Item{PK: s.k(long(table.MaxPartitionKey - len(s.k()))), SK: long(table.MaxSortKey),
		GSI1SK: long(table.MaxSortKey)}
	longest.GSI1PK = longest.PK
	s.put(t, longest)
	if got := s.get(t, longest.PK, longest.SK); !equalItems(got, &longest) {
		t.Errorf("the longest keys: stored %+v", got)
	}
}
