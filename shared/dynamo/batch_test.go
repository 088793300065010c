package dynamo

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/coopcarepathway/pathway/shared/table"
)

// TestPutBatch loads more items than one request holds, replacing one
// already stored, and reads every one back as Transact would have stored
// it, in the table and in its index. (The scale proof that loads a
// hundred thousand items with it is shared/store's
// TestPipelinePageDoesNotScan.)
func TestPutBatch(t *testing.T) {
	tb, _, _ := newTable(t)
	var requests atomic.Int64
	tb.Observe(func(u Usage) {
		if u.Op == "BatchWriteItem" {
			requests.Add(1)
		}
	})
	put(t, tb, table.Item{PK: "p#007", SK: "s", Version: 9, Body: []byte(`"old"`)})
	var items []table.Item
	for i := range 3*batchItems + 7 {
		items = append(items, table.Item{PK: fmt.Sprintf("p#%03d", i), SK: "s", GSI1PK: "g", GSI1SK: fmt.Sprintf("%03d", i),
			Version: int64(i), Count: int64(-i), Body: fmt.Appendf(nil, `{"n":%d}`, i)})
	}
	if err := tb.PutBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	if n := requests.Load(); n < 4 {
		t.Errorf("%d BatchWriteItem requests for %d items; want at least 4", n, len(items))
	}
	for i := range items {
		got, err := tb.Get(ctx, items[i].PK, items[i].SK)
		if err != nil || !equal(got, &items[i]) {
			t.Fatalf("Get %s = %+v, %v; want %+v", items[i].PK, got, err, items[i])
		}
	}
	got, pages := walk(t, tb, table.Query{Index: table.IndexGSI1, PK: "g", Limit: 50})
	if len(got) != len(items) || pages != 2 {
		t.Errorf("the index shows %d items in %d pages; want %d in 2", len(got), pages, len(items))
	}

	// Refused before anything is written: a bad item, two under one key.
	for name, batch := range map[string][]table.Item{
		"a key that is not UTF-8": {{PK: "new", SK: "a"}, {PK: "new\xff", SK: "b"}},
		"two items under one key": {{PK: "new", SK: "a"}, {PK: "new", SK: "a", Version: 2}},
	} {
		err := tb.PutBatch(ctx, batch)
		if _, ok := table.Invalid(err); !ok {
			t.Errorf("%s: %v; want an InvalidError", name, err)
		}
		if _, err := tb.Get(ctx, "new", "a"); !errors.Is(err, table.ErrNotFound) {
			t.Errorf("%s: a refused batch stored an item (%v)", name, err)
		}
	}
}
