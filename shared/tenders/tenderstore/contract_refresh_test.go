package tenderstore_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// coopRefreshes counts the pending insight deliveries per co-op.
func coopRefreshes(t *testing.T, tb table.Table) map[string]int {
	t.Helper()
	ds, err := store.New(tb).PendingInsight(ctx, 100)
	must(t, err)
	out := map[string]int{}
	for _, d := range ds {
		if d.Subject.Kind == pathway.SubjectCoop {
			out[d.Subject.ID]++
		}
	}
	return out
}

func testContractRefreshesItsCoops(t *testing.T, tb table.Table, s *tenderstore.Store) {
	tn := tender("t-1", "org-council")
	must(t, s.CreateTender(ctx, tn, nil))
	tn.Contract = &tenders.Contract{SignedOn: "2027-04-01", Start: "2027-05-01", End: "2029-04-30", Lots: []tenders.ContractLot{
		{Lot: "north", Coop: "coop-a", Bid: "b-1", Value: 100_000_00}, {Lot: "south", Coop: "coop-a", Bid: "b-1", Value: 50_000_00},
		{Lot: "east", Coop: "coop-b", Bid: "b-2", Value: 70_000_00}, {Lot: "west", Value: 10_000_00}}}
	must(t, s.UpdateTender(ctx, tn, event(tenders.Subject("t-1"), "tender.contracted")))
	if got := coopRefreshes(t, tb); len(got) != 2 || got["coop-a"] != 1 || got["coop-b"] != 1 {
		t.Fatalf("refreshes = %v, want one for each of coop-a and coop-b", got)
	}
	tn.Title = "Renamed"
	must(t, s.UpdateTender(ctx, tn, event(tenders.Subject("t-1"), "tender.changed")))
	if got := coopRefreshes(t, tb); got["coop-a"] != 1 || got["coop-b"] != 1 {
		t.Errorf("an update that leaves the contract as it was asked again: %v", got)
	}
}
