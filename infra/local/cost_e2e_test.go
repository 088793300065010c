package main

import (
	"path/filepath"
	"testing"

	"github.com/coopcarepathway/pathway/shared/cost/ledger"
	"github.com/coopcarepathway/pathway/shared/embedded"
	"github.com/coopcarepathway/pathway/shared/store"
)

// checkJourneyCost stops the server and reads the co-op's cost ledger from
// its file: the requests and workflow steps of the journey were metered
// and charged to the co-op, and its agency's month holds at least as much.
func checkJourneyCost(t *testing.T, s *server, data, coopID string) {
	t.Helper()
	s.kill()
	tbl, err := embedded.Open(filepath.Join(data, StoreFile), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Close()
	months, err := ledger.Months(t.Context(), tbl, coopID)
	if err != nil {
		t.Fatal(err)
	}
	u := ledger.Total(months)
	t.Logf("metered cost of the journey of %s: %+v", coopID, u)
	if u.LambdaRequests < 10 || u.LambdaMBms < 256*u.LambdaRequests || u.ReadHalfUnits == 0 || u.WriteUnits == 0 || u.Emails == 0 {
		t.Errorf("the journey's ledger %+v: want its requests and steps (10 or more at 256 MB), reads, writes and emails", u)
	}
	st := store.New(tbl)
	c, err := st.GetCoop(t.Context(), coopID)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.GetProgramme(t.Context(), c.Programme)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range months {
		a, err := ledger.AgencyMonth(t.Context(), tbl, p.Agency, m.Month)
		if err != nil {
			t.Fatal(err)
		}
		if a.LambdaRequests < m.Usage.LambdaRequests || a.WriteUnits < m.Usage.WriteUnits {
			t.Errorf("%s's month %s (%+v) holds less than its co-op's (%+v)", p.Agency, m.Month, a, m.Usage)
		}
	}
}
