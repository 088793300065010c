package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/tenders"
)

// TestTenderCouncilCancel: on the tender page the lead (only) finds
// "Cancel this tender", whose confirmation says what cancelling does and
// asks the reason (refused when missing, and without the CSRF token);
// once cancelled, the council's page shows the reason and the UK12
// notice, and the bidder's founders read "Cancelled" with the reason.
func TestTenderCouncilCancel(t *testing.T) {
	v := newCouncilTenderEnv(t)
	id := v.standstillTender()
	lead := v.visit(tcLead)
	res := lead.get("/tenders/" + id)
	if !strings.Contains(res.body, `href="/tenders/`+id+`/cancel"`) {
		t.Fatalf("the lead's page has no way to cancel:\n%s", res.body)
	}
	staff := v.visit(tcStaff)
	if res := staff.get("/tenders/" + id); strings.Contains(res.body, "/cancel") {
		t.Errorf("other staff are offered to cancel")
	}
	if res := staff.get("/tenders/" + id + "/cancel"); res.status != http.StatusNotFound {
		t.Errorf("staff's cancel page: %d", res.status)
	}
	res = lead.get("/tenders/" + id + "/cancel")
	tcCheck(t, lead, res)
	for _, want := range []string{"Cancel this tender?", "set aside", "emailed", "(UK12)", "section 55", "cannot be undone", `name="reason"`} {
		if res.status != http.StatusOK || !strings.Contains(res.body, want) {
			t.Errorf("the confirmation lacks %q: %d", want, res.status)
		}
	}
	// Without the CSRF token nothing happens.
	if res := lead.postRaw("/tenders/"+id+"/cancel", url.Values{"reason": {"No token."}}); res.status != http.StatusForbidden {
		t.Errorf("a post without the CSRF token: %d", res.status)
	}
	res = lead.post("/tenders/"+id+"/cancel", url.Values{"reason": {"  "}})
	tcCheck(t, lead, res)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#reason"`) || !strings.Contains(res.body, "Enter the reason for cancelling the tender") {
		t.Errorf("a missing reason: %d\n%s", res.status, res.body)
	}
	if td, _ := v.ts.GetTender(v.ctx, id); td.Status != tenders.StatusStandstill {
		t.Fatalf("refused cancellations changed the tender to %s", td.Status)
	}
	res = lead.post("/tenders/"+id+"/cancel", url.Values{"reason": {"The service will be provided in house."}})
	tcCheck(t, lead, res)
	if res.path != "/tenders/"+id+"?notice=cancelled" {
		t.Fatalf("after cancelling: %s %d", res.path, res.status)
	}
	for _, want := range []string{"The tender is cancelled", "Reason: The service will be provided in house.", "Procurement termination notice (UK12)"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the cancelled page lacks %q", want)
		}
	}
	if strings.Contains(res.body, `/cancel"`) {
		t.Errorf("a cancelled tender still offers to cancel")
	}
	if res := lead.get("/tenders/" + id + "/cancel"); res.status != http.StatusConflict {
		t.Errorf("the cancel page of a cancelled tender: %d", res.status)
	}

	founder := v.visit(tcFounder)
	res = founder.get("/tenders/" + id)
	tcCheck(t, founder, res)
	if !strings.Contains(res.body, "Cancelled.") || !strings.Contains(res.body, "The service will be provided in house.") {
		t.Errorf("the founder's tender page:\n%s", res.body)
	}
	bids, err := v.ts.ListBids(v.ctx, id)
	v.must(err)
	res = founder.get("/bids/" + bids[0].ID + "/sent")
	if !strings.Contains(res.body, "cancelled this") || !strings.Contains(res.body, "reason: The service will be provided in house.") {
		t.Errorf("the founder's bid page:\n%s", res.body)
	}
	if res := founder.get("/coops/" + tcCoopA + "/tenders"); !strings.Contains(res.body, "Cancelled: the council cancelled this tender") {
		t.Errorf("the co-op's tenders page:\n%s", res.body)
	}
}
