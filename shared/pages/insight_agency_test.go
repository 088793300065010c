package pages_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/insight/stats"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// fakePipeline is the pipeline insight service as the pages see it: it
// answers with the report and rows it is given and remembers what it was
// asked.
type fakePipeline struct {
	mu     sync.Mutex
	report *pipeline.Report
	rows   *pipeline.RowPage
	err    error
	// Asked.
	calls                int
	filter               pipeline.Filter
	search, sort, cursor string
	limit                int
}

func (f *fakePipeline) Report(_ context.Context, u *pathway.User, fl pipeline.Filter) (*pipeline.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.filter = fl
	if f.err != nil {
		return nil, f.err
	}
	r := *f.report
	r.Filter = fl
	return &r, nil
}

func (f *fakePipeline) Rows(_ context.Context, u *pathway.User, fl pipeline.Filter, search, sort, cursor string, limit int) (*pipeline.RowPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.filter, f.search, f.sort, f.cursor, f.limit = fl, search, sort, cursor, limit
	if f.err != nil {
		return nil, f.err
	}
	return f.rows, nil
}

// days returns the median and 90th percentile of the day counts.
func days(t *testing.T, d ...int) (*stats.Days, *stats.Days) {
	t.Helper()
	s, ok := stats.Summarise(d)
	if !ok {
		t.Fatal("no days")
	}
	return &s.Median, &s.P90
}

// handReport is a report worked out by hand: 10 co-ops applied, 8 went
// before the panel, 4 are preparing for CQC, 2 ended ineligible.
func handReport(t *testing.T) *pipeline.Report {
	m, p := days(t, 2, 3, 5, 9) // median 4, p90 7.8
	pm, pp := days(t, 14, 21)   // median 17.5, p90 20.3
	r := &pipeline.Report{Total: 10, AsOf: time.Date(2027, 7, 1, 9, 0, 0, 0, time.UTC)}
	for _, s := range pipeline.Stages {
		fig := pipeline.StageFigure{Stage: s}
		switch s {
		case pipeline.StageApplied:
			fig.Reached, fig.Count, fig.Left, fig.MedianDays, fig.P90Days = 10, 0, 10, m, p
		case pipeline.StagePanel:
			fig.Reached, fig.Count, fig.Left, fig.MedianDays, fig.P90Days = 8, 4, 4, pm, pp
		case pipeline.StagePreparing:
			fig.Reached, fig.Count = 4, 4
		case pipeline.StageIneligible:
			fig.Reached, fig.Count = 2, 2
		}
		r.Stages = append(r.Stages, fig)
	}
	r.Conversion = []pipeline.Conversion{
		{From: pipeline.StageApplied, To: pipeline.StagePanel, Rate: stats.NewRate(8, 10)},
		{From: pipeline.StagePanel, To: pipeline.StagePreparing, Rate: stats.NewRate(4, 8)},
		{From: pipeline.StagePreparing, To: pipeline.StageAppliedCQC, Rate: stats.NewRate(0, 4)},
		{From: pipeline.StageAppliedCQC, To: pipeline.StageRegistered, Rate: stats.NewRate(0, 0)},
	}
	r.WaitingOn = pipeline.WaitingOn{Agency: 4, Founders: 3, Overdue: 2, OverdueByOwner: map[string]int64{pipeline.OwnerAgency: 1, pipeline.OwnerFounders: 1}}
	r.Programmes = []pipeline.ProgrammeFigure{{ID: programmeID, Name: "Moorside Care Co-op Start-up", Coops: 10, Funded: 1,
		GrantsAwarded: 12_500_00, GrantsPaid: 6_250_50, Contracted: 1, Contracts: 2, ContractValue: 1_234_567_89}}
	return r
}

// handRows is a page of one co-op, with a next page.
func handRows() *pipeline.RowPage {
	return &pipeline.RowPage{Next: "cursor-2", Rows: []pipeline.Row{{
		ID: "coop-hazel", Name: "Hazel Care Co-operative", Programme: programmeID, Area: "Calderdale", Stage: pipeline.StagePreparing,
		AppliedAt: time.Date(2027, 6, 3, 10, 0, 0, 0, time.UTC), DaysInStage: 12, WaitingOn: "founders", Overdue: true,
		GrantsAwarded: 5_000_00, ContractValue: 0,
	}}}
}

// withPipeline serves the site with the insight pages over the fake, or
// with no pipeline insight at all when f is nil.
func (v *env) withPipeline(f *fakePipeline) {
	v.t.Helper()
	cfg := web.Config{Store: v.store, Workflows: localsfn.New(v.engine), Journey: v.journey, Auth: v.auth, Mount: v.auth.Routes(),
		SignInURL: "/auth/dev-users", SignOutURL: "/auth/dev-logout", Logger: quietLogger()}
	pc := pages.Config{Journey: v.journey, Logger: cfg.Logger}
	if f != nil {
		pc.Pipeline = f
	}
	cfg.Pages = pages.New(pc)
	v.srv.Close()
	v.srv = httptest.NewServer(web.New(cfg))
	v.t.Cleanup(v.srv.Close)
}

