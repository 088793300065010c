package tablerec_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/embedded"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tablerec"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

func TestSortTime(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2027, 3, 28, 1, 30, 0, 5, time.FixedZone("BST", 3600)), "2027-03-28T00:30:00.000000005Z"},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), ""},
	} {
		got, err := tablerec.SortTime(tc.at, "due")
		if got != tc.want || (tc.want == "") != (pathway.ErrorCode(err) == pathway.EINVALID) {
			t.Errorf("SortTime(%v) = %q, %v; want %q", tc.at, got, err, tc.want)
		}
	}
}

// TestGetAndQueryAll: a missing record reads as ENOTFOUND naming it; a
// cursor of no listing as EINVALID naming cursor; a query is read whole
// across its pages.
func TestGetAndQueryAll(t *testing.T) {
	ctx := context.Background()
	tb := testkit.Table(t, 0)
	var v map[string]int
	if _, err := tablerec.Get(ctx, tb, "P", "missing", "widget", &v); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("Get of a missing record = %v, want ENOTFOUND", err)
	}
	_, err := tb.Query(ctx, queryOf("P", "not a cursor"))
	if got := tablerec.MapErr(err); pathway.ErrorCode(got) != pathway.EINVALID || pathway.ErrorFields(got)["cursor"] == "" {
		t.Errorf("MapErr(bad cursor) = %v, want EINVALID naming cursor", got)
	}
	putMany(t, tb, "P", 2500)
	items, err := tablerec.QueryAll(ctx, tb, queryOf("P", ""))
	if err != nil || len(items) != 2500 {
		t.Fatalf("QueryAll = %d items, %v; want 2500", len(items), err)
	}
	var got map[string]int
	if err := tablerec.Decode(&items[7], &got); err != nil || got["n"] != 7 {
		t.Errorf("item 7 decodes to %v, %v", got, err)
	}
}

// queryOf is the whole partition pk in the table, from cursor.
func queryOf(pk, cursor string) table.Query {
	return table.Query{Index: table.IndexTable, PK: pk, Limit: 10, Cursor: cursor}
}

// putMany stores n records {"n": i} in partition pk, sorted by i.
func putMany(t *testing.T, tb *embedded.Table, pk string, n int) {
	t.Helper()
	items := make([]table.Item, n)
	for i := range items {
		b, err := tablerec.Encode(map[string]int{"n": i})
		if err != nil {
			t.Fatal(err)
		}
		items[i] = table.Item{PK: pk, SK: fmt.Sprintf("%06d", i), Body: b}
	}
	if err := tb.PutBatch(context.Background(), items); err != nil {
		t.Fatal(err)
	}
}
