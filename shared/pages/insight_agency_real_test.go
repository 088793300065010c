package pages_test

import (
	"slices"
	"strconv"
	"strings"

	"encoding/json"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/web"
)

// sitePipeline is the pipeline insight the test site serves, to the API
// and the pages alike: the real service over the projector's aggregates.
func sitePipeline(cfg *web.Config) pages.PipelineInsight {
	st, ok := cfg.Store.(*store.Store)
	if !ok {
		return nil
	}
	if cfg.Pipeline == nil {
		cfg.Pipeline = pipeline.NewService(insightwire.New(st), st, cfg.Now)
	}
	return cfg.Pipeline
}

// refreshInsight sends the insight deliveries the journey's events left,
// until none is left, as the local server's insight sweep does.
func (v *env) refreshInsight() {
	v.t.Helper()
	ob := outbox.New(v.store, localsfn.New(v.engine), time.Now, quietLogger()).WithInsight(insightwire.New(v.store))
	for range 100 {
		v.engine.WaitIdle()
		n, err := ob.SweepInsight(v.ctx)
		v.must(err)
		if n == 0 {
			return
		}
	}
	v.t.Fatal("insight deliveries kept coming")
}

// apiReport reads GET /api/insight/pipeline with the query as the visitor.
func (vi *visitor) apiReport(query string) (map[string]any, string) {
	vi.t.Helper()
	req, _ := http.NewRequest("GET", vi.base.String()+"/api/insight/pipeline"+query, nil)
	res, err := vi.client.Do(req)
	if err != nil {
		vi.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		vi.t.Fatalf("GET /api/insight/pipeline%s = %d: %s", query, res.StatusCode, b)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		vi.t.Fatal(err)
	}
	return out, string(b)
}

// newInsightEnv is the journey's co-ops (newJourneyEnv: one waiting for
// the panel, two preparing for CQC, one applied to CQC, one declined)
// with their insight refreshed, and one more, Sowerby, refreshed at each
// step so the projector sees it leave the panel stage: six co-ops.
func newInsightEnv(t *testing.T) *journeyEnv {
	v := newJourneyEnv(t)
	v.refreshInsight()
	id := v.apply("Sowerby Care Co-op")
	v.refreshInsight()
	v.accept(id)
	v.refreshInsight()
	return v
}

// stageRow is a stage's figures as a page's table or the API gives them.
type stageRow struct{ Name, Reached, Count, Conversion string }

// funnelTable reads the rows of the dashboard's funnel table.
func funnelTable(t *testing.T, body string) []stageRow {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []stageRow
	visit(doc, func(n *html.Node) {
		if n.DataAtom != atom.Section || attr(n, "aria-labelledby") != "funnel-heading" {
			return
		}
		visit(n, func(tr *html.Node) {
			if tr.DataAtom != atom.Tr || tr.Parent.DataAtom != atom.Tbody {
				return
			}
			var cells []string
			for c := tr.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode {
					cells = append(cells, strings.TrimSpace(text(c)))
				}
			}
			out = append(out, stageRow{Name: strings.TrimSuffix(cells[0], " (an end)"), Reached: cells[1], Count: cells[2], Conversion: cells[3]})
		})
	})
	return out
}

// apiFunnel is the API's report as the funnel table would show it.
func apiFunnel(rep map[string]any) []stageRow {
	conv := map[string]string{}
	for _, c := range rep["conversion"].([]any) {
		c := c.(map[string]any)
		if r, ok := c["rate"].(float64); ok {
			conv[c["to"].(string)] = strconv.FormatFloat(r, 'f', 1, 64) + "%"
		} else {
			conv[c["to"].(string)] = "None reached the stage before"
		}
	}
	var out []stageRow
	for _, s := range rep["stages"].([]any) {
		s := s.(map[string]any)
		c, ok := conv[s["stage"].(string)]
		if !ok {
			c = "Not counted"
		}
		out = append(out, stageRow{Name: s["name"].(string), Reached: strconv.Itoa(int(s["reached"].(float64))),
			Count: strconv.Itoa(int(s["count"].(float64))), Conversion: c})
	}
	return out
}

