package outbox_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/cost/ledger"
	"github.com/coopcarepathway/pathway/shared/cost/metered"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
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

// TestSweepMetersEachDelivery: with WithMeter, each delivery a sweep sends
// is flushed to its co-op's ledger on its own, with the emails it sent.
func TestSweepMetersEachDelivery(t *testing.T) {
	f := newMailFixture(t)
	tbl := f.st.(*store.Store).Table()
	f.ob.WithMeter(metered.Config{Table: tbl}.Work)
	f.record(t, pathway.DecisionNotice(f.coop, "The panel accepted the co-op onto the programme."))
	f.sweep(t)
	u, err := ledger.CoopMonth(t.Context(), tbl, f.coop.ID, ledger.Month(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if u.Emails != 2 || u.WriteUnits == 0 || u.LambdaRequests != 0 {
		t.Errorf("the co-op's ledger after a sweep: %+v; want its 2 emails and the writes, no invocation", u)
	}
}
