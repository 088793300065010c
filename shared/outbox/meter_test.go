package outbox_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestMailIsMeteredToItsCoop: each email sent is counted on the meter of
// the work that sends it, and that work is charged to the notice's co-op;
// a failed send is not counted.
func TestMailIsMeteredToItsCoop(t *testing.T) {
	f := newMailFixture(t)
	f.record(t, pathway.DecisionNotice(f.coop, "The panel accepted the co-op onto the programme."))
	f.mailer.fails = 1 // the first founder's mail fails once
	m := new(cost.Meter)
	if _, err := f.ob.Sweep(cost.WithMeter(t.Context(), m), false); err != nil {
		t.Fatal(err)
	}
	u, coop := m.Take()
	if sent := len(f.mailer.sent()); u.Emails != int64(sent) || sent != 1 {
		t.Errorf("metered %d emails for %d sent, want 1 and 1", u.Emails, sent)
	}
	if coop != f.coop.ID {
		t.Errorf("charged to %q, want %q", coop, f.coop.ID)
	}
	if u.ReadHalfUnits == 0 || u.WriteUnits == 0 {
		t.Errorf("the sweep's reads and writes were not metered: %+v", u)
	}
}
