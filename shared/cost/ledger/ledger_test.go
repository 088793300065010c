package ledger_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/cost/ledger"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

func agencyOf(_ context.Context, coop string) (string, error) { return "org-" + coop, nil }

func TestCountsRoundTrip(t *testing.T) {
	u := cost.Usage{Transitions: 1, LambdaRequests: 2, LambdaMBms: 3, ReadHalfUnits: 4, WriteUnits: 5,
		S3Bytes: 6, S3ByteHours: 7, S3Puts: 8, S3Gets: 9, Emails: 10}
	c := ledger.Counts(u)
	if len(c) != 10 || c["readHalfUnits"] != 4 || c["emails"] != 10 {
		t.Errorf("Counts = %v, want every field by its JSON name", c)
	}
	if got := ledger.FromCounts(c); got != u {
		t.Errorf("FromCounts(Counts(u)) = %+v, want %+v", got, u)
	}
	if c := ledger.Counts(cost.Usage{Emails: 1}); len(c) != 1 {
		t.Errorf("Counts of one field = %v, want zero fields left out", c)
	}
}

func TestMonthIsUKTime(t *testing.T) {
	// 23:30 UTC on 31 March 2026 is 00:30 BST on 1 April.
	if got := ledger.Month(time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)); got != "2026-04" {
		t.Errorf("Month = %s, want 2026-04", got)
	}
	if got := ledger.Month(time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC)); got != "2026-01" {
		t.Errorf("Month = %s, want 2026-01 (GMT)", got)
	}
}

func TestFlushAddsToCoopAndAgencyMonth(t *testing.T) {
	tbl := testkit.Table(t, 0)
	ctx := context.Background()
	nov := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	dec := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, f := range []struct {
		coop string
		u    cost.Usage
		at   time.Time
	}{
		{"coop-a", cost.Usage{ReadHalfUnits: 3, Emails: 1}, nov},
		{"coop-a", cost.Usage{WriteUnits: 2}, nov},
		{"coop-a", cost.Usage{WriteUnits: 5}, dec},
		{"", cost.Usage{WriteUnits: 100}, nov}, // charged to no co-op: not stored
	} {
		m := new(cost.Meter)
		m.Add(f.u)
		m.Charge(f.coop)
		if err := ledger.Flush(ctx, tbl, m, agencyOf, f.at); err != nil {
			t.Fatal(err)
		}
		if u, _ := m.Take(); u != (cost.Usage{}) {
			t.Errorf("the meter kept %+v after a flush", u)
		}
	}
	months, err := ledger.Months(ctx, tbl, "coop-a")
	if err != nil {
		t.Fatal(err)
	}
	want := []ledger.MonthUsage{
		{Month: "2026-11", Usage: cost.Usage{ReadHalfUnits: 3, WriteUnits: 2, Emails: 1}},
		{Month: "2026-12", Usage: cost.Usage{WriteUnits: 5}},
	}
	if len(months) != 2 || months[0] != want[0] || months[1] != want[1] {
		t.Errorf("Months = %+v, want %+v", months, want)
	}
	if got := ledger.Total(months); got != (cost.Usage{ReadHalfUnits: 3, WriteUnits: 7, Emails: 1}) {
		t.Errorf("Total = %+v", got)
	}
	if got, err := ledger.AgencyMonth(ctx, tbl, "org-coop-a", "2026-11"); err != nil || got != want[0].Usage {
		t.Errorf("AgencyMonth = %+v, %v; want %+v", got, err, want[0].Usage)
	}
	if got, err := ledger.AgencyMonth(ctx, tbl, "org-none", "2026-11"); err != nil || got != (cost.Usage{}) {
		t.Errorf("AgencyMonth of nobody = %+v, %v; want zero", got, err)
	}
}

// failing refuses every write, as a table that is down would.
type failing struct{ table.Table }

func (failing) Transact(context.Context, ...table.Write) error { return errors.New("down") }

func TestFailedFlushKeepsTheUsage(t *testing.T) {
	m := new(cost.Meter)
	m.Add(cost.Usage{WriteUnits: 3})
	m.Charge("coop-a")
	if err := ledger.Flush(context.Background(), failing{testkit.Table(t, 0)}, m, agencyOf, time.Now()); err == nil {
		t.Fatal("Flush on a failing table returned no error")
	}
	if u, coop := m.Take(); u.WriteUnits != 3 || coop != "coop-a" {
		t.Errorf("after a failed flush the meter holds %+v for %q, want the usage back", u, coop)
	}
}

// TestConcurrentFlushesLoseNothing: many requests of two co-ops of one
// agency flushing at once add up exactly (run with -race).
func TestConcurrentFlushesLoseNothing(t *testing.T) {
	tbl := testkit.Table(t, 0)
	ctx := context.Background()
	at := time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
	same := func(context.Context, string) (string, error) { return "org-one", nil }
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			m := new(cost.Meter)
			m.Add(cost.Usage{ReadHalfUnits: 1, WriteUnits: 2, LambdaRequests: 1})
			m.Charge([]string{"coop-a", "coop-b"}[i%2])
			if err := ledger.Flush(ctx, tbl, m, same, at); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, coop := range []string{"coop-a", "coop-b"} {
		u, err := ledger.CoopMonth(ctx, tbl, coop, "2026-11")
		if err != nil || u != (cost.Usage{ReadHalfUnits: n / 2, WriteUnits: n, LambdaRequests: n / 2}) {
			t.Errorf("%s: %+v, %v; want %d flushes' worth", coop, u, err, n/2)
		}
	}
	u, err := ledger.AgencyMonth(ctx, tbl, "org-one", "2026-11")
	if err != nil || u != (cost.Usage{ReadHalfUnits: n, WriteUnits: 2 * n, LambdaRequests: n}) {
		t.Errorf("agency: %+v, %v; want all %d flushes", u, err, n)
	}
}
