package pipeline

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight/stats"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// stageWant is one stage's figures worked out by hand.
type stageWant struct {
	count, reached, left int64
	median, p90          string // "" for null
}

// januaryWant are the January cohort's figures (A–G), worked out by hand
// from the table in cohort's comment.
//
// Now: applied E; panel G; preparing D; tendering A; contracted B;
// ineligible F; declined C. Reached: applied all 7; panel A B C D G = 5;
// preparing A B D = 3; submitted and registered A B = 2; funded A = 1;
// tendering A B = 2; contracted B = 1; ineligible F; declined C.
//
// Days in stages left (type 7 percentiles, h = p·(n−1)):
//
//	applied   1 2 5 6 8 10   median h=2.5 → 5+0.5·1 = 5.5; p90 h=4.5 → 8+0.5·2 = 9
//	panel     10 14 14 16    median h=1.5 → 14;            p90 h=2.7 → 14+0.7·2 = 15.4
//	preparing 14 21          median 17.5;                  p90 14+0.9·7 = 20.3
//	submitted 20 19          median 19.5;                  p90 19.9
//	registered 4 4           4 and 4
//	funded    3              3 and 3
//	tendering 9              9 and 9
var januaryWant = map[string]stageWant{
	StageApplied:    {1, 7, 6, "5.5", "9"},
	StagePanel:      {1, 5, 4, "14", "15.4"},
	StagePreparing:  {1, 3, 2, "17.5", "20.3"},
	StageAppliedCQC: {0, 2, 2, "19.5", "19.9"},
	StageRegistered: {0, 2, 2, "4", "4"},
	StageFunded:     {0, 1, 1, "3", "3"},
	StageTendering:  {1, 2, 1, "9", "9"},
	StageContracted: {1, 1, 0, "", ""},
	StageIneligible: {1, 1, 0, "", ""},
	StageDeclined:   {1, 1, 0, "", ""},
	StageRefused:    {0, 0, 0, "", ""},
	StageWithdrawn:  {0, 0, 0, "", ""},
	StageClosed:     {0, 0, 0, "", ""},
}

// januaryConversion: of those that reached a stage, the share that reached
// the next: 5/7 = 71.4; 3/5 = 60.0; 2/3 = 66.7; 2/2; registered→funded
// 1/2 (B bid without a grant); funded→tendering 1/1 (A); tendering→
// contracted 1/2 (B).
var januaryConversion = []string{"71.4", "60.0", "66.7", "100.0", "50.0", "100.0", "50.0"}

func newService(tr *truth, p projector) *Service {
	return NewService(p, tr, func() time.Time { return now })
}

