package web_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestEligibilityAPI: POST /api/eligibility answers at once with the
// screening's reasons, each naming the answer and the rule; bad answers
// are 400 naming the field.
func TestEligibilityAPI(t *testing.T) {
	e := newAPI(t)
	body := `{"programme":"` + progNorth + `","localAuthority":"Hebden Bridge","founders":1,"services":["home-care"],"legalForm":"co-operative-society"}`
	e.do("POST", "/api/eligibility", "", body).wantError(t, 401, "")
	res := e.do("POST", "/api/eligibility", founderA, body)
	if res.status != 200 {
		t.Fatalf("status %d %s", res.status, res.body)
	}
	var got struct {
		Eligible bool
		Reasons  []struct{ Field, Rule, Message string }
	}
	res.decode(t, &got)
	if got.Eligible || len(got.Reasons) != 2 || got.Reasons[0].Field != "localAuthority" || got.Reasons[0].Rule != pathway.RuleEngland ||
		got.Reasons[1].Field != "members" || got.Reasons[1].Rule != pathway.RuleMinFounders {
		t.Fatalf("answer %+v; want the council area and the founding members refused", got)
	}
	res = e.do("POST", "/api/eligibility", founderA, `{"programme":"`+progNorth+`","localAuthority":"Leeds","founders":2,"services":["home-care"],"legalForm":"co-operative-society"}`)
	res.decode(t, &got)
	if res.status != 200 || !got.Eligible || len(got.Reasons) != 0 {
		t.Fatalf("eligible answers: %d %s", res.status, res.body)
	}
	e.do("POST", "/api/eligibility", founderA, `{"programme":"`+progNorth+`","legalForm":"partnership"}`).wantError(t, 400, "legalForm")
}

// TestResubmitAPI: POST /api/coops/{id}/application sends a screened-out
// application again, for its founders, only while it is ineligible.
func TestResubmitAPI(t *testing.T) {
	e := newAPI(t)
	out := e.seedCoop("coop-out", progNorth, founderA, pathway.StageIneligible, testNow)
	body := application(map[string]string{"localAuthority": `"Leeds"`, "programme": "-"})
	e.do("POST", "/api/coops/"+out.ID+"/application", staffNorth, body).wantError(t, 403, "")
	e.do("POST", "/api/coops/"+out.ID+"/application", founderB, body).wantError(t, 404, "")
	res := e.do("POST", "/api/coops/"+out.ID+"/application", founderA, body)
	if res.status != 200 {
		t.Fatalf("status %d %s", res.status, res.body)
	}
	var got struct {
		Stage   string
		Attempt int
	}
	res.decode(t, &got)
	if got.Stage != pathway.StageApplied || got.Attempt != 2 {
		t.Fatalf("co-op %+v, want applied again as attempt 2", got)
	}
	if res := e.do("POST", "/api/coops/"+out.ID+"/application", founderA, body); res.status != 200 {
		t.Fatalf("a retried resubmission: %d %s", res.status, res.body)
	}
	panel := e.seedCoop("coop-panel", progNorth, founderA, pathway.StageAwaitingPanel, testNow)
	e.do("POST", "/api/coops/"+panel.ID+"/application", founderA, body).wantError(t, 409, "")
}
