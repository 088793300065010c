package pages_test

import (
	"strings"
	"testing"
)

// TestBrowserFounderInvitesACoFounder: a founder invites the registered
// manager named in the application by email, at phone width; the
// invitation makes a local account, and the new co-founder signs in and
// sees the co-op with both founders.
func TestBrowserFounderInvitesACoFounder(t *testing.T) {
	v := newEnv(t)
	v.withInvitations()
	v.apply("Holme Valley Care Co-op")

	b := v.newBrowser(t, 320, 640)
	b.signIn("Ash Example")
	b.click(`//main//a[contains(., "Holme Valley Care Co-op")]`)
	b.waitText("Founders")
	b.click(`//a[contains(., "Invite or manage founders")]`)
	b.waitText("People named in your application")
	b.fitsWidth()
	b.fill("member-email-1", "cal.example@example.org")
	b.press("Invite Cal Example")
	b.waitText("Co-founder added")
	if s := b.text(); !strings.Contains(s, "Cal Example") {
		t.Errorf("the founders page does not list the new co-founder:\n%s", s)
	}
	b.fitsWidth()
	b.shot("founder-invites-co-founder")

	b.press("Sign out")
	b.signIn("Cal Example")
	b.click(`//main//a[contains(., "Holme Valley Care Co-op")]`)
	b.waitText("Cal Example (you)")
	if s := b.text(); !strings.Contains(s, "Ash Example") || !strings.Contains(s, "Applied") {
		t.Errorf("the co-founder's co-op page does not list the founders:\n%s", s)
	}
	b.fitsWidth()
	b.shot("co-founder-sees-the-coop")
}
