package pathway_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestUserFromClaims(t *testing.T) {
	const agencyNorth = "org-fellgate-cda"
	u, err := pathway.UserFromClaims(map[string]string{
		"sub": "abc-123", "email": "lead@example.test", "custom:role": "agency",
		"custom:organisation": agencyNorth, "custom:lead": "true",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := pathway.User{ID: "abc-123", Name: "lead@example.test", Role: "agency", Organisation: agencyNorth, Lead: true, Email: "lead@example.test"}
	if *u != want {
		t.Errorf("user = %+v, want %+v", *u, want)
	}
	// An address that is not one is dropped, not a reason to refuse.
	u, err = pathway.UserFromClaims(map[string]string{"sub": "f2", "name": "F", "email": "not an address", "custom:role": "founder"})
	if err != nil || u.Email != "" {
		t.Errorf("bad email: %+v, %v", u, err)
	}
	// A founder never carries an organisation or the lead flag, whatever
	// the token says.
	u, err = pathway.UserFromClaims(map[string]string{"sub": "f1", "name": "F", "custom:role": "founder", "custom:organisation": agencyNorth, "custom:lead": "true"})
	if err != nil || u.Organisation != "" || u.Lead {
		t.Errorf("founder = %+v, %v", u, err)
	}
}
