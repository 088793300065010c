package devauth_test

import (
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

func TestLocalInviteCreatesAFounderOnce(t *testing.T) {
	st := testkit.Store(t)
	inv := devauth.NewInvitations(st)
	u, err := inv.Invite(t.Context(), "Noor.Vale@example.org", "Noor Vale")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u.ID, "local-") || u.ID != devauth.LocalUserID("noor.vale@EXAMPLE.org") || u.Role != pathway.RoleFounder || u.Name != "Noor Vale" {
		t.Fatalf("invited %+v", u)
	}
	// The new user signs in from the store like any demo user.
	stored, err := st.GetUser(t.Context(), u.ID)
	if err != nil || stored.Email != "Noor.Vale@example.org" {
		t.Fatalf("stored user %+v %v", stored, err)
	}
	again, err := inv.Invite(t.Context(), "noor.vale@example.org", "Someone Else")
	if err != nil || again.ID != u.ID || again.Name != "Noor Vale" {
		t.Fatalf("invited again %+v %v, want the same user", again, err)
	}
	users, err := st.ListUsers(t.Context())
	if err != nil || len(users) != 1 {
		t.Fatalf("users %v %v, want one", users, err)
	}
}

func TestLocalInviteRefusesStaffAndListsFounders(t *testing.T) {
	st := testkit.Store(t)
	_, err := st.SaveUserByEmail(t.Context(), &pathway.User{ID: "user-staff", Name: "Staff", Role: pathway.RoleAgency, Organisation: "org-a", Email: "staff@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutUser(t.Context(), &pathway.User{ID: "user-founder-demo", Name: "Demo Founder", Role: pathway.RoleFounder}); err != nil {
		t.Fatal(err)
	}
	inv := devauth.NewInvitations(st)
	_, err = inv.Invite(t.Context(), "staff@example.org", "Staff")
	if pathway.ErrorFields(err)["email"] == "" {
		t.Fatalf("inviting a staff address: %v, want an error naming email", err)
	}
	founders, err := inv.Founders(t.Context())
	if err != nil || len(founders) != 1 || founders[0].ID != "user-founder-demo" {
		t.Fatalf("founders %v %v, want the demo founder only", founders, err)
	}
}
