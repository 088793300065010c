package pages_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserFunderDashboard: a funder's staff member opens the
// dashboard from the navigation at 1280 and 320 pixels wide: it fits the
// width, shows the figures, and axe-core finds no WCAG 2.1 A or AA
// violation. At 1280 each chart sits beside its table.
func TestBrowserFunderDashboard(t *testing.T) {
	v := newFunderInsightEnv(t)
	for _, width := range []int64{1280, 320} {
		b := v.newBrowser(t, width, 900)
		b.signIn("Jory Example")
		b.visit("/grants")
		b.click(`//a[@href="/insight/funder"]`)
		b.waitText("What your grants did")
		b.waitText("£141,000")
		b.waitText("17 days, from 4 decisions")
		b.fitsWidth()
		side := get(b, "place the first chart", chromedp.Evaluate[bool](`(() => {
			const pair = document.querySelector(".insight-pair");
			const chart = pair.children[0].getBoundingClientRect(), table = pair.children[1].getBoundingClientRect();
			return table.left >= chart.right && table.top < chart.bottom;
		})()`))
		if side != (width == 1280) {
			t.Errorf("at %d px the table beside its chart is %v", width, side)
		}
		b.shot("funder-dashboard-" + map[int64]string{1280: "wide", 320: "narrow"}[width])
	}
}
