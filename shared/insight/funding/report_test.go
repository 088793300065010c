package funding

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

var staff = &pathway.User{ID: "u-fund", Role: pathway.RoleFunder, Organisation: funder}

func seededReport(t *testing.T) *Report {
	t.Helper()
	src := NewSource(seedApps(), seedCoops())
	cells := project(t, src, "a1", "a2", "a3", "a4", "a5", "a6", "missing")
	svc := NewService(cells, seedProgs(), func() time.Time { return utc("2027-06-15T12:00:00Z") })
	r, err := svc.Report(context.Background(), staff, funder)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func statusCounts(f Figures) map[string]int64 {
	out := map[string]int64{}
	for _, s := range f.Statuses {
		if s.Count != 0 {
			out[s.Status] = s.Count
		}
	}
	return out
}

func days(d interface{ String() string }) string { return d.String() }

// TestReportByHand checks every figure against the numbers worked out
// by hand from the seeded applications (funding_test.go), today being 15
// June 2027:
//
//	a1 prog-1 sent 1 Feb, awarded £20,000 on 15 Feb (14 days), £10,000
//	   paid 10 Mar; Leeds, co-operative society, new start; report due
//	   1 May (overdue), 1 Aug (not yet)
//	a2 prog-1 sent 10 Feb, not funded 12 Mar (30 days)
//	a3 prog-1 sent 1 Mar, awarded £15,000 on 21 Mar (20 days); Brighton
//	   and Hove, co-operative society, spin-out; report due 1 Jun sent
//	   but not accepted (overdue), due 15 Jun (today: not overdue)
//	a4 prog-2 sent 1 Apr (UK day), being reviewed
//	a5 prog-2 sent 5 Apr (UK day), awarded £8,000 on 15 Apr (10 days)
//	   then declined: a decision, but no award, and no reports due
//	a6 a draft: nothing
func TestReportByHand(t *testing.T) {
	r := seededReport(t)
	tot := r.Total
	if tot.Budget != 15_000_000 || tot.Awarded != 3_500_000 || tot.Paid != 1_000_000 || tot.Remaining != 11_500_000 {
		t.Errorf("total money = %d %d %d %d", tot.Budget, tot.Awarded, tot.Paid, tot.Remaining)
	}
	if tot.Applications != 5 {
		t.Errorf("applications = %d, want 5", tot.Applications)
	}
	want := map[string]int64{grants.StatusInReview: 1, grants.StatusAwarded: 1, grants.StatusActive: 1, grants.StatusRejected: 1, grants.StatusDeclined: 1}
	if got := statusCounts(tot); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses = %v, want %v", got, want)
	}
	if len(tot.Statuses) != len(grants.Statuses)-1 {
		t.Errorf("%d statuses listed, want every one but draft", len(tot.Statuses))
	}
	// Days 10, 14, 20, 30: median (14+20)/2 = 17; p90 h = 0.9·3 = 2.7 →
	// 20 + 0.7·10 = 27.
	if d := tot.Decisions; d.Count != 4 || days(d.MedianDays) != "17" || days(d.P90Days) != "27" {
		t.Errorf("decisions = %d, %v, %v", d.Count, d.MedianDays, d.P90Days)
	}
	if tot.Awards != 2 {
		t.Errorf("awards = %d, want 2", tot.Awards)
	}
	wantArea := []Group{{"Leeds", "Leeds", 1, 2_000_000}, {"Brighton and Hove", "Brighton and Hove", 1, 1_500_000}}
	if !reflect.DeepEqual(tot.ByArea, wantArea) {
		t.Errorf("by area = %+v", tot.ByArea)
	}
	wantForm := []Group{{pathway.FormCooperativeSociety, "Co-operative society", 2, 3_500_000}}
	if !reflect.DeepEqual(tot.ByLegalForm, wantForm) {
		t.Errorf("by legal form = %+v", tot.ByLegalForm)
	}
	wantOrigin := []Group{{pathway.OriginNewStart, "A new start", 1, 2_000_000}, {pathway.OriginSpinOut, "A spin-out from a council", 1, 1_500_000}}
	if !reflect.DeepEqual(tot.ByOrigin, wantOrigin) {
		t.Errorf("by origin = %+v", tot.ByOrigin)
	}
	if tot.ReportsOverdue != 2 {
		t.Errorf("reports overdue = %d, want 2", tot.ReportsOverdue)
	}
	wantMonths := []Month{
		{"2027-01", 0, 0, 0, 0, 15_000_000},
		{"2027-02", 2_000_000, 0, 2_000_000, 0, 13_000_000},
		{"2027-03", 1_500_000, 1_000_000, 3_500_000, 1_000_000, 11_500_000},
		{"2027-04", 0, 0, 3_500_000, 1_000_000, 11_500_000},
		{"2027-05", 0, 0, 3_500_000, 1_000_000, 11_500_000},
		{"2027-06", 0, 0, 3_500_000, 1_000_000, 11_500_000},
	}
	if !reflect.DeepEqual(tot.Months, wantMonths) {
		t.Errorf("months = %+v", tot.Months)
	}
}

