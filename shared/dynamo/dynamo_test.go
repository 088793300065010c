package dynamo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/table"
)

// newTable returns an engine on a fresh table in DynamoDB Local, and the
// client and table name for looking at the stored attributes directly.
func newTable(t testing.TB) (*Table, *dynamodb.Client, string) {
	t.Helper()
	client, name := dynamotest.New(t)
	return New(client, name), client, name
}

var ctx = context.Background()

// put stores items, failing the test on any error.
func put(t testing.TB, tb *Table, items ...table.Item) {
	t.Helper()
	for _, it := range items {
		if err := tb.Transact(ctx, table.Put(it, table.Cond{})); err != nil {
			t.Fatalf("put %s / %s: %v", it.PK, it.SK, err)
		}
	}
}

func TestGetReturnsWhatPutStored(t *testing.T) {
	tb, client, name := newTable(t)
	full := table.Item{PK: "p", SK: "full", GSI1PK: "g1", GSI1SK: "a", GSI2PK: "g2", GSI2SK: "b",
		Version: 3, Count: -7, Body: []byte(`{"text":"é ✓"}`)}
	bare := table.Item{PK: "p", SK: "bare"}
	put(t, tb, full, bare)
	for _, want := range []table.Item{full, bare} {
		got, err := tb.Get(ctx, want.PK, want.SK)
		if err != nil {
			t.Fatalf("Get %s: %v", want.SK, err)
		}
		if !equal(got, &want) {
			t.Errorf("Get %s = %+v, want %+v", want.SK, got, want)
		}
	}
	// The bare item must be in neither index and carry no empty body.
	raw, err := client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &name, Key: key("p", "bare")})
	if err != nil {
		t.Fatal(err)
	}
	for _, attr := range []string{attrGSI1PK, attrGSI1SK, attrGSI2PK, attrGSI2SK, attrBody} {
		if _, ok := raw.Item[attr]; ok {
			t.Errorf("the bare item has the attribute %s", attr)
		}
	}
	if _, err := tb.Get(ctx, "p", "missing"); !errors.Is(err, table.ErrNotFound) {
		t.Errorf("Get of a missing item: %v, want ErrNotFound", err)
	}
}

// equal compares items, taking a nil and an empty body as the same.
func equal(a, b *table.Item) bool {
	x, y := *a, *b
	x.Body, y.Body = nil, nil
	return reflect.DeepEqual(x, y) && bytes.Equal(a.Body, b.Body)
}

// TestConditionFailures covers each condition on each path: a lone write
// (single-item actions) and a transaction, where the failed write's index
// must be reported and nothing applied.
func TestConditionFailures(t *testing.T) {
	stored := table.Item{PK: "p", SK: "stored", Version: 2}
	other := table.Put(table.Item{PK: "p", SK: "other"}, table.Cond{})
	for _, tc := range []struct {
		name string
		w    table.Write
		ok   bool
	}{
		{"put if absent over an item", table.Put(stored, table.IfAbsent()), false},
		{"put if absent", table.Put(table.Item{PK: "p", SK: "new"}, table.IfAbsent()), true},
		{"put if exists on none", table.Put(table.Item{PK: "p", SK: "new"}, table.IfExists()), false},
		{"put if version", table.Put(stored, table.IfVersion(2)), true},
		{"put if stale version", table.Put(stored, table.IfVersion(1)), false},
		{"put if version on none", table.Put(table.Item{PK: "p", SK: "new"}, table.IfVersion(1)), false},
		{"delete if version", table.Delete("p", "stored", table.IfVersion(2)), true},
		{"delete if stale version", table.Delete("p", "stored", table.IfVersion(3)), false},
		{"delete of none", table.Delete("p", "none", table.Cond{}), true},
		{"delete if exists on none", table.Delete("p", "none", table.IfExists()), false},
		{"check if exists", table.Check("p", "stored", table.IfExists()), true},
		{"check if absent", table.Check("p", "stored", table.IfAbsent()), false},
		{"check always", table.Check("p", "none", table.Cond{}), true},
		{"add if version", table.Write{Op: table.OpAdd, Item: table.Item{PK: "p", SK: "stored", Count: 1}, Cond: table.IfVersion(2)}, true},
		{"add if absent over an item", table.Write{Op: table.OpAdd, Item: table.Item{PK: "p", SK: "stored", Count: 1}, Cond: table.IfAbsent()}, false},
	} {
		for _, alone := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/alone=%v", tc.name, alone), func(t *testing.T) {
				tb, _, _ := newTable(t)
				put(t, tb, stored)
				writes, at := []table.Write{tc.w}, 0
				if !alone {
					writes, at = []table.Write{other, tc.w}, 1
				}
				err := tb.Transact(ctx, writes...)
				if tc.ok {
					if err != nil {
						t.Fatalf("Transact: %v", err)
					}
					return
				}
				var ce *table.ConditionError
				if !errors.As(err, &ce) || ce.Index != at || ce.Key != tc.w.Item.Key() {
					t.Fatalf("Transact: %v, want a ConditionError at %d for %v", err, at, tc.w.Item.Key())
				}
				if _, err := tb.Get(ctx, "p", "other"); !errors.Is(err, table.ErrNotFound) {
					t.Errorf("a failed transaction applied its other write: %v", err)
				}
			})
		}
	}
}

