package pages_test

import (
	"strings"
	"testing"
)

// TestBrowserStandstillCalculator: at 320 px and 1280 px, a signed-in
// person fills in the calculator's date and reads the period, the first
// day the contract may be entered into and the days that do not count;
// axe-core checks the empty and the answered page.
func TestBrowserStandstillCalculator(t *testing.T) {
	v := newEnv(t)
	for _, width := range []int64{320, 1280} {
		b := v.newBrowser(t, width, 800)
		b.signIn("Ash Example")
		b.visit("/standstill")
		b.fitsWidth()
		b.fill("from", "26")
		b.fill("from-month", "11")
		b.fill("from-year", "2026")
		b.press("Work out the standstill")
		b.waitText("The contract may be entered into from Wednesday 9 December 2026")
		b.fitsWidth()
		if txt := b.text(); !strings.Contains(txt, "St Andrew's Day (Scotland)") {
			t.Errorf("at %dpx the skipped days do not show St Andrew's Day:\n%s", width, txt)
		}
	}
}
