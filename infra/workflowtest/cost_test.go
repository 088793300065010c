package workflowtest

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// transitions counts the billed state transitions of an execution through
// the history port (localsfn), as the cost of a journey reads them.
//
// A step that meets a version conflict (the test's own answers race the
// workflow's writes on a loaded machine) is retried by the ASL's Retry,
// and AWS bills each retry as a transition. The path's count is the
// transitions less those retries, so the pinned figures stay those of the
// usual path whatever the machine's load; the retries are logged.
func transitions(t *testing.T, e *states.Engine, machine, name string) int64 {
	t.Helper()
	events, err := localsfn.New(e).History(t.Context(), machine, name)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 {
		t.Fatalf("no history for %s %s", machine, name)
	}
	if r := cost.Retries(events); r > 0 {
		t.Logf("%s %s: %d retries, billed as transitions too", machine, name, r)
		return cost.Transitions(events) - r
	}
	return cost.Transitions(events)
}

// TestJourneyTransitions runs each workflow of a journey from application
// to contract along its usual path, with the real ASL and step handlers,
// and counts the state transitions AWS would bill, read from the
// executions' histories as GET /api/coops/{id}/cost reads them. The
// figures are the README's "transitions of a full journey"; a change to a
// workflow that changes them must update the README.
func TestJourneyTransitions(t *testing.T) {
	got := map[string]int64{}

	// Application (panel accepts) and registration (CQC registers).
	j := newJourney(t)
	j.acceptPanel()
	j.verifyChecklist()
	j.submit()
	j.decide(pathway.RoleFounder, map[string]any{"outcome": "registered", "providerId": "1-234567890",
		"decidedOn": j.clock.Now().Format(time.DateOnly)})
	j.expectStatus(pathway.WorkflowRegistration, states.ExecSucceeded)
	got[pathway.WorkflowApplication] = transitions(t, j.engine, pathway.WorkflowApplication, j.coop)
	got[pathway.WorkflowRegistration] = transitions(t, j.engine, pathway.WorkflowRegistration, j.coop)

	// A grant: two reviews, an award paid on agreement with one report,
	// the report accepted, the grant closed.
	g := newGrantJourney(t, grantAmount)
	g.twoReviews()
	g.award([]grants.TrancheAnswer{{Amount: grantAmount, Trigger: grants.TriggerAgreement}}, t0.Add(60*day).Format(time.DateOnly))
	g.answer(g.openOne(grants.TaskAgreement), founder, grants.AgreementAnswer{Outcome: grants.AgreementAccept})
	g.pay("t1")
	// The report is sent an hour before it is due: at the due time itself
	// the workflow may first take the wait's timeout (AwaitReportDue, one
	// more transition), a race the usual path does not run.
	g.later(t0.Add(60*day - time.Hour).Sub(g.clock.Now()))
	g.answer(g.openOne(grants.TaskReport), founder, grants.ReportAnswer{Summary: "Six carers trained.",
		Figures: grants.Figures{PaidJobs: 6, CareHoursPerWeek: 120, PeopleSupported: 14}})
	g.answer(g.openOne(grants.TaskReportReview), "user-fund-ria", grants.ReportReviewAnswer{Outcome: grants.ReportReviewAccepted})
	g.expectExec(states.ExecSucceeded)
	got[pathway.WorkflowGrant] = transitions(t, g.engine, pathway.WorkflowGrant, "grant-"+grantApp)

	// A tender with two bids, one evaluator, awarded, through standstill
	// to the contract.
	td := newTenderJourney(t, func(td *tenders.Tender) { td.LightTouch, td.Evaluators = true, evaluators[:1] })
	td.bid("bid-a", "coop-a", 40_000_000, tenders.BidSubmitted)
	td.bid("bid-b", "coop-b", 45_000_000, tenders.BidSubmitted)
	td.closeBids()
	for _, b := range []string{"bid-a", "bid-b"} {
		td.evaluate(b, evaluators[0], 4, 3)
	}
	for _, b := range []string{"bid-a", "bid-b"} {
		td.moderate(b, 4, 3)
	}
	td.award("bid-a", "")
	period := td.expectTender(tenders.StatusStandstill).Period
	enter, err := time.ParseInLocation(time.DateOnly, period.EnterFrom, pathway.UKTime)
	td.must(err)
	td.later(enter.Sub(td.clock.Now()) + time.Minute)
	td.expectTender(tenders.StatusContracting)
	td.contract(period.EnterFrom)
	td.later(day)
	got[pathway.WorkflowTender] = transitions(t, td.engine, pathway.WorkflowTender, "tender-"+tenderID)

	t.Logf("state transitions of a full journey's workflows: %v", got)
	want := map[string]int64{pathway.WorkflowApplication: 9, pathway.WorkflowRegistration: 10, pathway.WorkflowGrant: 35, pathway.WorkflowTender: 26}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %d transitions, want %d", k, got[k], w)
		}
	}
}