// TestAgencyInsightDashboard: the dashboard shows the hand-worked figures
// (funnel with conversion, days, waiting, money in pounds) for the filter
// in the address, with the CSV and list links carrying the same filter.
func TestAgencyInsightDashboard(t *testing.T) {
	v := newEnv(t)
	f := &fakePipeline{report: handReport(t)}
	v.withPipeline(f)
	vi := v.visit(officerID)
	res := vi.get("/insight?cohort=2027-06&area=calderdale+council&origin=" + pathway.OriginNewStart)
	wantPage(t, vi, res,
		"Co-ops that applied in June 2027", "<strong>10 co-ops</strong>",
		`<svg`, `viewBox="0 0 300`, "Co-ops that reached each stage",
		// Funnel table: reached, now, went on.
		`data-label="Reached">8</td>`, `data-label="Went on from the stage before">80.0%</td>`,
		`data-label="Went on from the stage before">50.0%</td>`, `data-label="Went on from the stage before">0.0%</td>`,
		`data-label="Went on from the stage before">None reached the stage before</td>`,
		"(an end)",
		// Days: median and 90th percentile of those that left.
		"days spent in a stage by the co-ops that have left it",
		`data-label="Median days">4</td>`, `data-label="90th percentile days">7.8</td>`,
		`data-label="Median days">17.5</td>`, `data-label="90th percentile days">20.3</td>`,
		// Waiting on whom, overdue by owner.
		"Waiting on the agency", "Overdue: the agency", "Overdue: the founders",
		// Money in pounds from pence.
		"£12,500", "£6,250.50", "£1,234,567.89",
		// Links for the same filter.
		`href="/api/insight/pipeline.csv?area=Calderdale&amp;cohort=2027-06&amp;origin=new-start"`,
		`href="/insight/coops?area=Calderdale&amp;cohort=2027-06&amp;origin=new-start"`,
		// UK terms explained where first used.
		`href="/glossary#cqc"`, `href="/glossary#council"`,
	)
	want := pipeline.Filter{Cohort: "2027-06", Area: "Calderdale", Origin: pathway.OriginNewStart}
	if f.filter != want {
		t.Errorf("the service was asked for %+v, want %+v", f.filter, want)
	}
	if !strings.Contains(res.body, `<option value="2027-06" selected>June 2027</option>`) {
		t.Error("the cohort chooser does not show June 2027 chosen")
	}
	if !strings.Contains(res.body, `aria-current="page">Pipeline figures</a>`) {
		t.Error("the navigation does not mark Pipeline figures as the current page")
	}
}

// TestAgencyInsightBadFilter: values the form cannot take come back as an
// error summary naming each field, with status 400, and the service is
// not asked; a refusal by the service names its field the same way.
func TestAgencyInsightBadFilter(t *testing.T) {
	v := newEnv(t)
	f := &fakePipeline{report: handReport(t), rows: &pipeline.RowPage{}}
	v.withPipeline(f)
	vi := v.visit(officerID)
	for _, path := range []string{"/insight", "/insight/coops"} {
		res := vi.get(path + "?cohort=June&area=Narnia&programme=" + otherProg + "&service=juggling&origin=x&legalForm=y&sort=z")
		if res.status != 400 {
			t.Fatalf("%s with a bad filter = %d, want 400", path, res.status)
		}
		if probs := checkPage(res.body, vi.csrf()); len(probs) > 0 {
			t.Errorf("%s: %v", path, probs)
		}
		for _, w := range []string{"There is a problem", `href="#cohort">Give the month as YYYY-MM`, `href="#area">Enter a council in England`,
			`href="#programme">Choose one of your organisation`, `href="#service">`, `href="#origin">`, `href="#legalForm">`} {
			if !strings.Contains(res.body, w) {
				t.Errorf("%s does not say %q", path, w)
			}
		}
		if path == "/insight/coops" && !strings.Contains(res.body, `href="#sort">`) {
			t.Errorf("%s does not name the sort", path)
		}
	}
	if f.calls != 0 {
		t.Errorf("the service was asked %d times for a bad filter", f.calls)
	}

	f.err = pathway.Invalid(map[string]string{"cohort": "Choose a month that has begun"})
	res := vi.get("/insight?cohort=2099-01")
	if res.status != 400 || !strings.Contains(res.body, `href="#cohort">Choose a month that has begun`) {
		t.Errorf("a refused cohort = %d, want 400 naming the cohort", res.status)
	}
	f.err = pathway.Invalid(map[string]string{"search": "Too long"})
	if res := vi.get("/insight/coops?q=abc"); res.status != 400 || !strings.Contains(res.body, `href="#q">Too long`) {
		t.Errorf("a refused search = %d, want 400 naming the search box", res.status)
	}
}

