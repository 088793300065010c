package grants_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestReports(t *testing.T) {
	a := awarded()
	a.Reports = grants.NewReports("2028-06-01", "2027-12-01")
	if a.Reports[0].ID != "r1" || a.Reports[0].Due != "2027-12-01" || a.Reports[1].Status != grants.ReportDue {
		t.Fatalf("reports = %+v", a.Reports)
	}
	must(t, a.Validate())
	send := &grants.ReportAnswer{Summary: "Two carers hired.", Figures: grants.Figures{PaidJobs: 2, MembersByClass: map[string]int{"worker": 5}}}
	wantFields(t, grants.SendReport(a, "r1", &grants.ReportAnswer{}, day), "summary")
	if _, err := grants.ReviewReport(a, "r1", &grants.ReportReviewAnswer{Outcome: "accepted"}); pathway.ErrorCode(err) != pathway.ECONFLICT {
		t.Errorf("reviewed a report not sent: %v", err)
	}
	must(t, grants.SendReport(a, "r1", send, day))
	if r := a.Reports[0]; r.Status != grants.ReportSent || r.Figures.PaidJobs != 2 || !r.SentAt.Equal(day) {
		t.Fatalf("sent = %+v", r)
	}
	if err := grants.SendReport(a, "r1", send, day); pathway.ErrorCode(err) != pathway.ECONFLICT {
		t.Errorf("sent twice: %v", err)
	}
	last, err := grants.ReviewReport(a, "r1", &grants.ReportReviewAnswer{Outcome: "returned", Comment: "Add the hours of care"})
	must(t, err)
	if last || a.Reports[0].Status != grants.ReportReturned {
		t.Fatalf("returned: last %v, %+v", last, a.Reports[0])
	}
	must(t, grants.SendReport(a, "r1", send, day))
	last, err = grants.ReviewReport(a, "r1", &grants.ReportReviewAnswer{Outcome: "accepted"})
	must(t, err)
	if last {
		t.Fatal("the first of two reports closed the grant")
	}
	must(t, grants.SendReport(a, "r2", send, day))
	last, err = grants.ReviewReport(a, "r2", &grants.ReportReviewAnswer{Outcome: "accepted"})
	must(t, err)
	if !last || !grants.AllReportsAccepted(a) {
		t.Fatal("the last accepted report did not close the grant")
	}
	if err := grants.SendReport(a, "r9", send, day); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("unknown report: %v", err)
	}
	if grants.AllReportsAccepted(application()) {
		t.Error("no reports counts as all accepted")
	}
}

func TestSubject(t *testing.T) {
	s := grants.Subject("app-1")
	if s.Kind != "grant-application" || s.ID != "app-1" || pathway.Validate(&s) != nil {
		t.Errorf("subject = %+v", s)
	}
}