func TestReportPerProgrammeByHand(t *testing.T) {
	r := seededReport(t)
	if len(r.Programmes) != 2 || r.Programmes[0].ID != "prog-1" || r.Programmes[1].ID != "prog-2" {
		t.Fatalf("programmes = %+v", r.Programmes)
	}
	p1, p2 := r.Programmes[0], r.Programmes[1]
	if p1.Name != "Start-up grants" || p1.Budget != 10_000_000 || p1.Remaining != 6_500_000 || p1.Applications != 3 || p1.Awards != 2 || p1.ReportsOverdue != 2 {
		t.Errorf("prog-1 = %+v", p1)
	}
	// prog-1 days 14, 20, 30: median 20; p90 h = 1.8 → 20 + 0.8·10 = 28.
	if d := p1.Decisions; d.Count != 3 || days(d.MedianDays) != "20" || days(d.P90Days) != "28" {
		t.Errorf("prog-1 decisions = %d, %v, %v", d.Count, d.MedianDays, d.P90Days)
	}
	if got := p1.Months[1]; got != (Month{"2027-02", 2_000_000, 0, 2_000_000, 0, 8_000_000}) {
		t.Errorf("prog-1 February = %+v", got)
	}
	if p2.Applications != 2 || p2.Awards != 0 || len(p2.ByArea) != 0 || p2.ReportsOverdue != 0 {
		t.Errorf("prog-2 = %+v", p2)
	}
	want := map[string]int64{grants.StatusInReview: 1, grants.StatusDeclined: 1}
	if got := statusCounts(p2.Figures); !reflect.DeepEqual(got, want) {
		t.Errorf("prog-2 statuses = %v", got)
	}
	if d := p2.Decisions; d.Count != 1 || days(d.MedianDays) != "10" || days(d.P90Days) != "10" {
		t.Errorf("prog-2 decisions = %d, %v, %v", d.Count, d.MedianDays, d.P90Days)
	}
	// prog-2 opens in March: four months to June, nothing awarded.
	if len(p2.Months) != 4 || p2.Months[0].Month != "2027-03" || p2.Months[3] != (Month{"2027-06", 0, 0, 0, 0, 5_000_000}) {
		t.Errorf("prog-2 months = %+v", p2.Months)
	}
}

// Time passing alone makes a report overdue: the same cells read a day
// later count the report due on 15 June.
func TestOverdueMovesWithToday(t *testing.T) {
	cells := project(t, NewSource(seedApps(), seedCoops()), "a1", "a3")
	svc := NewService(cells, seedProgs(), func() time.Time { return utc("2027-06-16T08:00:00Z") })
	r, err := svc.Report(context.Background(), staff, funder)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.ReportsOverdue != 3 {
		t.Errorf("overdue on 16 June = %d, want 3", r.Total.ReportsOverdue)
	}
}

func TestReportAccess(t *testing.T) {
	svc := NewService(memCells{}, seedProgs(), nil)
	for name, u := range map[string]*pathway.User{
		"nobody":            nil,
		"another funder":    {ID: "u2", Role: pathway.RoleFunder, Organisation: "fund-b"},
		"an agency":         {ID: "u3", Role: pathway.RoleAgency, Organisation: funder},
		"a founder":         {ID: "u4", Role: pathway.RoleFounder},
		"a council's staff": {ID: "u5", Role: pathway.RoleCommissioner, Organisation: funder},
	} {
		if _, err := svc.Report(context.Background(), u, funder); pathway.ErrorCode(err) != pathway.ENOTFOUND {
			t.Errorf("%s: err = %v, want not found", name, err)
		}
	}
}

