package pages_test

import (
	"strings"
	"testing"
)

// TestBrowserFounderChecksEligibility: from the start of applying, a
// founder checks eligibility, is told at once why a town and one member
// would be screened out, corrects the answers and is told they can apply,
// with the way on to the form.
func TestBrowserFounderChecksEligibility(t *testing.T) {
	v := newEnv(t)
	b := v.newBrowser(t, 1024, 900)
	b.signIn("Ash Example")
	b.waitText("You have not applied to a programme yet")
	b.click(`//a[contains(., "Start a new application")]`)
	b.click(`//a[contains(., "Check whether you can apply")]`)
	b.waitText("How many founding members")
	b.label("Moorside Care Co-op Start-up")
	b.fill("localAuthority", "Hebden Bridge")
	b.fill("founders", "1")
	b.label("Home care")
	b.label("Co-operative society")
	b.label("A new start")
	b.press("Check")
	b.waitText("Your application would not be eligible")
	s := b.text()
	for _, want := range []string{"The co-op must serve a council area in England", "needs at least 2 founding members"} {
		if !strings.Contains(s, want) {
			t.Errorf("the answer does not say %q:\n%s", want, s)
		}
	}
	b.fill("localAuthority", "Calderdale")
	b.fill("founders", "3")
	b.press("Check")
	b.waitText("You can apply")
	b.fitsWidth()
	b.shot("eligibility-checker")
	b.click(`//a[contains(., "Start your application")]`)
	b.waitText("What is the co-op called?")
}
