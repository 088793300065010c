package pages_test

import (
	"strings"
	"testing"
)

// TestBrowserFounderWithdrawsTheCoop: at phone width a founder follows the
// co-op page's link to the withdrawal's confirmation, reads the warning,
// is told to give a reason, gives one and sees the co-op withdrawn; axe-core
// checks every page reached.
func TestBrowserFounderWithdrawsTheCoop(t *testing.T) {
	v := newEnv(t)
	v.apply("Holme Leaving Co-op")

	b := v.newBrowser(t, 320, 640)
	b.signIn("Ash Example")
	b.click(`//main//a[contains(., "Holme Leaving Co-op")]`)
	b.click(`//a[contains(., "Withdraw the co-op from the programme")]`)
	b.waitText("You cannot undo it")
	b.fitsWidth()
	b.press("Yes, withdraw the co-op")
	b.waitText("Enter the reason")
	b.fill("reason", "Two founding members took jobs elsewhere.")
	b.press("Yes, withdraw the co-op")
	b.waitText("The co-op is withdrawn from the programme")
	if s := b.text(); !strings.Contains(s, "Withdrawn") || !strings.Contains(s, "took jobs elsewhere") {
		t.Errorf("the co-op page does not show the end:\n%s", s)
	}
	b.fitsWidth()
	b.shot("founder-withdraws-the-coop")
}
