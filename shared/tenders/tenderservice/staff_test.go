package tenderservice_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestStaffNames: the council's staff read each other's names (the lead
// picks evaluators by name); another council's staff and founders are
// told the council is not found.
func TestStaffNames(t *testing.T) {
	f := newFixture(t)
	names, err := f.svc.StaffNames(t.Context(), users["eval1"], council)
	must(t, err)
	for _, k := range []string{"lead", "eval1", "eval2", "staff"} {
		if names[users[k].ID] != users[k].Name {
			t.Errorf("names[%s] = %q, want %q", users[k].ID, names[users[k].ID], users[k].Name)
		}
	}
	if _, ok := names[users["other"].ID]; ok {
		t.Errorf("another council's lead is among the names")
	}
	for _, k := range []string{"other", "founderA"} {
		_, err := f.svc.StaffNames(t.Context(), users[k], council)
		wantCode(t, err, pathway.ENOTFOUND)
	}
}
