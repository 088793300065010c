package grants

import (
	"slices"
	"testing"
)

func TestOverdueReports(t *testing.T) {
	a := &Application{Reports: []Report{
		{ID: "r1", Due: "2027-01-31", Status: ReportAccepted}, // accepted: never overdue
		{ID: "r2", Due: "2027-03-31", Status: ReportDue},      // past and not sent
		{ID: "r3", Due: "2027-04-30", Status: ReportSent},     // past, sent, not yet accepted
		{ID: "r4", Due: "2027-05-31", Status: ReportReturned}, // past, returned
		{ID: "r5", Due: "2027-06-01", Status: ReportDue},      // due today: not yet overdue
		{ID: "r6", Due: "2027-12-01", Status: ReportDue},      // future
	}}
	var ids []string
	for _, r := range OverdueReports(a, "2027-06-01") {
		ids = append(ids, r.ID)
	}
	if want := []string{"r2", "r3", "r4"}; !slices.Equal(ids, want) {
		t.Errorf("overdue = %v, want %v", ids, want)
	}
	if got := OverdueReports(&Application{}, "2027-06-01"); len(got) != 0 {
		t.Errorf("no reports: overdue = %v", got)
	}
}

func TestPaidSoFar(t *testing.T) {
	if got := PaidSoFar(&Application{}); got != 0 {
		t.Errorf("no award: paid = %d", got)
	}
	a := &Application{Award: &Award{Amount: 500_000, Tranches: []Tranche{
		{ID: "t1", Amount: 250_000, Status: TranchePaid},
		{ID: "t2", Amount: 150_000, Status: TrancheDue},
		{ID: "t3", Amount: 100_000, Status: TranchePaid},
	}}}
	if got := PaidSoFar(a); got != 350_000 {
		t.Errorf("paid = %d, want 350000", got)
	}
}
