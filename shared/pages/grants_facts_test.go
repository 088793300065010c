package pages_test

import (
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestGrantFactsOnBoardAndCoopPage: the agency's pipeline cards and the
// co-op's page say what the co-op has been awarded and paid, kept by the
// store with each award and payment; a co-op with no grant says so on its
// page and nothing on its card.
func TestGrantFactsOnBoardAndCoopPage(t *testing.T) {
	v := newEnv(t)
	v.seedGrants()
	funded := v.apply("Calder Grant Co-op")
	other := v.apply("Ribble Care Co-op")

	gs := grantstore.New(v.store.Table())
	now := time.Now()
	a := &grants.Application{ID: "ga-facts-1", Programme: grantProg, Funder: funderOrg, Coop: funded, Applicant: founderID,
		Title: "Training our first carers", Purpose: "Care Certificate training.", Amount: 500_000,
		Budget: []grants.BudgetLine{{Item: "Training", Amount: 500_000}}, Status: grants.StatusAwaitingDecision,
		Attempt: 1, CreatedAt: now, UpdatedAt: now, SubmittedAt: now}
	v.must(gs.CreateApplication(v.ctx, a, nil))
	v.must(grants.Move(a, grants.StatusAwarded, now))
	a.Award = &grants.Award{Amount: 500_000, DecidedBy: grantLead, DecidedAt: now, Tranches: []grants.Tranche{
		{ID: "t1", Amount: 250_000, Trigger: grants.TriggerAgreement, Status: grants.TrancheOpen},
		{ID: "t2", Amount: 250_000, Trigger: grants.TriggerCQCRegistered, Status: grants.TrancheOpen}}}
	v.must(gs.Award(v.ctx, a, nil))
	v.must(grants.Move(a, grants.StatusActive, now))
	grants.Release(a, grants.TriggerAgreement, now.Format(time.DateOnly))
	v.must(gs.UpdateApplication(v.ctx, a, nil))
	v.must(grants.Pay(a, "t1", &grants.PaymentAnswer{PaidOn: now.Format(time.DateOnly), Reference: "HF-0001"}))
	v.must(gs.Pay(v.ctx, a, "t1", nil))

	officer := v.visit(officerID)
	res := officer.get("/board")
	if res.status != http.StatusOK {
		t.Fatalf("board: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, officer.csrf()); len(problems) > 0 {
		t.Errorf("board: %v", problems)
	}
	if n := strings.Count(res.body, "Grant: £5,000 awarded, £2,500 paid"); n != 1 {
		t.Errorf("board shows the funded co-op's grant %d times, want once:\n%s", n, res.body)
	}
	card := cardOf(t, res.body, "Calder Grant Co-op")
	if !strings.Contains(card, "Grant: £5,000 awarded, £2,500 paid") {
		t.Errorf("funded co-op's card: %s", card)
	}
	if card := cardOf(t, res.body, "Ribble Care Co-op"); strings.Contains(card, "Grant:") {
		t.Errorf("co-op with no grant: %s", card)
	}
	res = officer.get("/board/" + programmeID + "/" + pathway.StageAwaitingPanel)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Grant: £5,000 awarded, £2,500 paid") {
		t.Errorf("column page: %d\n%s", res.status, res.body)
	}

	const want = "1 application sent, 1 award: £5,000 awarded, £2,500 paid."
	for _, who := range []string{officerID, founderID} {
		res = v.visit(who).get("/coops/" + funded)
		if res.status != http.StatusOK || !strings.Contains(html.UnescapeString(res.body), want) ||
			!strings.Contains(res.body, `href="/coops/`+funded+`/grants">See grant applications`) {
			t.Errorf("co-op page for %s: %d\n%s", who, res.status, res.body)
		}
	}
	if res = officer.get("/coops/" + other); !strings.Contains(res.body, "No grant applications yet.") {
		t.Errorf("co-op page without grants: %s", res.body)
	}
}

// cardOf returns the board's card of the co-op named.
func cardOf(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, ">"+name+"</a>")
	if i < 0 {
		t.Fatalf("no card of %s:\n%s", name, body)
	}
	start := strings.LastIndex(body[:i], "<li")
	end := strings.Index(body[i:], "</li>")
	return body[start : i+end]
}
