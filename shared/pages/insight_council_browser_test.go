package pages_test

import (
	"fmt"
	"testing"
)

// TestBrowserCouncilInsight: the council lead opens the market dashboard
// from the navigation at 1280 and 320 pixels wide: its charts, their
// tables and the bids per tender fit the width, and axe-core finds no
// WCAG 2.1 A or AA violation.
func TestBrowserCouncilInsight(t *testing.T) {
	v, _, _ := councilInsightEnv(t)
	for _, width := range []int64{1280, 320} {
		b := v.newBrowser(t, width, 900)
		b.signIn("Ysolde Example")
		b.click(`//nav//a[contains(., "Market dashboard")]`)
		b.waitText("Your council's care market")
		b.waitText("Bids per tender")
		b.waitText("Sealed until the deadline")
		b.waitText("24 June 2027")
		b.fitsWidth()
		b.shot(fmt.Sprintf("council-insight-%d", width))
		if !b.audited["/insight/council"] {
			t.Errorf("axe-core did not check the dashboard at %dpx", width)
		}
	}
}
