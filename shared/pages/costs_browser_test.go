package pages_test

import (
	"fmt"
	"testing"
)

// TestBrowserCostPages opens the agency's co-op page with its cost section
// and the agency's costs page at 1280px and 320px; the helpers run axe-core
// on each and check that it fits the width.
func TestBrowserCostPages(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Calder Valley Care Co-op")
	v.accept(id)
	for _, width := range []int64{1280, 320} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			b := v.newBrowser(t, width, 800)
			b.signIn("Rowan Example")
			b.visit("/coops/" + id)
			b.fitsWidth()
			b.waitText("Cost of this journey")
			b.visit("/insight/costs")
			b.fitsWidth()
			b.waitText("What is counted")
		})
	}
}
