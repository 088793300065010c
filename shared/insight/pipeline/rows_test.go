package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func ids(rows []Row) string {
	var out []string
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return strings.Join(out, " ")
}

func TestRowsOrderSearchAndPaging(t *testing.T) {
	tr := newTruth()
	p := newMemProjector(NewSource(tr, tr, tr))
	cohort(t, tr, p)
	svc := newService(tr, p)
	ctx := context.Background()
	tests := []struct {
		name         string
		f            Filter
		search, sort string
		want         string
	}{
		{"by programme then name", Filter{}, "", "", "A B C F G H D E"},
		{"by programme, last first", Filter{}, "", SortProgrammeDesc, "E D H G F C B A"},
		{"by name", Filter{}, "", SortName, "A B C D E F G H"},
		{"by name, last first", Filter{}, "", SortNameDesc, "H G F E D C B A"},
		{"search by the start of the name, any case", Filter{}, "BRAM", "", "B"},
		{"search within a programme", Filter{Programme: "prog-b"}, "d", "", "D"},
		{"a filter", Filter{Area: "Leeds", Cohort: "2027-01"}, "", "", "A B F G D"},
		{"nothing found", Filter{}, "xyz", SortName, ""},
	}
	for _, tt := range tests {
		page, err := svc.Rows(ctx, staffA, tt.f, tt.search, tt.sort, "", 0)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := ids(page.Rows); got != tt.want || page.Next != "" {
			t.Errorf("%s: rows %q (next %q), want %q", tt.name, got, page.Next, tt.want)
		}
	}
	// Pages of two through Leeds: the filter is applied while paging, each
	// page topping up with more reads until it holds two rows.
	var got []string
	cursor := ""
	for i := 0; i < 10; i++ {
		page, err := svc.Rows(ctx, staffA, Filter{Area: "Leeds"}, "", "", cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Rows) > 2 {
			t.Fatalf("page of %d rows, limit 2", len(page.Rows))
		}
		got = append(got, ids(page.Rows))
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	if strings.Join(got, "|") != "A B|F G|H D|" { // the last page reads E, not in Leeds, and ends
		t.Errorf("pages = %q, want A B | F G | H D", got)
	}
}

func TestRowFacts(t *testing.T) {
	tr := newTruth()
	p := newMemProjector(NewSource(tr, tr, tr))
	cohort(t, tr, p)
	page, err := newService(tr, p).Rows(context.Background(), staffA, Filter{}, "aire", "", "", 0)
	if err != nil || len(page.Rows) != 1 {
		t.Fatalf("rows = %+v, %v", page, err)
	}
	a := page.Rows[0]
	// Tendering since 8 March: 7 days on the 15th; members from the
	// accepted report.
	if a.Stage != StageTendering || !a.StageEnteredAt.Equal(day(3, 8)) || a.DaysInStage != 7 || a.Cohort != "2027-01" ||
		a.GrantsAwarded != 5_000_000 || a.GrantsPaid != 2_000_000 || a.MembersByClass["worker"] != 7 || a.PaidJobs != 3 ||
		a.CareHoursPerWeek != 120 || a.WaitingOn != "" || a.Overdue {
		t.Errorf("A's row = %+v", a)
	}
	page, _ = newService(tr, p).Rows(context.Background(), staffA, Filter{}, "garforth", "", "", 0)
	if g := page.Rows[0]; g.WaitingOn != OwnerAgency || !g.Overdue || g.Stage != StagePanel {
		t.Errorf("G's row = %+v, want waiting on the agency, overdue", g)
	}
}

func TestRowsBadParameters(t *testing.T) {
	tr := newTruth()
	p := newMemProjector(NewSource(tr, tr, tr))
	cohort(t, tr, p)
	svc := newService(tr, p)
	for _, tt := range []struct {
		sort  string
		limit int
		field string
	}{{"size", 0, "sort"}, {"", 201, "limit"}, {"", -1, "limit"}} {
		_, err := svc.Rows(context.Background(), staffA, Filter{}, "", tt.sort, "", tt.limit)
		if pathway.ErrorFields(err)[tt.field] == "" {
			t.Errorf("sort %q limit %d: err = %v, want one naming %s", tt.sort, tt.limit, err, tt.field)
		}
	}
}

func TestExportCSV(t *testing.T) {
	tr := newTruth()
	p := newMemProjector(NewSource(tr, tr, tr))
	cohort(t, tr, p)
	var buf bytes.Buffer
	if err := newService(tr, p).Export(context.Background(), staffA, Filter{Programme: "prog-a"}, &buf); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("\uFEFF")) || !bytes.Contains(b, []byte("\r\n")) {
		t.Fatalf("no BOM or CRLF: %q", b)
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], Columns) {
		t.Errorf("header = %q", recs[0])
	}
	if len(recs) != 7 { // header + A B C F G H
		t.Fatalf("%d records, want the header and prog-a's six co-ops", len(recs))
	}
	col := func(rec []string, name string) string { return rec[slices.Index(Columns, name)] }
	a, b2 := recs[1], recs[2]
	for _, c := range []struct {
		rec        []string
		name, want string
	}{
		{a, "Co-op", "Aire Valley Care"},
		{a, "Programme", "Start-up North"},
		{a, "Council area", "Leeds"},
		{a, "Applied on", "04/01/2027"},
		{a, "Stage", "Tendering (a bid in)"},
		{a, "In stage since", "08/03/2027"},
		{a, "Days in stage", "7"},
		{a, "Grants awarded (£)", "50000.00"},
		{a, "Grants paid (£)", "20000.00"},
		{a, "Worker members", "7"},
		{a, "Hours of care a week", "120"},
		{b2, "Services", "home care; day care"},
		{b2, "Contracts won", "1"},
		{b2, "Contract value (£)", "120000.00"},
		{b2, "Overdue", "No"},
	} {
		if got := col(c.rec, c.name); got != c.want {
			t.Errorf("%s of %s = %q, want %q", c.name, c.rec[0], got, c.want)
		}
	}
	if col(recs[5], "Waiting on") != "The agency" || col(recs[5], "Overdue") != "Yes" {
		t.Errorf("G's record = %q", recs[5])
	}
}

func TestExportRefusesBeforeWriting(t *testing.T) {
	tr := newTruth()
	p := newMemProjector(NewSource(tr, tr, tr))
	var buf bytes.Buffer
	err := newService(tr, p).Export(context.Background(), staffA, Filter{Cohort: "13-2027"}, &buf)
	if pathway.ErrorFields(err)["cohort"] == "" || buf.Len() != 0 {
		t.Errorf("err = %v, %d bytes written; want a cohort error and nothing written", err, buf.Len())
	}
	if err := newService(tr, p).Export(context.Background(), funder, Filter{}, &buf); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
		t.Errorf("funder's export err = %v", err)
	}
}
