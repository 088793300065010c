package pages_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/insight/funding"
	"github.com/coopcarepathway/pathway/shared/insight/funding/fundingtest"
	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/web"
)

// newFunderInsightEnv serves the pages with the funder's dashboard over
// the seeded applications (fundingtest.Seed), refreshed through the
// projector, read on fundingtest.Today.
func newFunderInsightEnv(t *testing.T) *env {
	t.Helper()
	st, dir := openStore(t)
	auth, err := devauth.New(st, dir)
	if err != nil {
		t.Fatal(err)
	}
	proj := insightwire.New(st)
	fundingtest.Seed(t, st, proj)
	now := func() time.Time { return fundingtest.Today }
	wf := &testkit.Workflows{}
	j := journey.New(st, wf, now)
	g := grantservice.New(st, grantstore.New(st.Table()), wf, now)
	fs := funding.NewService(proj, grantstore.New(st.Table()), now)
	p := pages.New(pages.Config{Journey: j, Logger: quietLogger(), Grants: g, Funding: fs, Now: now})
	v := &env{t: t, ctx: context.Background(), store: st, auth: auth}
	v.srv = httptest.NewServer(web.New(web.Config{Store: st, Workflows: wf, Journey: j, Grants: g, Funding: fs, Pages: p, Auth: auth,
		Mount: auth.Routes(), SignInURL: "/auth/dev-users", SignOutURL: "/auth/dev-logout", Logger: quietLogger(), Now: now}))
	t.Cleanup(v.srv.Close)
	return v
}

// TestFunderDashboardPage: the funder's staff see the figures worked out
// by hand (fundingtest.CheckReport), each chart with its table, the
// terms explained, from the navigation; anyone else is told the page is
// not found.
func TestFunderDashboardPage(t *testing.T) {
	v := newFunderInsightEnv(t)
	staff := v.visit(fundingtest.Staff.ID)
	res := staff.get("/grants")
	if !strings.Contains(res.body, `<a href="/insight/funder">Dashboard</a>`) {
		t.Fatalf("no dashboard link in the funder's navigation:\n%s", res.body)
	}
	res = staff.get("/insight/funder")
	if res.status != http.StatusOK {
		t.Fatalf("dashboard: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, staff.csrf()); len(problems) > 0 {
		t.Errorf("dashboard: %v", problems)
	}
	for _, want := range []string{
		`<a href="/insight/funder" aria-current="page">Dashboard</a>`,
		"Figures as of 15 June 2027",
		// Total: budget, awarded in two awards, paid, remaining.
		"<dt>Budget</dt><dd>£150,000</dd>", "<dt>Awarded</dt><dd>£9,000 in 2 awards</dd>", "<dt>Paid</dt><dd>£2,000</dd>",
		"<dt>Remaining to award</dt><dd>£141,000</dd>", "<dt>Applications sent</dt><dd>5</dd>",
		"<dt>Days to a decision (median)</dt><dd>17 days, from 4 decisions</dd>", "<dt>Days to a decision (90th percentile)</dt><dd>27 days</dd>",
		"<dt>Reports overdue</dt><dd>2</dd>",
		// The Start programme alone, and Growth with no award.
		"Kestrel Start-up Grants", "<dd>20 days, from 3 decisions</dd>", "<dd>28 days</dd>", "Kestrel Growth Grants", "No awards yet.",
		// The money table beside its chart: May's row.
		`<th scope="row" data-label="Month">May 2027</th><td data-label="Awarded to date" class="numeric">£9,000</td><td data-label="Paid to date" class="numeric">£2,000</td><td data-label="Remaining to award" class="numeric">£141,000</td>`,
		// Awards by council area, largest first, with counts and money.
		`<th scope="row" data-label="Council area">Calderdale</th><td data-label="Awards" class="numeric">1</td><td data-label="Awarded" class="numeric">£5,000</td>`,
		`<th scope="row" data-label="Legal form">Community benefit society</th>`,
		`<th scope="row" data-label="How the co-op began">Converting an existing business</th>`,
		// Applications by status.
		`<th scope="row" data-label="Status">Not funded</th><td data-label="Applications" class="numeric">1</td>`,
		"What the figures mean", "The 90th percentile is",
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	// Five charts for the total and for Start; Growth has no award, so
	// no charts of awards, but money and statuses.
	if n := strings.Count(res.body, `<svg `); n != 5+5+2 {
		t.Errorf("%d charts, want 12", n)
	}
	if strings.Contains(res.body, "<script") {
		t.Error("the dashboard has a script")
	}
	for _, who := range []string{fundingtest.FounderA.ID, fundingtest.AgencyStaff.ID} {
		if res := v.visit(who).get("/insight/funder"); res.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", who, res.status)
		}
	}
	// Another funder's staff see their own funder's figures, not these.
	res = v.visit(fundingtest.OtherStaff.ID).get("/insight/funder")
	if res.status != http.StatusOK || strings.Contains(res.body, "Kestrel") || !strings.Contains(res.body, "<dt>Budget</dt><dd>£0</dd>") ||
		!strings.Contains(res.body, "Your funder has no grant programmes yet") {
		t.Errorf("another funder's dashboard: %d\n%s", res.status, res.body)
	}
}
