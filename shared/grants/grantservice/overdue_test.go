package grantservice_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// award awards co-op A's application to prog with two tranches (the first
// paid) and three reports: one accepted, one past due, one to come; the
// co-op accepts (active). Today is 1 June 2027.
func (f *fixture) award(t *testing.T, prog string) string {
	t.Helper()
	id := f.apply(t, prog)
	f.moveTo(t, id, grants.StatusInReview, grants.StatusAwaitingDecision)
	a, err := f.gs.GetApplication(t.Context(), id)
	must(t, err)
	must(t, grants.Move(a, grants.StatusAwarded, now))
	a.Award = &grants.Award{Amount: 400_000, Tranches: []grants.Tranche{
		{ID: "t1", Amount: 200_000, Trigger: grants.TriggerAgreement, Status: grants.TrancheDue},
		{ID: "t2", Amount: 200_000, Trigger: grants.TriggerCQCRegistered, Status: grants.TrancheOpen},
	}}
	a.Reports = []grants.Report{
		{ID: "r1", Due: "2027-03-01", Status: grants.ReportAccepted},
		{ID: "r2", Due: "2027-05-01", Status: grants.ReportDue},
		{ID: "r3", Due: "2027-12-01", Status: grants.ReportDue},
	}
	must(t, f.gs.Award(t.Context(), a, nil))
	a, err = f.gs.GetApplication(t.Context(), id)
	must(t, err)
	must(t, grants.Pay(a, "t1", &grants.PaymentAnswer{PaidOn: "2027-04-02", Reference: "BACS-0001"}))
	must(t, f.gs.Pay(t.Context(), a, "t1", nil))
	f.moveTo(t, id, grants.StatusActive)
	return id
}

func TestProgrammeOverdueReports(t *testing.T) {
	f := newFixture(t)
	id := f.award(t, progOpen)
	f.apply(t, progOpen) // under review: no reports
	cases := []struct {
		who, code string
		want      int
	}{
		{"lead", "", 1},
		{"reviewer1", "", 1},
		{"otherFund", pathway.ENOTFOUND, 0},
		{"founderA", pathway.ENOTFOUND, 0},
		{"agency", pathway.ENOTFOUND, 0},
	}
	for _, c := range cases {
		t.Run(c.who, func(t *testing.T) {
			got, err := f.svc.ProgrammeOverdueReports(t.Context(), users[c.who], progOpen)
			if c.code != "" {
				wantCode(t, err, c.code)
				return
			}
			must(t, err)
			if len(got) != c.want || got[0].Application != id || got[0].Report.ID != "r2" || got[0].CoopName != "Co-op "+coopA {
				t.Errorf("overdue = %+v", got)
			}
		})
	}
	// Another programme of the funder has none.
	got, err := f.svc.ProgrammeOverdueReports(t.Context(), users["lead"], progSmall)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("other programme's overdue = %+v", got)
	}
}

func TestCoopGrantsShowsAwardsToAgency(t *testing.T) {
	f := newFixture(t)
	id := f.award(t, progOpen)
	other := f.apply(t, progSmall)
	for _, who := range []string{"founderA", "agency"} {
		gs, err := f.svc.CoopGrants(t.Context(), users[who], coopA)
		must(t, err)
		byID := map[string]int{}
		for i, g := range gs {
			byID[g.ID] = i
		}
		if len(gs) != 2 {
			t.Fatalf("%s: %d grants, want 2", who, len(gs))
		}
		aw, sent := gs[byID[id]], gs[byID[other]]
		if aw.Award == nil || aw.Award.Amount != 400_000 || aw.Paid != 200_000 || len(aw.Overdue) != 1 || aw.Overdue[0].ID != "r2" {
			t.Errorf("%s: award = %+v paid %d overdue %+v", who, aw.Award, aw.Paid, aw.Overdue)
		}
		if sent.Award != nil || sent.Paid != 0 || len(sent.Overdue) != 0 {
			t.Errorf("%s: application under review = %+v", who, sent)
		}
	}
	for _, who := range []string{"otherAgcy", "founderB", "lead"} {
		_, err := f.svc.CoopGrants(t.Context(), users[who], coopA)
		wantCode(t, err, pathway.ENOTFOUND)
	}
}
