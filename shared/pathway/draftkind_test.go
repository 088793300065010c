package pathway_test

import (
	"encoding/json"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestDraftKinds(t *testing.T) {
	for _, tc := range []struct {
		kind string
		ok   bool
	}{
		{pathway.DraftApplication, true},
		{pathway.GrantDraftKind("gp-ideas", "coop-a"), true},
		{"grant-application", false},
		{"grant-application:gp-ideas", false},
		{"grant-application::coop-a", false},
		{"grant-application:gp-ideas:", false},
		{"grant-application:gp:coop:extra", false},
		{"tender", false},
		{"", false},
	} {
		d := &pathway.Draft{User: "user-founder-ida", Kind: tc.kind, Body: json.RawMessage(`{}`)}
		err := d.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("kind %q: err = %v, want ok %v", tc.kind, err, tc.ok)
		}
		if err != nil && pathway.ErrorFields(err)["kind"] == "" {
			t.Errorf("kind %q: error %v does not name the kind", tc.kind, err)
		}
	}
}
