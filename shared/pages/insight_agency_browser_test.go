package pages_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
)

// TestBrowserAgencyInsightPages: at 1280 and 320 pixels wide, the agency's
// dashboard (figures, then a bad filter's errors) and its co-ops list fit
// the width, their charts scale to it, and axe-core finds no WCAG 2.1 A
// or AA violation. Printed, the page drops the navigation and the form.
func TestBrowserAgencyInsightPages(t *testing.T) {
	v := newEnv(t)
	f := &fakePipeline{report: handReport(t), rows: handRows()}
	v.withPipeline(f)
	for _, width := range []int64{1280, 320} {
		b := v.newBrowser(t, width, 900)
		b.signIn("Rowan Example")
		b.visit("/board")
		b.click(`//a[contains(., "See the pipeline's figures")]`)
		b.waitText("How far co-ops have come")
		b.fitsWidth()
		chartWidth := get(b, "measure the funnel", chromedp.Evaluate[float64](`document.getElementById("funnel").getBoundingClientRect().width`))
		if chartWidth <= 0 || chartWidth > float64(width) {
			t.Errorf("at %dpx the funnel is %.0fpx wide", width, chartWidth)
		}
		month := get(b, "choose last month", chromedp.Evaluate[string](`(s => { s.selectedIndex = 2; return s.options[2].text })(document.getElementById("cohort"))`))
		b.press("Show the figures")
		b.waitText("Co-ops that applied in " + month)
		b.fitsWidth()

		b.run("print", media("print"))
		if shown := get(b, "is the header printed", chromedp.Evaluate[bool](`getComputedStyle(document.querySelector("header")).display !== "none" || getComputedStyle(document.querySelector(".insight-filters")).display !== "none"`)); shown {
			t.Errorf("at %dpx the printed page shows the header or the filters", width)
		}
		b.run("screen", media(""))

		b.visit("/insight?cohort=June&area=Narnia")
		b.waitText("There is a problem")
		b.fitsWidth()

		b.visit("/insight/coops")
		b.waitText("Hazel Care Co-operative")
		b.fitsWidth()
	}
}

// media has the page's styles apply as for the media type ("print"), or
// as usual for "".
func media(m string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	})
}

// TestBrowserAgencyInsightMatchesAPI: agency staff open the dashboard over
// the real projector and service at 1280 and 320 pixels wide; the funnel
// table shows what GET /api/insight/pipeline answers the same browser,
// the page fits the width and axe-core finds no violation, and the list
// leads to a co-op's page.
func TestBrowserAgencyInsightMatchesAPI(t *testing.T) {
	v := newInsightEnv(t)
	for _, width := range []int64{1280, 320} {
		b := v.newBrowser(t, width, 900)
		b.signIn("Rowan Example")
		b.click(`//nav//a[contains(., "Pipeline figures")]`)
		b.waitText("How far co-ops have come")
		b.fitsWidth()
		raw := get(b, "read the funnel and the API", chromedp.Evaluate[string](`(async () => {
			const api = await (await fetch("/api/insight/pipeline", {headers: {Accept: "application/json"}})).json();
			const rows = [...document.querySelectorAll("section[aria-labelledby=funnel-heading] tbody tr")]
				.map(tr => [...tr.children].map(c => c.textContent.trim()));
			return JSON.stringify({api, rows});
		})()`, chromedp.EvalAwaitPromise))
		var got struct {
			API  map[string]any `json:"api"`
			Rows [][]string     `json:"rows"`
		}
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			t.Fatal(err)
		}
		var shown []stageRow
		for _, r := range got.Rows {
			shown = append(shown, stageRow{Name: strings.TrimSuffix(r[0], " (an end)"), Reached: r[1], Count: r[2], Conversion: r[3]})
		}
		if want := apiFunnel(got.API); len(shown) != len(pipeline.Stages) || !slices.Equal(shown, want) {
			t.Errorf("at %dpx the funnel shows\n%v\nthe API says\n%v", width, shown, want)
		}

		b.click(`//a[contains(., "List these co-ops")]`)
		b.waitText("Sowerby Care Co-op")
		b.fitsWidth()
		b.click(`//a[contains(., "Sowerby Care Co-op")]`)
		b.waitText("Sowerby Care Co-op")
		if p := b.location().Path; !strings.HasPrefix(p, "/coops/") {
			t.Errorf("the list's link led to %s", p)
		}
	}
}
