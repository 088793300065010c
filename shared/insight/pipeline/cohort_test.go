package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// projector is what the tests drive: the memory one here, the real one
// (insight/project over a table) in the end-to-end tests.
type projector interface {
	insight.Reader
	Refresh(ctx context.Context, kind, id string, at time.Time) error
}

// day is noon UTC (GMT: every date here is before British Summer Time
// starts on 28 March 2027) of a day of 2027.
func day(month time.Month, d int) time.Time { return time.Date(2027, month, d, 12, 0, 0, 0, time.UTC) }

// now is when the figures are read: Monday 15 March 2027.
var now = day(time.March, 15)

var (
	staffA  = &pathway.User{ID: "staff-a", Name: "Ada Example", Role: pathway.RoleAgency, Organisation: "ag1"}
	staffZ  = &pathway.User{ID: "staff-z", Name: "Zed Example", Role: pathway.RoleAgency, Organisation: "ag2"}
	founder = &pathway.User{ID: "founder-1", Name: "Fay Example", Role: pathway.RoleFounder}
	funder  = &pathway.User{ID: "funder-1", Name: "Fin Example", Role: pathway.RoleFunder, Organisation: "fund1"}
)

// cohort drives a known cohort through the Source and a projector, each
// change refreshed at its own time, as the outbox would:
//
//	id  programme area       services               origin      applied  journey (days in each stage left)
//	A   prog-a    Leeds      home-care              new-start   04 Jan   applied 6, panel 10, preparing 21 (ready
//	                                                                     01 Feb is still preparing), submitted 19,
//	                                                                     registered 4, funded (grant 05 Mar) 3,
//	                                                                     tendering since 08 Mar
//	B   prog-a    Leeds      home-care, day-care    conversion  06 Jan   applied 2, panel 14, preparing 14,
//	                                                                     submitted 20, registered 4, tendering 9,
//	                                                                     contracted since 10 Mar (£120,000)
//	C   prog-a    Bradford   supported-living       new-start   12 Jan   applied 8, panel 14, declined since 03 Feb
//	D   prog-b    Leeds      home-care              spin-out    15 Jan   applied 10, panel 16, preparing since
//	                                                                     10 Feb; founders' task due 01 Mar
//	E   prog-b    Wakefield  day-care               new-start   20 Jan   applied; agency's task due 20 Mar
//	F   prog-a    Leeds      home-care              new-start   25 Jan   applied 1, ineligible since 26 Jan
//	G   prog-a    Leeds      home-care              new-start   28 Jan   applied 5, panel since 02 Feb; agency's
//	                                                                     task due 10 Mar, founders' 12 Mar
//	H   prog-a    Leeds      home-care              new-start   03 Feb   applied (the February cohort)
//	Z   prog-z (agency ag2)  home-care              new-start   05 Jan   applied
//
// A's grant: £50,000 awarded, £20,000 paid; its accepted report counts 7
// workers, 3 paid jobs and 120 hours of care a week.
func cohort(t *testing.T, tr *truth, p projector) {
	t.Helper()
	ctx := context.Background()
	tr.programmes["prog-a"] = &pathway.Programme{ID: "prog-a", Name: "Start-up North", Agency: "ag1", Pathway: pathway.PathwayStartUp, PanelDays: 14}
	tr.programmes["prog-b"] = &pathway.Programme{ID: "prog-b", Name: "Growth West", Agency: "ag1", Pathway: pathway.PathwayGrowth, PanelDays: 14}
	tr.programmes["prog-z"] = &pathway.Programme{ID: "prog-z", Name: "Other agency's", Agency: "ag2", Pathway: pathway.PathwayStartUp, PanelDays: 14}
	refresh := func(id string, at time.Time) {
		t.Helper()
		if err := p.Refresh(ctx, pathway.SubjectCoop, id, at); err != nil {
			t.Fatalf("refresh %s: %v", id, err)
		}
	}
	apply := func(id, name, prog, area string, services []string, origin string, at time.Time) {
		tr.mu.Lock()
		tr.coops[id] = &pathway.Coop{ID: id, Name: name, Programme: prog, LocalAuthority: area, Services: services,
			Origin: origin, LegalForm: pathway.FormCooperativeSociety, Stage: pathway.StageApplied, StageEnteredAt: at, CreatedAt: at,
			Members: []pathway.Member{{Name: "Member One", Class: pathway.ClassWorker, Role: pathway.MemberDirector}}}
		tr.mu.Unlock()
		refresh(id, at)
	}
	move := func(id, stage string, at time.Time) {
		tr.mu.Lock()
		c := tr.coops[id]
		c.Stage, c.StageEnteredAt = stage, at
		tr.mu.Unlock()
		refresh(id, at)
	}
	tasks := func(id string, s pathway.TaskSummary, at time.Time) {
		tr.mu.Lock()
		tr.coops[id].Tasks = s
		tr.mu.Unlock()
		refresh(id, at)
	}
	home, jan := []string{"home-care"}, time.January
	apply("A", "Aire Valley Care", "prog-a", "Leeds", home, "new-start", day(jan, 4))
	apply("B", "Bramley Home Helpers", "prog-a", "Leeds City Council", []string{"home-care", "day-care"}, "conversion", day(jan, 6))
	apply("C", "Calder Support", "prog-a", "Bradford", []string{"supported-living"}, "new-start", day(jan, 12))
	apply("D", "Dales Carers", "prog-b", "Leeds", home, "spin-out", day(jan, 15))
	apply("E", "Elland Day Club", "prog-b", "Wakefield", []string{"day-care"}, "new-start", day(jan, 20))
	apply("F", "Farsley Care", "prog-a", "Leeds", home, "new-start", day(jan, 25))
	apply("G", "Garforth Neighbours", "prog-a", "Leeds", home, "new-start", day(jan, 28))
	apply("H", "Horsforth Helpers", "prog-a", "Leeds", home, "new-start", day(time.February, 3))
	apply("Z", "Zennor Care", "prog-z", "Leeds", home, "new-start", day(jan, 5))
	tr.coops["B"].LegalForm = pathway.FormCommunityBenefit
	refresh("B", day(jan, 6))
	tr.coops["D"].LegalForm = pathway.FormCommunityInterest
	refresh("D", day(jan, 15))

	move("A", pathway.StageAwaitingPanel, day(jan, 10))
	move("B", pathway.StageAwaitingPanel, day(jan, 8))
	move("C", pathway.StageAwaitingPanel, day(jan, 20))
	move("D", pathway.StageAwaitingPanel, day(jan, 25))
	move("F", pathway.StageIneligible, day(jan, 26))
	move("A", pathway.StageCQCPreparing, day(jan, 20))
	move("B", pathway.StageCQCPreparing, day(jan, 22))
	move("G", pathway.StageAwaitingPanel, day(time.February, 2))
	move("A", pathway.StageCQCReady, day(time.February, 1))
	move("C", pathway.StageDeclined, day(time.February, 3))
	move("B", pathway.StageCQCSubmitted, day(time.February, 5))
	move("A", pathway.StageCQCSubmitted, day(time.February, 10))
	move("D", pathway.StageCQCPreparing, day(time.February, 10))
	move("B", pathway.StageCQCRegistered, day(time.February, 25))
	move("A", pathway.StageCQCRegistered, day(time.March, 1))

	tr.bids["B"] = []*tenders.Bid{{ID: "bid-b", Tender: "t1", Coop: "B", Status: tenders.BidSubmitted}}
	refresh("B", day(time.March, 1))
	tr.grants["A"] = grants.Facts{Applications: 1, Awards: 1, Awarded: 5_000_000, Paid: 2_000_000}
	tr.apps["A"] = []*grants.Application{{ID: "app-a", Reports: []grants.Report{
		{ID: "r1", Status: grants.ReportAccepted, Figures: &grants.Figures{MembersByClass: map[string]int{"worker": 7}, PaidJobs: 3, CareHoursPerWeek: 120}},
		{ID: "r2", Status: grants.ReportDue}}}}
	refresh("A", day(time.March, 5))
	tr.bids["A"] = []*tenders.Bid{{ID: "bid-a", Tender: "t2", Coop: "A", Status: tenders.BidSubmitted}}
	refresh("A", day(time.March, 8))
	tr.bids["B"][0].Status = tenders.BidWon
	tr.tenders["t1"] = &tenders.Tender{ID: "t1", Contract: &tenders.Contract{Lots: []tenders.ContractLot{{Lot: "l1", Coop: "B", Bid: "bid-b", Value: 12_000_000}, {Lot: "l2", Coop: "other", Value: 999}}}}
	move("B", pathway.StageContracted, day(time.March, 10))

	tasks("D", pathway.TaskSummary{Open: 2, Founders: 2, FoundersNextDue: day(time.March, 1)}, day(time.February, 20))
	tasks("E", pathway.TaskSummary{Open: 1, Agency: 1, AgencyNextDue: day(time.March, 20)}, day(time.March, 6))
	tasks("G", pathway.TaskSummary{Open: 2, Agency: 1, AgencyNextDue: day(time.March, 10), Founders: 1, FoundersNextDue: day(time.March, 12)}, day(time.March, 3))
	// A repeated refresh changes nothing.
	refresh("A", day(time.March, 14))
	refresh("G", day(time.March, 14))
}
