package pages_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestEligibilityChecker: the checker answers at once, with each reason
// naming its rule, and a next step; answers it cannot read are errors
// naming the question.
func TestEligibilityChecker(t *testing.T) {
	v := newEnv(t)
	f := v.visit(founderID)
	if res := f.get("/apply"); !strings.Contains(res.body, `href="/apply/check-eligibility"`) {
		t.Fatalf("the start of applying does not link to the checker")
	}
	if res := f.get("/apply/check-eligibility"); res.status != 200 || !strings.Contains(res.body, `<option value="Calderdale">`) {
		t.Fatalf("checker page %d, or no list of council areas", res.status)
	}
	form := func(la, founders string) url.Values {
		return url.Values{"programme": {programmeID}, "localAuthority": {la}, "founders": {founders},
			"classes": {pathway.ClassWorker}, "services": {"home-care"}, "legalForm": {pathway.FormCooperativeSociety}, "origin": {pathway.OriginNewStart}}
	}
	res := f.post("/apply/check-eligibility", form("Hebden Bridge", "1"))
	for _, want := range []string{"Your application would not be eligible", pathway.RuleNames[pathway.RuleEngland],
		pathway.RuleNames[pathway.RuleMinFounders], "needs at least 2 founding members", `href="/apply">read about the programmes`} {
		if res.status != 200 || !strings.Contains(res.body, want) {
			t.Errorf("screened-out answers: %d, page lacks %q", res.status, want)
		}
	}
	res = f.post("/apply/check-eligibility", form("Calderdale", "3"))
	if res.status != 200 || !strings.Contains(res.body, "You can apply") || !strings.Contains(res.body, `href="/apply/about"`) {
		t.Errorf("eligible answers: %d, no 'You can apply' with the way on", res.status)
	}
	res = f.post("/apply/check-eligibility", form("Calderdale", "three"))
	if res.status != 400 || !strings.Contains(res.body, `href="#founders"`) {
		t.Errorf("a number in words: %d, want 400 linking to the question", res.status)
	}
}

// TestCorrectAndSendAgain: check your answers warns of what the screening
// will refuse; a screened-out application is corrected and sent again from
// its co-op's page, and the application workflow runs again for it on the
// local engine, keeping both attempts in the history.
func TestCorrectAndSendAgain(t *testing.T) {
	v := newEnv(t)
	a := application("Hebden Care Co-op")
	a.LocalAuthority = "Hebden Bridge"
	cv, err := v.journey.Apply(v.ctx, user(founderID), journey.CoopID(founderID, "hebden"), a)
	v.must(err)
	v.waitStage(cv.ID, pathway.StageIneligible)

	f := v.visit(founderID)
	if res := f.get("/coops/" + cv.ID); !strings.Contains(res.body, `href="/coops/`+cv.ID+`/apply-again"`) {
		t.Fatalf("the co-op page does not offer to send the application again")
	}
	if res := v.visit(officerID).get("/coops/" + cv.ID); strings.Contains(res.body, "apply-again") {
		t.Errorf("agency staff are offered to send the founders' application again")
	}
	res := f.get("/coops/" + cv.ID + "/apply-again")
	if !strings.HasPrefix(res.path, "/apply/check") || !strings.Contains(res.body, "The screening will refuse this answer") ||
		!strings.Contains(res.body, pathway.RuleNames[pathway.RuleEngland]) || !strings.Contains(res.body, `href="/apply/about?change=1#localAuthority"`) {
		t.Fatalf("check your answers at %s does not warn of the council area:\n%s", res.path, res.body)
	}
	about := url.Values{"programme": {programmeID}, "name": {a.Name}, "legalForm": {a.LegalForm}, "origin": {a.Origin},
		"localAuthority": {"Calderdale"}, "change": {"1"}}
	if res := f.post("/apply/about", about); !strings.HasPrefix(res.path, "/apply/check") || strings.Contains(res.body, "The screening will refuse") {
		t.Fatalf("corrected answers: at %s, still warned", res.path)
	}
	res = f.post("/apply/check", url.Values{})
	if !strings.Contains(res.path, "/coops/"+cv.ID) || !strings.Contains(res.path, "notice=resent") {
		t.Fatalf("sending again landed at %s (%d)", res.path, res.status)
	}
	c := v.waitStage(cv.ID, pathway.StageAwaitingPanel)
	if c.Attempt != 2 || c.LocalAuthority != "Calderdale" {
		t.Fatalf("co-op %+v; want attempt 2 with the corrected council area", c)
	}
	page, err := v.store.ListEvents(v.ctx, pathway.CoopSubject(cv.ID), "", pathway.MaxPageSize)
	v.must(err)
	n := map[string]int{}
	for _, e := range page.Events {
		n[e.Action]++
	}
	if n[pathway.ActionApplicationScreened] != 2 || n[pathway.ActionApplicationIneligible] != 1 || n[pathway.ActionApplicationResent] != 1 {
		t.Fatalf("history %v; want both attempts screened, the first refused, one resent", n)
	}
	// The same resubmission retried (attempt 2's answers) starts nothing
	// more: the execution of attempt 2 exists already.
	if _, err := v.journey.Resubmit(v.ctx, user(founderID), cv.ID, journey.ApplicationOf(c)); err != nil {
		t.Fatalf("a retried resubmission: %v", err)
	}
	v.engine.WaitIdle()
	page, err = v.store.ListEvents(v.ctx, pathway.CoopSubject(cv.ID), "", pathway.MaxPageSize)
	v.must(err)
	screened := 0
	for _, e := range page.Events {
		if e.Action == pathway.ActionApplicationScreened {
			screened++
		}
	}
	if screened != 2 {
		t.Fatalf("a retried resubmission screened the application again (%d screenings)", screened)
	}
}
