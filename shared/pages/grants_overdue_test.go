package pages_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
)

// TestOverdueReportsAndAgencyAwards: an active grant with its first
// tranche paid and a report a month overdue shows on the funder's
// programme page, and with its amount and what is paid on the co-op's
// grants page its agency reads.
func TestOverdueReportsAndAgencyAwards(t *testing.T) {
	v, _ := filesSite(t)
	v.seedGrants()
	gs, app := v.applyForTraining()
	now := time.Now()
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	a, err := gs.GetApplication(v.ctx, app.ID)
	v.must(err)
	for _, to := range []string{grants.StatusInReview, grants.StatusAwaitingDecision} {
		v.must(grants.Move(a, to, now))
		v.must(gs.UpdateApplication(v.ctx, a, nil))
	}
	v.must(grants.Move(a, grants.StatusAwarded, now))
	a.Award = &grants.Award{Amount: 450_000, Tranches: []grants.Tranche{
		{ID: "t1", Amount: 225_000, Trigger: grants.TriggerAgreement, Status: grants.TrancheDue},
		{ID: "t2", Amount: 225_000, Trigger: grants.TriggerDate, On: day(150), Status: grants.TrancheOpen},
	}}
	a.Reports = []grants.Report{{ID: "r1", Due: day(-30), Status: grants.ReportDue}, {ID: "r2", Due: day(180), Status: grants.ReportDue}}
	v.must(gs.Award(v.ctx, a, nil))
	a, err = gs.GetApplication(v.ctx, app.ID)
	v.must(err)
	v.must(grants.Pay(a, "t1", &grants.PaymentAnswer{PaidOn: day(-40), Reference: "BACS-0001"}))
	v.must(gs.Pay(v.ctx, a, "t1", nil))
	v.must(grants.Move(a, grants.StatusActive, now))
	v.must(gs.UpdateApplication(v.ctx, a, nil))
	overdueDay := ukDay(now.AddDate(0, 0, -30))

	lead := v.visit(grantLead)
	res := lead.get("/grants/programmes/" + grantProg)
	section := between(res.body, `id="overdue"`, `id="ranked"`)
	if res.status != 200 || !strings.Contains(section, "Training our first carers") || !strings.Contains(section, "Files Care Co-op") ||
		!strings.Contains(section, overdueDay) || !strings.Contains(section, "Not sent yet") || strings.Contains(section, ukDay(now.AddDate(0, 0, 180))) {
		t.Fatalf("programme page's overdue reports: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, lead.csrf()); len(problems) > 0 {
		t.Errorf("programme page: %v", problems)
	}

	officer := v.visit(officerID)
	if res := officer.get("/coops/coop-files"); !strings.Contains(res.body, `href="/coops/coop-files/grants"`) {
		t.Errorf("the co-op page has no link to its grants:\n%s", res.body)
	}
	res = officer.get("/coops/coop-files/grants")
	awards := between(res.body, `id="awards"`, "</table>")
	for _, want := range []string{"Training our first carers", "£4,500", "£2,250", overdueDay, "Overdue"} {
		if !strings.Contains(awards, want) {
			t.Errorf("the agency's awards lack %q:\n%s", want, res.body)
		}
	}
	if problems := checkPage(res.body, officer.csrf()); len(problems) > 0 {
		t.Errorf("co-op grants page: %v", problems)
	}
	// Another agency's staff are told there is no such co-op.
	if res := v.visit(outsiderID).get("/coops/coop-files/grants"); res.status != 404 {
		t.Errorf("another agency's view = %d, want 404", res.status)
	}
}

// between returns the part of s from the first from up to the next to.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

// ukDay writes a day as the pages do: "2 January 2027".
func ukDay(t time.Time) string { return t.Format("2 January 2006") }