func checkJanuary(t *testing.T, svc *Service) {
	t.Helper()
	r, err := svc.Report(context.Background(), staffA, Filter{Cohort: "2027-01"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 7 {
		t.Errorf("total = %d, want 7 (A–G)", r.Total)
	}
	if len(r.Stages) != len(Stages) {
		t.Fatalf("%d stages, want every one of %d", len(r.Stages), len(Stages))
	}
	for i, sf := range r.Stages {
		w := januaryWant[sf.Stage]
		if sf.Stage != Stages[i] || sf.Count != w.count || sf.Reached != w.reached || sf.Left != w.left ||
			daysString(sf.MedianDays) != w.median || daysString(sf.P90Days) != w.p90 {
			t.Errorf("%s: count %d reached %d left %d median %s p90 %s; want %+v", sf.Stage, sf.Count, sf.Reached, sf.Left,
				daysString(sf.MedianDays), daysString(sf.P90Days), w)
		}
	}
	if len(r.Conversion) != len(januaryConversion) {
		t.Fatalf("%d conversions, want %d", len(r.Conversion), len(januaryConversion))
	}
	for i, c := range r.Conversion {
		if got, _ := c.Rate.MarshalJSON(); string(got) != januaryConversion[i] || c.From != mainRoad[i] || c.To != mainRoad[i+1] {
			t.Errorf("conversion %s→%s = %s, want %s", c.From, c.To, got, januaryConversion[i])
		}
	}
	// Waiting on the agency: E, G; on founders: D, G. On 15 March, overdue:
	// the agency's G (10 Mar; E's 20 Mar is not yet); the founders' D
	// (1 Mar) and G (12 Mar); co-ops overdue on anyone: D and G = 2.
	wo := r.WaitingOn
	if wo.Agency != 2 || wo.Founders != 2 || wo.Overdue != 2 || wo.OverdueByOwner[OwnerAgency] != 1 || wo.OverdueByOwner[OwnerFounders] != 2 {
		t.Errorf("waiting on = %+v, want agency 2, founders 2, overdue 2 (agency 1, founders 2)", wo)
	}
	// Programmes: prog-a holds A B C F G: A funded (£50,000 awarded, £20,000
	// paid), B contracted (one contract, £120,000; the other lot is not
	// B's); prog-b holds D E, with no money.
	want := []ProgrammeFigure{
		{ID: "prog-a", Name: "Start-up North", Coops: 5, Funded: 1, GrantsAwarded: 5_000_000, GrantsPaid: 2_000_000, Contracted: 1, Contracts: 1, ContractValue: 12_000_000},
		{ID: "prog-b", Name: "Growth West", Coops: 2},
	}
	if len(r.Programmes) != 2 || r.Programmes[0] != want[0] || r.Programmes[1] != want[1] {
		t.Errorf("programmes = %+v, want %+v", r.Programmes, want)
	}
}

func daysString(d *stats.Days) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func TestCohortFigures(t *testing.T) {
	tr := newTruth()
	p := newMemProjector(NewSource(tr, tr, tr))
	cohort(t, tr, p)
	checkJanuary(t, newService(tr, p))
}

func TestReportJSON(t *testing.T) {
	tr := newTruth()
	p := newMemProjector(NewSource(tr, tr, tr))
	cohort(t, tr, p)
	r, err := newService(tr, p).Report(context.Background(), staffA, Filter{Cohort: "2027-01"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	var got struct {
		Stages []struct {
			Stage      string   `json:"stage"`
			Count      int64    `json:"count"`
			MedianDays *float64 `json:"medianDays"`
			P90Days    *float64 `json:"p90Days"`
		} `json:"stages"`
		Conversion []struct {
			From, To string
			Rate     *float64 `json:"rate"`
		} `json:"conversion"`
		WaitingOn struct{ Agency, Founders, Overdue int64 } `json:"waitingOn"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Stages[0].Stage != "applied" || *got.Stages[0].MedianDays != 5.5 || *got.Stages[1].P90Days != 15.4 || got.Stages[7].MedianDays != nil {
		t.Errorf("stages JSON = %s", b)
	}
	if *got.Conversion[0].Rate != 71.4 || got.WaitingOn.Overdue != 2 {
		t.Errorf("conversion / waiting JSON = %s", b)
	}
}

func TestFilters(t *testing.T) {
	tr := newTruth()
	p := newMemProjector(NewSource(tr, tr, tr))
	cohort(t, tr, p)
	svc := newService(tr, p)
	tests := []struct {
		name  string
		f     Filter
		total int64
		progs int
	}{
		{"everything: A–H", Filter{}, 8, 2},
		{"Leeds (a council's own name) in January: A B D F G", Filter{Area: "Leeds City Council", Cohort: "2027-01"}, 5, 2},
		{"day care: B E", Filter{Service: "day-care"}, 2, 2},
		{"one programme: D E", Filter{Programme: "prog-b"}, 2, 1},
		{"February: H", Filter{Cohort: "2027-02"}, 1, 2},
		{"conversions: B", Filter{Origin: "conversion"}, 1, 2},
		{"community interest companies: D", Filter{LegalForm: pathway.FormCommunityInterest}, 1, 2},
		{"a month with none", Filter{Cohort: "2026-12"}, 0, 2},
	}
	for _, tt := range tests {
		r, err := svc.Report(context.Background(), staffA, tt.f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if r.Total != tt.total || len(r.Programmes) != tt.progs {
			t.Errorf("%s: total %d, %d programmes; want %d, %d", tt.name, r.Total, len(r.Programmes), tt.total, tt.progs)
		}
	}
	r, _ := svc.Report(context.Background(), staffA, Filter{Area: "leeds"})
	if r.Filter.Area != "Leeds" {
		t.Errorf("area filter = %q, want the council's name Leeds", r.Filter.Area)
	}
}

func TestFilterErrorsNameTheField(t *testing.T) {
	tr := newTruth()
	p := newMemProjector(NewSource(tr, tr, tr))
	cohort(t, tr, p)
	svc := newService(tr, p)
	tests := []struct {
		f     Filter
		field string
	}{
		{Filter{Cohort: "2027-1"}, "cohort"},
		{Filter{Cohort: "January"}, "cohort"},
		{Filter{Area: "Atlantis"}, "area"},
		{Filter{Area: "Cardiff"}, "area"},
		{Filter{Service: "gardening"}, "service"},
		{Filter{Origin: "moon"}, "origin"},
		{Filter{LegalForm: "plc"}, "legalForm"},
		{Filter{Programme: "prog-z"}, "programme"}, // another agency's
		{Filter{Programme: "nope"}, "programme"},
	}
	for _, tt := range tests {
		_, err := svc.Report(context.Background(), staffA, tt.f)
		if pathway.ErrorCode(err) != pathway.EINVALID || pathway.ErrorFields(err)[tt.field] == "" {
			t.Errorf("%+v: err = %v (fields %v), want invalid naming %s", tt.f, err, pathway.ErrorFields(err), tt.field)
		}
	}
}

func TestAccess(t *testing.T) {
	tr := newTruth()
	p := newMemProjector(NewSource(tr, tr, tr))
	cohort(t, tr, p)
	svc := newService(tr, p)
	for _, u := range []*pathway.User{founder, funder, {ID: "c", Name: "Cy", Role: pathway.RoleCommissioner, Organisation: "ag1"}} {
		if _, err := svc.Report(context.Background(), u, Filter{}); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
			t.Errorf("%s: report err = %v, want forbidden", u.Role, err)
		}
		if _, err := svc.Rows(context.Background(), u, Filter{}, "", "", "", 0); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
			t.Errorf("%s: rows err = %v, want forbidden", u.Role, err)
		}
	}
	// The other agency sees its one co-op and nothing of ag1's.
	r, err := svc.Report(context.Background(), staffZ, Filter{})
	if err != nil || r.Total != 1 || len(r.Programmes) != 1 || r.Programmes[0].ID != "prog-z" {
		t.Fatalf("other agency's report = %+v, %v", r, err)
	}
	rows, err := svc.Rows(context.Background(), staffZ, Filter{}, "", "", "", 0)
	if err != nil || len(rows.Rows) != 1 || rows.Rows[0].ID != "Z" {
		t.Fatalf("other agency's rows = %+v, %v", rows, err)
	}
}
