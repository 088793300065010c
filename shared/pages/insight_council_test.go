package pages_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/insight/market"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// councilInsightEnv is the council's site with two tenders refreshed
// through the projector: one open with two sealed bids, one in standstill
// to 24 June 2027 with one bid, on 14 June 2027.
func councilInsightEnv(t *testing.T) (*councilTenderEnv, string, string) {
	t.Helper()
	v := newCouncilTenderEnv(t)
	open := v.publishedTender()
	v.bid(tcFounder, open, tcCoopA, 50_000_00, "Hazel's carers stay with the same people.")
	v.bid(tcFound2, open, tcCoopB, 45_000_00, "Rowan's carers live nearby.")
	v.setNow(tcStart) // the standstill tender is published on the same day
	still := v.standstillTender()
	v.setNow(time.Date(2027, 6, 14, 9, 0, 0, 0, time.UTC))
	// The fixture moves tenders without events, as a test of the tender
	// pages needs no more; the dashboard's facts are refreshed here.
	proj := insightwire.New(v.store)
	for _, id := range []string{open, still} {
		v.must(proj.Refresh(v.ctx, pathway.SubjectTender, id, v.now()))
	}
	return v, open, still
}

// TestCouncilInsightPage: the lead sees the market: every figure as worked
// out by hand, each chart with its table, the sealed tender's count only.
func TestCouncilInsightPage(t *testing.T) {
	v, _, _ := councilInsightEnv(t)
	lead := v.visit(tcLead)
	res := lead.get("/insight/council")
	if res.status != http.StatusOK {
		t.Fatalf("dashboard = %d\n%s", res.status, res.body)
	}
	tcCheck(t, lead, res)
	for _, want := range []string{
		`href="/insight/council" aria-current="page">Market dashboard`,
		"<dt>Tenders</dt><dd>2, worth £200,000 in all",
		// 2 bids for the open tender (sealed) and 1 for the other, a co-op.
		"<dt>Bids in</dt><dd>3, of which 2 still sealed",
		"<dt>Contracts entered into</dt><dd>0, worth £0",
		"<dt>Standstills running</dt><dd>1, the first ending on 24 June 2027",
		"<dt>Contract details notices due</dt><dd>None",
		`role="img"`, "Tenders by status", "Bids by kind of bidder", "Value of contracts entered into",
		`<th scope="row">Open for bids</th><td class="numeric">1</td>`,
		`<th scope="row">Standstill</th><td class="numeric">1</td>`,
		`<th scope="row">Co-ops</th><td class="numeric">1</td>`,
		`<th scope="row">Sealed until the deadline</th><td class="numeric">2</td>`,
		"Sealed until the deadline</td>",
		"<td>24 June 2027</td>",
		"No contract details notice is due.",
		"is a voluntary, community or social enterprise organisation",
		`href="/glossary#vcse"`, `href="/glossary#public-service-mutual"`,
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("dashboard does not say %q", want)
		}
	}
	// Sealed: nothing names who bid for the open tender.
	for _, leak := range []string{"Hazel Care", "Rowan Care", tcCoopA, tcCoopB} {
		if strings.Contains(res.body, leak) {
			t.Errorf("dashboard names a bidder: %q", leak)
		}
	}

	// The same figures from the API.
	api := lead.get("/api/insight/councils/" + tcCouncil)
	var rep market.Report
	if api.status != http.StatusOK || json.Unmarshal([]byte(api.body), &rep) != nil {
		t.Fatalf("API = %d\n%s", api.status, api.body)
	}
	if rep.Tenders != 2 || rep.Bids != (market.BidFigures{Total: 3, Sealed: 2, Coops: 1}) || len(rep.Standstills) != 1 || rep.Standstills[0].Day != "2027-06-24" {
		t.Errorf("API report = %+v", rep)
	}
	if strings.Contains(api.body, tcCoopA) || strings.Contains(api.body, tcCoopB) {
		t.Error("the API names a bidder")
	}
}

// TestCouncilInsightAccess: council staff see their own council's
// dashboard; founders and other councils' staff do not.
func TestCouncilInsightAccess(t *testing.T) {
	v, _, _ := councilInsightEnv(t)
	staff := v.visit(tcStaff)
	if res := staff.get("/insight/council"); res.status != http.StatusOK || !strings.Contains(res.body, "Your council&#39;s care market") {
		t.Errorf("council staff = %d", res.status)
	}
	founder := v.visit(tcFounder)
	if res := founder.get("/insight/council"); res.status != http.StatusForbidden {
		t.Errorf("founder's dashboard = %d, want 403", res.status)
	}
	if res := founder.get("/tenders"); strings.Contains(res.body, "Market dashboard") {
		t.Error("a founder is offered the council's dashboard")
	}
	if res := founder.get("/api/insight/councils/" + tcCouncil); res.status != http.StatusForbidden {
		t.Errorf("founder's API = %d, want 403", res.status)
	}
	v.must(v.store.PutUser(v.ctx, &pathway.User{ID: "user-other-council", Name: "Quill Example", Role: pathway.RoleCommissioner, Organisation: "org-other-council", Lead: true}))
	other := v.visit("user-other-council")
	if res := other.get("/api/insight/councils/" + tcCouncil); res.status != http.StatusForbidden {
		t.Errorf("another council's API = %d, want 403", res.status)
	}
	if res := other.get("/insight/council"); res.status != http.StatusOK || strings.Contains(res.body, "Sealed until the deadline</td>") || !strings.Contains(res.body, "no tenders yet") {
		t.Errorf("another council's dashboard = %d: want its own, empty", res.status)
	}
}
