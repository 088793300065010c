package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/embedded"
	"github.com/coopcarepathway/pathway/shared/insight/project"
	"github.com/coopcarepathway/pathway/shared/table"
)

// engines runs f on a fresh embedded table and on DynamoDB Local.
func engines(t *testing.T, f func(t *testing.T, tb table.Table)) {
	t.Run("embedded", func(t *testing.T) { f(t, embeddedTable(t)) })
	t.Run("dynamo", func(t *testing.T) {
		client, name := dynamotest.New(t)
		f(t, dynamo.New(client, name))
	})
}

func embeddedTable(tb testing.TB) *embedded.Table {
	t, err := embedded.Open(filepath.Join(tb.TempDir(), "t.db"), embedded.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = t.Close() })
	return t
}

// The hand-worked cohort on the real projector: every co-op's change
// refreshed through the table's cells (B's 2 services make 96 cells, so
// its refreshes go in chunks), and the same figures come out.
func TestCohortFiguresOnTheProjector(t *testing.T) {
	engines(t, func(t *testing.T, tb table.Table) {
		tr := newTruth()
		p := project.New(tb, NewSource(tr, tr, tr))
		cohort(t, tr, p)
		svc := newService(tr, p)
		checkJanuary(t, svc)
		page, err := svc.Rows(context.Background(), staffA, Filter{Area: "Leeds", Cohort: "2027-01"}, "", "", "", 0)
		if err != nil || ids(page.Rows) != "A B F G D" {
			t.Errorf("rows = %q, %v", ids(page.Rows), err)
		}
	})
}

// bulkSeed must leave the table as refreshing each co-op would: the same
// cells with the same counters, the same facts listed.
func TestBulkSeedEqualsRefresh(t *testing.T) {
	const n = 60
	src := NewSource(nil, nil, nil)
	bulk := embeddedTable(t)
	bulkSeed(t, bulk, src, n)
	inc := embeddedTable(t)
	p := project.New(inc, synthSource{src})
	for i := range n {
		if err := p.Refresh(context.Background(), "coop", fmt.Sprintf("coop-%07d", i), benchNow); err != nil {
			t.Fatal(err)
		}
	}
	for _, pk := range []string{"INSIGHTCELL#" + benchAgency} {
		a, b := all(t, bulk, table.Query{PK: pk}), all(t, inc, table.Query{PK: pk})
		if len(a) == 0 || len(a) != len(b) {
			t.Fatalf("%s: %d cells seeded, %d refreshed", pk, len(a), len(b))
		}
		for i := range a {
			if a[i].SK != b[i].SK || fmt.Sprint(nonZero(a[i].Counts)) != fmt.Sprint(nonZero(b[i].Counts)) {
				t.Fatalf("cell %s: seeded %v, refreshed %s %v", a[i].SK, a[i].Counts, b[i].SK, b[i].Counts)
			}
		}
	}
	a := all(t, bulk, table.Query{Index: table.IndexGSI1, PK: RowsPK(benchAgency)})
	b := all(t, inc, table.Query{Index: table.IndexGSI1, PK: RowsPK(benchAgency)})
	if len(a) != n || len(b) != n {
		t.Fatalf("listed %d seeded, %d refreshed, want %d", len(a), len(b), n)
	}
	for i := range a {
		if a[i].PK != b[i].PK || a[i].GSI2SK != b[i].GSI2SK {
			t.Fatalf("listed %s / %s", a[i].PK, b[i].PK)
		}
	}
	// And a report over either reads the same figures.
	ra, err := NewService(project.New(bulk, src), benchProgrammeList{}, nil).Report(context.Background(), benchStaff, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := NewService(p, benchProgrammeList{}, nil).Report(context.Background(), benchStaff, Filter{})
	ra.AsOf = rb.AsOf
	if fmt.Sprint(ra) != fmt.Sprint(rb) || ra.Total != n {
		t.Errorf("reports differ:\n%v\n%v", ra, rb)
	}
}

func all(t *testing.T, tb table.Table, q table.Query) []table.Item {
	t.Helper()
	var out []table.Item
	q.Limit = table.MaxLimit
	for {
		p, err := tb.Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Items...)
		if q.Cursor = p.Next; q.Cursor == "" {
			return out
		}
	}
}

func nonZero(m map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}