// TestAgencyInsightEmpty: with no co-ops the dashboard says so and what
// to do next, differently with and without a filter.
func TestAgencyInsightEmpty(t *testing.T) {
	v := newEnv(t)
	rep := handReport(t)
	rep.Total = 0
	for i := range rep.Stages {
		rep.Stages[i] = pipeline.StageFigure{Stage: rep.Stages[i].Stage}
	}
	f := &fakePipeline{report: rep, rows: &pipeline.RowPage{}}
	v.withPipeline(f)
	vi := v.visit(officerID)
	wantPage(t, vi, vi.get("/insight"), "No co-op has applied to your programmes yet", `href="/board"`)
	wantPage(t, vi, vi.get("/insight?service=home-care"), "No co-op matches these choices", `href="/insight">clear the choices`)
	wantPage(t, vi, vi.get("/insight/coops?q=Hazel"), `No co-op's name starts with "Hazel"`, "Check the spelling")
	if f.search != "Hazel" {
		t.Errorf("search = %q", f.search)
	}
	// A page the service filled with none but with more after it.
	f.rows = &pipeline.RowPage{Next: "cursor-9"}
	wantPage(t, vi, vi.get("/insight/coops?service=home-care"), "There are more to look through on the next page",
		`href="/insight/coops?cursor=cursor-9&amp;service=home-care"`)
}

// TestAgencyInsightCoops: the list shows each co-op linking to its page,
// passes the search and sort to the service, and pages on with the filter
// kept.
func TestAgencyInsightCoops(t *testing.T) {
	v := newEnv(t)
	f := &fakePipeline{rows: handRows()}
	v.withPipeline(f)
	vi := v.visit(officerID)
	res := vi.get("/insight/coops?cohort=2027-06&q=Hazel&sort=-name&cursor=c1")
	wantPage(t, vi, res, `<a href="/coops/coop-hazel">Hazel Care Co-operative</a>`, "Moorside Care Co-op Start-up", "Preparing for CQC",
		`data-label="Days in the stage">12</td>`, "The founders", "Overdue", "3 June 2027", "£5,000",
		`href="/insight/coops?cohort=2027-06&amp;cursor=cursor-2&amp;q=Hazel&amp;sort=-name"`, "First page",
		`href="/api/insight/pipeline.csv?cohort=2027-06&amp;q=Hazel&amp;sort=-name"`)
	if f.search != "Hazel" || f.sort != "-name" || f.cursor != "c1" || f.limit != 25 || f.filter.Cohort != "2027-06" {
		t.Errorf("the service was asked search %q sort %q cursor %q limit %d filter %+v", f.search, f.sort, f.cursor, f.limit, f.filter)
	}
}

// TestAgencyInsightWho: founders and other roles are refused, and without
// the service the pages are not there.
func TestAgencyInsightWho(t *testing.T) {
	v := newEnv(t)
	v.withPipeline(nil)
	if res := v.visit(officerID).get("/insight"); res.status != 404 {
		t.Errorf("/insight without the service = %d, want 404", res.status)
	}
	f := &fakePipeline{report: handReport(t), rows: &pipeline.RowPage{}}
	v.withPipeline(f)
	for _, path := range []string{"/insight", "/insight/coops"} {
		if res := v.visit(founderID).get(path); res.status != 403 {
			t.Errorf("%s as a founder = %d, want 403", path, res.status)
		}
	}
	if f.calls != 0 {
		t.Errorf("the service was asked %d times for a founder", f.calls)
	}
	if res := v.visit(officerID).get("/board"); !strings.Contains(res.body, `href="/insight"`) {
		t.Error("the pipeline board does not link to the figures")
	}
}

// TestCheckPageGETForms: a GET form (a filter) needs no CSRF token and
// must not carry one; a form with no method is still refused.
func TestCheckPageGETForms(t *testing.T) {
	const head = `<!doctype html><html lang="en"><head><title>T</title></head><body><main><h1>A</h1>`
	const foot = `</main></body></html>`
	if probs := checkPage(head+`<form method="get" action="/y"><label for="b">B</label><input id="b" name="b"></form>`+foot, "x"); len(probs) > 0 {
		t.Errorf("a filter form: %v", probs)
	}
	for name, inner := range map[string]string{
		"token in a GET form": `<form method="get"><input type="hidden" name="csrf_token" value="x"><label for="a">A</label><input id="a" name="a"></form>`,
		"form with no method": `<form><input type="hidden" name="csrf_token" value="x"><label for="a">A</label><input id="a" name="a"></form>`,
	} {
		if probs := checkPage(head+inner+foot, "x"); len(probs) == 0 {
			t.Errorf("%s: the checker found nothing wrong", name)
		}
	}
}