// TestAgencyInsightRealFigures: over the real projector and service, the
// dashboard shows the figures the API gives, and they are the ones worked
// out by hand from the seeded co-ops.
func TestAgencyInsightRealFigures(t *testing.T) {
	v := newInsightEnv(t)
	vi := v.visit(officerID)
	res := vi.get("/insight")
	wantPage(t, vi, res, "<strong>6 co-ops</strong>", "Moorside Care Co-op Start-up")
	rep, _ := vi.apiReport("")
	got, want := funnelTable(t, res.body), apiFunnel(rep)
	if len(got) != len(pipeline.Stages) || !slices.Equal(got, want) {
		t.Errorf("the funnel table shows\n%v\nthe API says\n%v", got, want)
	}
	// By hand: six applied and went to the panel; four were accepted and
	// prepare for CQC, one of them has applied to CQC; one was declined.
	byHand := map[string][2]string{ // reached, now
		"Applied": {"6", "0"}, "Waiting for the panel": {"6", "1"}, "Preparing for CQC": {"4", "3"},
		"Applied to CQC": {"1", "1"}, "Declined by the panel": {"1", "1"}, "Registered with CQC": {"0", "0"},
	}
	for _, r := range got {
		if w, ok := byHand[r.Name]; ok && (r.Reached != w[0] || r.Count != w[1]) {
			t.Errorf("%s: reached %s, now %s; by hand %s, %s", r.Name, r.Reached, r.Count, w[0], w[1])
		}
		if r.Name == "Preparing for CQC" && r.Conversion != "66.7%" {
			t.Errorf("panel to preparing: %s, by hand 4 of 6 = 66.7%%", r.Conversion)
		}
	}
	// By hand: every co-op was screened and decided on the day it applied
	// (the fixture's clock stands still), and the trail dates each move:
	// all six left "applied" and five left the panel (four accepted, one
	// declined), each after 0 days.
	for stage, left := range map[string]string{"Applied": "6", "Waiting for the panel": "5"} {
		if !strings.Contains(res.body, `<th scope="row" data-label="Stage">`+stage+`</th><td class="numeric" data-label="Co-ops that left it">`+left+`</td><td class="numeric" data-label="Median days">0</td>`) {
			t.Errorf("the days table does not show %s co-ops leaving %q after a median of 0 days", left, stage)
		}
	}
	waiting := rep["waitingOn"].(map[string]any)
	for label, key := range map[string]string{"Waiting on the agency": "agency", "Waiting on the founders": "founders", "Overdue, all": "overdue"} {
		want := `<th scope="row" data-label="Waiting">` + label + `</th><td class="numeric" data-label="Co-ops">` + strconv.Itoa(int(waiting[key].(float64))) + `</td>`
		if !strings.Contains(res.body, want) {
			t.Errorf("the page does not show %s as the API does: %s", label, want)
		}
	}

	// The CSV link downloads the co-ops of the filter.
	csv, err := vi.client.Get(vi.base.String() + "/api/insight/pipeline.csv?programme=" + programmeID)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(csv.Body)
	csv.Body.Close()
	if csv.StatusCode != 200 || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") || strings.Count(string(body), "\r\n") != 7 {
		t.Errorf("the CSV = %d %s with %d lines, want 200 text/csv with a header and 6 co-ops", csv.StatusCode, csv.Header.Get("Content-Type"), strings.Count(string(body), "\r\n"))
	}
	if !strings.Contains(res.body, `href="/api/insight/pipeline.csv"`) {
		t.Error("the dashboard does not link the CSV of every co-op")
	}

	// A cohort that has no co-op, and the list searched by name.
	wantPage(t, vi, vi.get("/insight?cohort=2020-01"), "No co-op matches these choices")
	list := vi.get("/insight/coops?q=sow")
	wantPage(t, vi, list, `>Sowerby Care Co-op</a>`, "Preparing for CQC")
	if strings.Contains(list.body, "Hebden") {
		t.Error("the search for sow lists Hebden")
	}
}