// A funder with no applications yet gets zeros, a month of series and
// no percentiles (null in JSON).
func TestReportEmpty(t *testing.T) {
	svc := NewService(memCells{}, seedProgs(), func() time.Time { return utc("2027-01-10T12:00:00Z") })
	r, err := svc.Report(context.Background(), staff, funder)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r.Total.Decisions)
	if string(b) != `{"count":0,"medianDays":null,"p90Days":null}` {
		t.Errorf("decisions JSON = %s", b)
	}
	if len(r.Total.Months) != 1 || r.Total.Months[0].Remaining != 15_000_000 {
		t.Errorf("months = %+v", r.Total.Months)
	}
}

// Declining an award takes it out of the awards, the areas and the
// month it was made in, and its reports out of the overdue ones: the
// projector adds the difference.
func TestDeclineTakesTheAwardOut(t *testing.T) {
	apps := seedApps()
	src := NewSource(apps, seedCoops())
	a := apps["a3"]
	before, err := src.Next(context.Background(), "a3", nil, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	a.Status = grants.StatusDeclined
	after, err := src.Next(context.Background(), "a3", before, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	cb, _ := src.Contribute(before)
	ca, _ := src.Contribute(after)
	d := insight.Diff(cb, ca)
	all := d[insight.Cell{Scope: funder, Key: AllKey}]
	want := insight.Counters{
		"s:awarded": -1, "s:declined": 1, "awards": -1, "awarded": -1_500_000, "m:awarded:2027-03": -1_500_000,
		"a:Brighton+and+Hove:n": -1, "a:Brighton+and+Hove:p": -1_500_000,
		"l:co-operative-society:n": -1, "l:co-operative-society:p": -1_500_000,
		"o:spin-out:n": -1, "o:spin-out:p": -1_500_000,
		"r:2027-06-01": -1, "r:2027-06-15": -1,
	}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("difference = %v\nwant %v", all, want)
	}
	if len(d) != 2 {
		t.Errorf("cells changed = %d, want the programme's and all", len(d))
	}
}

// A decision not to fund keeps the day first applied, though later
// changes move the record's UpdatedAt.
func TestRejectionDayIsKept(t *testing.T) {
	apps := seedApps()
	src := NewSource(apps, seedCoops())
	first, _ := src.Next(context.Background(), "a2", nil, time.Time{})
	apps["a2"].UpdatedAt = utc("2027-05-01T10:00:00Z")
	again, _ := src.Next(context.Background(), "a2", first, time.Time{})
	var f Facts
	_ = json.Unmarshal(again, &f)
	if f.DecidedOn != "2027-03-12" {
		t.Errorf("decided on %s, want 2027-03-12", f.DecidedOn)
	}
}

// Counter names must be printable ASCII without spaces, 1 to 200 bytes
// (the table port's rule), whatever a council area is called.
func TestCounterNamesAreValid(t *testing.T) {
	f := Facts{ID: "x", Programme: "p", Funder: funder, Status: grants.StatusActive, SubmittedOn: "2027-01-01", DecidedOn: "2027-01-02",
		Awarded: 5, AwardedOn: "2027-01-02", Area: "Bristol, City of: Ærø & “Co”", LegalForm: "x y", Origin: ""}
	raw, _ := json.Marshal(f)
	c, err := NewSource(nil, nil).Contribute(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range c {
		for name := range cs {
			if len(name) < 1 || len(name) > 200 || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r > '~' }) {
				t.Errorf("bad counter name %q", name)
			}
		}
	}
	r := figures(c[insight.Cell{Scope: funder, Key: AllKey}], grants.Budget{}, "2027-01", "2027-01-05")
	if len(r.ByArea) != 1 || r.ByArea[0].Name != f.Area || len(r.ByOrigin) != 1 || r.ByOrigin[0].Name != NotKnown {
		t.Errorf("groups read back = %+v %+v", r.ByArea, r.ByOrigin)
	}
}
