package fundingtest

import (
	"reflect"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/insight/funding"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// CheckReport fails tb unless r holds the figures worked out by hand
// from Seed, read on Today (15 June 2027):
//
//	money        Start £100,000 budget, £9,000 awarded (e1 £4,000 + e3
//	             £5,000; e5 declined), £2,000 paid, £91,000 remaining;
//	             Growth £50,000, nothing awarded; in total £150,000,
//	             £9,000, £2,000, £141,000
//	months       total April to June: awarded £4,000 in April, £5,000 and
//	             £2,000 paid in May; remaining £146,000 then £141,000
//	statuses     active e1, not funded e2, awarded e3, being reviewed e4,
//	             declined e5
//	days         14 (e1), 30 (e2: 11 April to 11 May), 20 (e3), 10 (e5):
//	             median (14+20)/2 = 17, p90 h = 0.9·3 = 2.7 → 20 + 0.7·10
//	             = 27; Start 14, 20, 30: median 20, p90 h = 1.8 → 20 +
//	             0.8·10 = 28; Growth 10 and 10
//	awards       Calderdale (e3) £5,000, Leeds (e1) £4,000; community
//	             benefit society £5,000, co-operative society £4,000;
//	             conversion £5,000, new start £4,000
//	overdue      e1's report due 1 June and e3's due 10 June (e1's of 1
//	             September is not due; e5 was declined): 2
func CheckReport(tb testing.TB, r *funding.Report) {
	tb.Helper()
	if len(r.Programmes) != 2 {
		tb.Fatalf("programmes = %+v", r.Programmes)
	}
	byID := map[string]funding.ProgrammeFigures{}
	for _, p := range r.Programmes {
		byID[p.ID] = p
	}
	start, growth, tot := byID[Start], byID[Growth], r.Total
	money := func(name string, f funding.Figures, budget, awarded, paid, remaining int64) {
		if f.Budget != budget || f.Awarded != awarded || f.Paid != paid || f.Remaining != remaining {
			tb.Errorf("%s money = %d %d %d %d, want %d %d %d %d", name, f.Budget, f.Awarded, f.Paid, f.Remaining, budget, awarded, paid, remaining)
		}
	}
	money("total", tot, 15_000_000, 900_000, 200_000, 14_100_000)
	money("start", start.Figures, 10_000_000, 900_000, 200_000, 9_100_000)
	money("growth", growth.Figures, 5_000_000, 0, 0, 5_000_000)

	wantMonths := []funding.Month{
		{Month: "2027-04", Awarded: 400_000, AwardedToDate: 400_000, Remaining: 14_600_000},
		{Month: "2027-05", Awarded: 500_000, Paid: 200_000, AwardedToDate: 900_000, PaidToDate: 200_000, Remaining: 14_100_000},
		{Month: "2027-06", AwardedToDate: 900_000, PaidToDate: 200_000, Remaining: 14_100_000},
	}
	if !reflect.DeepEqual(tot.Months, wantMonths) {
		tb.Errorf("total months = %+v", tot.Months)
	}
	if want := []funding.Month{{Month: "2027-05", Remaining: 5_000_000}, {Month: "2027-06", Remaining: 5_000_000}}; !reflect.DeepEqual(growth.Months, want) {
		tb.Errorf("growth months = %+v", growth.Months)
	}
	if got := start.Months[0]; got != (funding.Month{Month: "2027-04", Awarded: 400_000, AwardedToDate: 400_000, Remaining: 9_600_000}) {
		tb.Errorf("start April = %+v", got)
	}

	statuses := func(name string, f funding.Figures, want map[string]int64) {
		got := map[string]int64{}
		for _, s := range f.Statuses {
			if s.Count != 0 {
				got[s.Status] = s.Count
			}
		}
		if !reflect.DeepEqual(got, want) {
			tb.Errorf("%s statuses = %v, want %v", name, got, want)
		}
	}
	statuses("total", tot, map[string]int64{grants.StatusActive: 1, grants.StatusRejected: 1, grants.StatusAwarded: 1, grants.StatusInReview: 1, grants.StatusDeclined: 1})
	statuses("start", start.Figures, map[string]int64{grants.StatusActive: 1, grants.StatusRejected: 1, grants.StatusAwarded: 1})
	statuses("growth", growth.Figures, map[string]int64{grants.StatusInReview: 1, grants.StatusDeclined: 1})
	if tot.Applications != 5 || start.Applications != 3 || growth.Applications != 2 {
		tb.Errorf("applications = %d %d %d", tot.Applications, start.Applications, growth.Applications)
	}

	decisions := func(name string, d funding.Decisions, n int64, median, p90 string) {
		if d.Count != n || d.MedianDays == nil || d.P90Days == nil || d.MedianDays.String() != median || d.P90Days.String() != p90 {
			tb.Errorf("%s decisions = %d %v %v, want %d %s %s", name, d.Count, d.MedianDays, d.P90Days, n, median, p90)
		}
	}
	decisions("total", tot.Decisions, 4, "17", "27")
	decisions("start", start.Decisions, 3, "20", "28")
	decisions("growth", growth.Decisions, 1, "10", "10")

	if tot.Awards != 2 || start.Awards != 2 || growth.Awards != 0 {
		tb.Errorf("awards = %d %d %d", tot.Awards, start.Awards, growth.Awards)
	}
	groups := func(name string, got, want []funding.Group) {
		if !reflect.DeepEqual(got, want) {
			tb.Errorf("%s = %+v, want %+v", name, got, want)
		}
	}
	groups("by area", tot.ByArea, []funding.Group{{Code: "Calderdale", Name: "Calderdale", Awards: 1, Pence: 500_000}, {Code: "Leeds", Name: "Leeds", Awards: 1, Pence: 400_000}})
	groups("by legal form", tot.ByLegalForm, []funding.Group{
		{Code: pathway.FormCommunityBenefit, Name: "Community benefit society", Awards: 1, Pence: 500_000},
		{Code: pathway.FormCooperativeSociety, Name: "Co-operative society", Awards: 1, Pence: 400_000}})
	groups("by origin", tot.ByOrigin, []funding.Group{
		{Code: pathway.OriginConversion, Name: "Converting an existing business", Awards: 1, Pence: 500_000},
		{Code: pathway.OriginNewStart, Name: "A new start", Awards: 1, Pence: 400_000}})
	groups("growth by area", growth.ByArea, []funding.Group{})

	if tot.ReportsOverdue != 2 || start.ReportsOverdue != 2 || growth.ReportsOverdue != 0 {
		tb.Errorf("reports overdue = %d %d %d, want 2 2 0", tot.ReportsOverdue, start.ReportsOverdue, growth.ReportsOverdue)
	}
}
