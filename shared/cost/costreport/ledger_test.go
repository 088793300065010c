package costreport_test

import (
	"context"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/cost/costreport"
	"github.com/coopcarepathway/pathway/shared/cost/ledger"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestTableLedgerReadsWhatTheMeterFlushed: usage flushed by the meter in
// two months is read back per co-op and per agency, month by month.
func TestTableLedgerReadsWhatTheMeterFlushed(t *testing.T) {
	st := testkit.Store(t)
	agencyOf := func(context.Context, string) (string, error) { return "org-larkrise-cda", nil }
	flush := func(u cost.Usage, at time.Time) {
		m := &cost.Meter{}
		m.Add(u)
		m.Charge(coopID)
		if err := ledger.Flush(t.Context(), st.Table(), m, agencyOf, at); err != nil {
			t.Fatal(err)
		}
	}
	flush(cost.Usage{LambdaRequests: 2, WriteUnits: 5}, oct)
	flush(cost.Usage{LambdaRequests: 1, Emails: 1}, nov)
	flush(cost.Usage{ReadHalfUnits: 3}, nov)
	l := costreport.TableLedger(st.Table())
	coop, err := l.CoopMonths(t.Context(), coopID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]cost.Usage{"2026-10": {LambdaRequests: 2, WriteUnits: 5}, "2026-11": {LambdaRequests: 1, Emails: 1, ReadHalfUnits: 3}}
	if len(coop) != 2 || coop["2026-10"] != want["2026-10"] || coop["2026-11"] != want["2026-11"] {
		t.Errorf("co-op months %+v, want %+v", coop, want)
	}
	agency, err := l.AgencyMonths(t.Context(), "org-larkrise-cda")
	if err != nil {
		t.Fatal(err)
	}
	if len(agency) != 2 || agency["2026-11"] != want["2026-11"] {
		t.Errorf("agency months %+v, want %+v", agency, want)
	}
}