// TestServiceErrorIsNotInvalid: a request DynamoDB refuses (here, of a
// table that does not exist) is a wrapped service error.
func TestServiceErrorIsNotInvalid(t *testing.T) {
	tb := New(dynamotest.Client(t), "no-such-table")
	for name, err := range map[string]error{
		"get":      func() error { _, err := tb.Get(ctx, "p", "s"); return err }(),
		"query":    func() error { _, err := tb.Query(ctx, table.Query{PK: "p", Limit: 1}); return err }(),
		"put":      tb.Transact(ctx, table.Put(table.Item{PK: "p", SK: "s"}, table.Cond{})),
		"transact": tb.Transact(ctx, table.Add("p", "s", 1), table.Add("p", "t", 1)),
	} {
		var rnf *types.ResourceNotFoundException
		if _, invalid := table.Invalid(err); invalid || !errors.As(err, &rnf) {
			t.Errorf("%s: %v, want a wrapped ResourceNotFoundException", name, err)
		}
	}
}

// walk reads every page of q and returns the items' sort keys and the
// number of pages.
func walk(t *testing.T, tb *Table, q table.Query) ([]string, int) {
	t.Helper()
	var got []string
	pages := 0
	for {
		page, err := tb.Query(ctx, q)
		if err != nil {
			t.Fatalf("Query %+v: %v", q, err)
		}
		pages++
		for _, it := range page.Items {
			got = append(got, it.SK)
		}
		if page.Next == "" {
			return got, pages
		}
		if len(page.Items) != q.Limit {
			t.Fatalf("a page of %d items before the end, limit %d", len(page.Items), q.Limit)
		}
		q.Cursor = page.Next
	}
}

// TestPagesPastOneMegabyte stores items so large that DynamoDB returns
// only three per response; a page must still be full, and its Next must
// resume exactly after it.
func TestPagesPastOneMegabyte(t *testing.T) {
	tb, _, _ := newTable(t)
	queries := 0
	tb.Observe(func(u Usage) {
		if u.Op == "Query" {
			queries++
		}
	})
	body := []byte(`"` + strings.Repeat("x", 300*1024) + `"`)
	var want []string
	for i := range 8 {
		sk := fmt.Sprintf("s%d", i)
		want = append(want, sk)
		put(t, tb, table.Item{PK: "big", SK: sk, GSI1PK: "g", GSI1SK: sk, Body: body})
	}
	for _, q := range []table.Query{{PK: "big", Limit: 5}, {Index: table.IndexGSI1, PK: "g", Limit: 5}} {
		queries = 0
		got, pages := walk(t, tb, q)
		if !slices.Equal(got, want) || pages != 2 {
			t.Errorf("%q: walked %q in %d pages, want %q in 2", q.Index, got, pages, want)
		}
		if queries <= pages {
			t.Errorf("%q: %d Query calls for %d pages; DynamoDB's 1 MB limit should have cut responses short", q.Index, queries, pages)
		}
	}
}

// TestObserve checks every kind of request reports its capacity.
func TestObserve(t *testing.T) {
	tb, _, _ := newTable(t)
	var got []Usage
	tb.Observe(func(u Usage) { got = append(got, u) })
	put(t, tb, table.Item{PK: "p", SK: "a", GSI1PK: "g", GSI1SK: "a"})
	calls := []func() error{
		func() error { _, err := tb.Get(ctx, "p", "a"); return err },
		func() error { _, err := tb.Query(ctx, table.Query{PK: "p", Limit: 1}); return err },
		func() error { return tb.Transact(ctx, table.Add("p", "n", 1)) },
		func() error { return tb.Transact(ctx, table.Delete("p", "n", table.Cond{})) },
		func() error { return tb.Transact(ctx, table.Add("p", "n", 1), table.Check("p", "a", table.IfExists())) },
		// A lone write with a Version condition is a transaction, whose
		// token makes the SDK's retries of it exact; others are not.
		func() error {
			return tb.Transact(ctx, table.Put(table.Item{PK: "p", SK: "v", Version: 1}, table.IfAbsent()))
		},
		func() error {
			return tb.Transact(ctx, table.Put(table.Item{PK: "p", SK: "v", Version: 2}, table.IfVersion(1)))
		},
		func() error { return tb.Transact(ctx, table.Delete("p", "v", table.IfVersion(2))) },
		func() error { return tb.Transact(ctx, table.Delete("p", "a", table.IfExists())) },
	}
	for _, call := range calls {
		if err := call(); err != nil {
			t.Fatal(err)
		}
	}
	ops := []string{"PutItem", "GetItem", "Query", "TransactWriteItems", "DeleteItem", "TransactWriteItems",
		"PutItem", "TransactWriteItems", "TransactWriteItems", "DeleteItem"}
	if len(got) != len(ops) {
		t.Fatalf("observed %+v", got)
	}
	for i, u := range got {
		write := i != 1 && i != 2
		if u.Op != ops[i] || (write && (u.Write <= 0 || u.Read != 0)) || (!write && (u.Read <= 0 || u.Write != 0)) {
			t.Errorf("usage %d = %+v, want %s with its units", i, u, ops[i])
		}
	}
	if got[1].Items != 1 || got[2].Items != 1 {
		t.Errorf("items read: Get %d, Query %d; want 1 and 1", got[1].Items, got[2].Items)
	}
	t.Logf("usage: %+v", got)
}
