package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/cost/ledger"
	"github.com/coopcarepathway/pathway/shared/cost/metered"
)

// TestRequestCostLandsOnItsCoop: a founder's requests about their co-op,
// through the real routes and the journey service, are counted under that
// co-op and its agency for the month, and the other co-op's ledger is
// left untouched.
func TestRequestCostLandsOnItsCoop(t *testing.T) {
	f := newFixture(t, nil)
	f.h = metered.HTTP(metered.Config{Table: f.table, MemoryMB: 256, AgencyOf: ledger.StoreAgencyOf(f.store)}, f.h)
	for _, path := range []string{"/api/coops/" + coopNorth, "/api/coops/" + coopNorth + "/events"} {
		if res := f.call(t, http.MethodGet, path, founder(founderA), ""); res.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, res.status, res.body)
		}
	}
	month := ledger.Month(time.Now())
	got, err := ledger.CoopMonth(t.Context(), f.table, coopNorth, month)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("two GETs of a co-op: %+v", got)
	if got.LambdaRequests != 2 || got.LambdaMBms < 2*256 {
		t.Errorf("lambda: %d requests, %d MB-ms; want 2 requests of at least 1 ms at 256 MB", got.LambdaRequests, got.LambdaMBms)
	}
	// Each request reads the co-op (a strongly consistent Get, one unit)
	// and more; nothing here writes.
	if got.ReadHalfUnits < 4 || got.WriteUnits != 0 {
		t.Errorf("dynamo: %d half read units, %d write units; want at least 4 and 0", got.ReadHalfUnits, got.WriteUnits)
	}
	agency, err := ledger.AgencyMonth(t.Context(), f.table, agencyNorth, month)
	if err != nil {
		t.Fatal(err)
	}
	if agency != got {
		t.Errorf("agency month %+v, want the co-op's %+v", agency, got)
	}
	for _, other := range []func() (cost.Usage, error){
		func() (cost.Usage, error) { return ledger.CoopMonth(t.Context(), f.table, coopSouth, month) },
		func() (cost.Usage, error) { return ledger.AgencyMonth(t.Context(), f.table, agencySouth, month) },
	} {
		if u, err := other(); err != nil || u != (cost.Usage{}) {
			t.Errorf("the other co-op's ledger: %+v, %v; want nothing", u, err)
		}
	}
	// A request charged to no co-op (the pipeline of an agency, here
	// refused to a founder) stores nothing.
	f.call(t, http.MethodGet, "/api/coops?programme="+progSouth, founder(founderB), "")
	if u, _ := ledger.CoopMonth(t.Context(), f.table, coopSouth, month); u != (cost.Usage{}) {
		t.Errorf("an uncharged request was stored under %s: %+v", coopSouth, u)
	}
}
