package grantsteps_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/cost"
)

// TestStepChargesTheApplicantCoop: a grant step's work is charged to the
// co-op that applied, the journey it serves, with the reads and writes it
// made.
func TestStepChargesTheApplicantCoop(t *testing.T) {
	f := newFixture(t)
	m := new(cost.Meter)
	if _, err := f.steps.ScreenApplication(cost.WithMeter(f.ctx, m), f.in("Screen")); err != nil {
		t.Fatal(err)
	}
	u, coop := m.Take()
	if coop != "coop-1" {
		t.Errorf("charged to %q, want coop-1", coop)
	}
	if u.ReadHalfUnits == 0 || u.WriteUnits == 0 {
		t.Errorf("the step's usage %+v: want its reads and writes", u)
	}
}
