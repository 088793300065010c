package tenderstore_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestBidsRefreshTheirTender: a bid's event is about the bid (and its
// co-op), but the bid changes its tender's figures too, so the same
// transaction asks for the tender's aggregates to be refreshed.
func TestBidsRefreshTheirTender(t *testing.T) {
	tb := testkit.EmbeddedTable(t)
	s, st := tenderstore.New(tb), store.New(tb)
	openTender(t, s, "t-1")
	before, err := st.PendingInsight(ctx, 100)
	must(t, err)
	e := event(tenders.BidSubject("bid-1"), "bid.submitted")
	e.Coop = "coop-1"
	must(t, s.CreateBid(ctx, bid("bid-1", "t-1", "coop-1", at(1)), e))
	after, err := st.PendingInsight(ctx, 100)
	must(t, err)
	old := map[string]bool{}
	for _, d := range before {
		old[d.ID] = true
	}
	got := map[pathway.Subject]int{}
	for _, d := range after {
		if !old[d.ID] {
			got[d.Subject]++
		}
	}
	want := map[pathway.Subject]int{tenders.Subject("t-1"): 1, pathway.CoopSubject("coop-1"): 1}
	if len(got) != len(want) || got[tenders.Subject("t-1")] != 1 || got[pathway.CoopSubject("coop-1")] != 1 {
		t.Fatalf("refreshes asked for %v; want %v", got, want)
	}
}
