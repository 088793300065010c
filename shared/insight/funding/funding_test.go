package funding

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The seeded funder: two programmes, five applications sent and a draft,
// with dates chosen so every figure can be worked out by hand (see
// TestReportByHand).
const funder = "fund-a"

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

type fakeApps map[string]*grants.Application

func (f fakeApps) GetApplication(_ context.Context, id string) (*grants.Application, error) {
	if a, ok := f[id]; ok {
		return a, nil
	}
	return nil, pathway.NotFound("grant application")
}

type fakeCoops map[string]*pathway.Coop

func (f fakeCoops) GetCoop(_ context.Context, id string) (*pathway.Coop, error) {
	if c, ok := f[id]; ok {
		return c, nil
	}
	return nil, pathway.NotFound("co-op")
}

func seedCoops() fakeCoops {
	return fakeCoops{
		"c1": {ID: "c1", LocalAuthority: "Leeds", LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart},
		"c2": {ID: "c2", LocalAuthority: "Leeds", LegalForm: pathway.FormCommunityBenefit, Origin: pathway.OriginConversion},
		"c3": {ID: "c3", LocalAuthority: "Brighton and Hove", LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginSpinOut},
	}
}

func app(id, prog, coop, status, sent string) *grants.Application {
	a := &grants.Application{ID: id, Programme: prog, Funder: funder, Coop: coop, Status: status}
	if sent != "" {
		a.SubmittedAt = utc(sent)
		a.UpdatedAt = a.SubmittedAt
	}
	return a
}

func award(amount int64, decided string, tranches ...grants.Tranche) *grants.Award {
	return &grants.Award{Amount: amount, DecidedAt: utc(decided), Tranches: tranches}
}

func seedApps() fakeApps {
	a1 := app("a1", "prog-1", "c1", grants.StatusActive, "2027-02-01T10:00:00Z")
	a1.Award = award(2_000_000, "2027-02-15T09:00:00Z",
		grants.Tranche{ID: "t1", Amount: 1_000_000, Status: grants.TranchePaid, PaidOn: "2027-03-10"},
		grants.Tranche{ID: "t2", Amount: 1_000_000, Status: grants.TrancheOpen})
	a1.Reports = []grants.Report{{ID: "r1", Due: "2027-05-01", Status: grants.ReportDue}, {ID: "r2", Due: "2027-08-01", Status: grants.ReportDue}}

	a2 := app("a2", "prog-1", "c2", grants.StatusRejected, "2027-02-10T12:00:00Z")
	a2.UpdatedAt = utc("2027-03-12T15:00:00Z")

	a3 := app("a3", "prog-1", "c3", grants.StatusAwarded, "2027-03-01T00:30:00Z")
	a3.Award = award(1_500_000, "2027-03-21T11:00:00Z", grants.Tranche{ID: "t1", Amount: 1_500_000, Status: grants.TrancheOpen})
	a3.Reports = []grants.Report{{ID: "r1", Due: "2027-06-01", Status: grants.ReportSent}, {ID: "r2", Due: "2027-06-15", Status: grants.ReportDue}}

	// Sent at 23:30 UTC on 31 March: 00:30 BST on 1 April, a UK day of April.
	a4 := app("a4", "prog-2", "c1", grants.StatusInReview, "2027-03-31T23:30:00Z")

	// Sent 00:30 BST on 5 April, decided on 15 April: 10 days.
	a5 := app("a5", "prog-2", "c2", grants.StatusDeclined, "2027-04-04T23:30:00Z")
	a5.Award = award(800_000, "2027-04-15T09:00:00Z", grants.Tranche{ID: "t1", Amount: 800_000, Status: grants.TrancheOpen})
	a5.Reports = []grants.Report{{ID: "r1", Due: "2027-05-01", Status: grants.ReportDue}}

	a6 := app("a6", "prog-1", "c3", grants.StatusDraft, "")
	return fakeApps{"a1": a1, "a2": a2, "a3": a3, "a4": a4, "a5": a5, "a6": a6}
}

// memCells is an insight.Reader over contributions added in memory,
// as the projector adds them to the table.
type memCells map[insight.Cell]insight.Counters

func (m memCells) add(c insight.Contribution) {
	for cell, cs := range c {
		if m[cell] == nil {
			m[cell] = insight.Counters{}
		}
		for name, n := range cs {
			m[cell][name] += n
		}
	}
}

func (m memCells) Cells(_ context.Context, scope string, keys ...string) (map[string]insight.Counters, error) {
	out := map[string]insight.Counters{}
	for _, k := range keys {
		if cs, ok := m[insight.Cell{Scope: scope, Key: k}]; ok {
			out[k] = cs
		}
	}
	return out, nil
}

func (m memCells) Facts(context.Context, string, string) (json.RawMessage, error) { return nil, nil }
func (m memCells) List(context.Context, insight.ListQuery) (*insight.FactPage, error) {
	return &insight.FactPage{}, nil
}

// project refreshes every seeded application through the source, twice
// (the second must add nothing), into memory.
func project(t *testing.T, src *Source, ids ...string) memCells {
	t.Helper()
	cells := memCells{}
	applied := map[string]json.RawMessage{}
	for range 2 {
		for _, id := range ids {
			next, err := src.Next(context.Background(), id, applied[id], time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			before, err := src.Contribute(applied[id])
			if err != nil {
				t.Fatal(err)
			}
			after, err := src.Contribute(next)
			if err != nil {
				t.Fatal(err)
			}
			cells.add(insight.Diff(before, after))
			applied[id] = next
		}
	}
	return cells
}

type fakeProgs struct {
	ps      []*grants.Programme
	budgets map[string]grants.Budget
}

func (f fakeProgs) ListProgrammes(_ context.Context, org string) ([]*grants.Programme, error) {
	var out []*grants.Programme
	for _, p := range f.ps {
		if p.Funder == org {
			out = append(out, p)
		}
	}
	return out, nil
}

func (f fakeProgs) Budget(_ context.Context, id string) (grants.Budget, error) {
	return f.budgets[id], nil
}

func seedProgs() fakeProgs {
	return fakeProgs{
		ps: []*grants.Programme{
			{ID: "prog-1", Name: "Start-up grants", Funder: funder, OpensOn: "2027-01-01"},
			{ID: "prog-2", Name: "Growth grants", Funder: funder, OpensOn: "2027-03-01"},
		},
		budgets: map[string]grants.Budget{
			"prog-1": {Budget: 10_000_000, Awarded: 3_500_000, Paid: 1_000_000, Remaining: 6_500_000},
			"prog-2": {Budget: 5_000_000, Remaining: 5_000_000},
		},
	}
}
