package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/shared/insight/market"
)

// TestCouncilDashboardLocal: the local server with the demo keeps the
// council dashboard up to date by itself (every change asks for a refresh,
// the insight sweep runs every few seconds): the demo council's three
// tenders (open, in standstill, contracted) show, the open one sealed, to
// its lead only.
func TestCouncilDashboardLocal(t *testing.T) {
	base, stop := start(t, "--data", t.TempDir(), "--demo")
	defer stop()
	lead := login(t, base, demo.UserCouncilLead)
	url := base + "/api/insight/councils/" + demo.OrgTenderCouncil
	var rep market.Report
	read := func() bool {
		status, body := get(t, url, lead)
		rep = market.Report{}
		return status == 200 && json.Unmarshal([]byte(body), &rep) == nil && rep.Tenders == 3 && rep.Contracts.Count == 1
	}
	waitForCouncilDashboard(t, "the demo council's three tenders on its dashboard", read)
	byStatus := map[string]int64{}
	for _, s := range rep.ByStatus {
		byStatus[s.Status] = s.Count
	}
	if byStatus["open"] != 1 || byStatus["standstill"] != 1 || byStatus["contracted"] != 1 {
		t.Errorf("tenders by status %v, want one open, one in standstill, one contracted", byStatus)
	}
	for _, r := range rep.TenderRows {
		if r.ID == demo.TenderOpen && (!r.Sealed || r.Coops != nil) {
			t.Errorf("the open tender's row %+v is not sealed", r)
		}
	}
	if rep.Bids.Total == 0 || rep.Bids.Coops == 0 || rep.Contracts.Value == 0 {
		t.Errorf("bids %+v, contracts %+v: want the demo's bids and contract", rep.Bids, rep.Contracts)
	}
	other := login(t, base, demo.UserCommissioner) // another council's staff
	if status, _ := get(t, url, other); status != 403 {
		t.Errorf("another council's staff = %d, want 403", status)
	}
}

// waitForCouncilDashboard retries read until it reports true, for at most 30 seconds: the
// insight sweep runs every outbox.InsightEvery.
func waitForCouncilDashboard(t *testing.T, what string, read func() bool) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); !read(); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%s: never came true", what)
		}
	}
}
