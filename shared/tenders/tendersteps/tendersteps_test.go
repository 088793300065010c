package tendersteps_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tendersteps"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/workdays"
)

// t0 is Monday 1 March 2027, after the deadline.
var t0 = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)

type fixture struct {
	t       *testing.T
	ctx     context.Context
	store   *store.Store
	tenders *tenderstore.Store
	steps   *tendersteps.Steps
}

// newFixture seeds a council with an evaluator, a registered co-op and an
// open tender "td-1" whose deadline has passed, with one bid "bid-1".
func newFixture(t *testing.T) *fixture {
	st, tbl := testkit.Open(t, 0)
	f := &fixture{t: t, ctx: context.Background(), store: st, tenders: tenderstore.New(tbl)}
	f.steps = tendersteps.New(st, f.tenders, workdays.Calculate, func() time.Time { return t0 })
	must(t, st.PutOrganisation(f.ctx, &pathway.Organisation{ID: "org-council", Name: "Example Council", Kind: pathway.OrgCouncil}))
	must(t, st.PutUser(f.ctx, &pathway.User{ID: "eve", Name: "Eve Example", Role: pathway.RoleCommissioner, Organisation: "org-council"}))
	must(t, st.PutOrganisation(f.ctx, &pathway.Organisation{ID: "org-cda", Name: "Example CDA", Kind: pathway.OrgAgency}))
	must(t, st.PutProgramme(f.ctx, &pathway.Programme{ID: "prog", Name: "Start-up", Agency: "org-cda", Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	must(t, st.CreateCoop(f.ctx, &pathway.Coop{ID: "coop-1", Name: "Example Care Co-op", Programme: "prog",
		LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart, LocalAuthority: "Leeds",
		Services: []string{"home-care"}, Members: []pathway.Member{{Name: "Ada Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Founders: []string{"founder"}, Stage: pathway.StageCQCRegistered, StageEnteredAt: t0, CreatedAt: t0, UpdatedAt: t0}, nil, nil))
	must(t, f.tenders.CreateTender(f.ctx, &tenders.Tender{ID: "td-1", Council: "org-council", Title: "Home care", Description: "Care at home.",
		Services: []string{"home-care"}, Areas: []string{"Leeds"}, Value: 10_000_000, Lots: []tenders.Lot{{ID: "l1", Name: "All", Value: 10_000_000}},
		Procedure: tenders.ProcedureOpen, Criteria: []tenders.Criterion{{ID: "q", Name: "Quality", Kind: tenders.KindQuality, Weight: 70},
			{ID: "sv", Name: "Social value", Kind: tenders.KindSocialValue, Weight: 10}, {ID: "p", Name: "Price", Kind: tenders.KindPrice, Weight: 20}},
		Term: tenders.Term{Start: "2027-06-01", End: "2028-05-31"}, TendersCloseAt: t0.Add(-time.Hour), Evaluators: []string{"eve"},
		Standstill: tenders.Standstill{Applies: true, WorkingDays: 8}, Status: tenders.StatusOpen, CreatedAt: t0, UpdatedAt: t0}, nil))
	must(t, f.tenders.CreateBid(f.ctx, &tenders.Bid{ID: "bid-1", Tender: "td-1", Council: "org-council", Coop: "coop-1",
		Lots: []tenders.LotPrice{{Lot: "l1", Price: 9_000_000}}, Responses: map[string]string{"q": "Plan.", "sv": "Jobs."},
		Status: tenders.BidSubmitted, CreatedAt: t0.Add(-2 * time.Hour), UpdatedAt: t0.Add(-2 * time.Hour)}, nil))
	return f
}

// must fails the test at once on an error (shared/testkit).
var must = testkit.Must

func (f *fixture) in(state string) tendersteps.Input {
	return tendersteps.Input{Invocation: steps.Invocation{ExecutionID: "arn:exec:tender-td-1", State: state,
		EnteredTime: t0.Format(time.RFC3339Nano)}, Tender: "td-1"}
}

func (f *fixture) events(s pathway.Subject) []*pathway.Event {
	page, err := f.store.ListEvents(f.ctx, s, "", pathway.MaxPageSize)
	must(f.t, err)
	return page.Events
}

func (f *fixture) tender() *tenders.Tender {
	td, err := f.tenders.GetTender(f.ctx, "td-1")
	must(f.t, err)
	return td
}

// TestStepsRunTwiceChangeOnce runs each step twice with the same state
// entry and token, as Step Functions may: the second run adds no event,
// no task and no second move.
func TestStepsRunTwiceChangeOnce(t *testing.T) {
	f := newFixture(t)
	for range 2 {
		out, err := f.steps.Close(f.ctx, f.in("Close"))
		must(t, err)
		if out.Next != tendersteps.NextEvaluate || len(out.Evaluations) != 1 || out.Evaluations[0] != (tendersteps.EvaluationItem{Bid: "bid-1", Evaluator: "eve"}) {
			t.Fatalf("close: %+v", out)
		}
	}
	for range 2 {
		_, err := f.steps.OpenEvaluationTask(f.ctx, tendersteps.TaskInput{Input: f.in("AwaitEvaluation"), TaskToken: "tok-1", Bid: "bid-1", Evaluator: "eve"})
		must(t, err)
	}
	ts, err := f.store.ListTasks(f.ctx, pathway.TaskFilter{Subject: tenders.BidSubject("bid-1")})
	must(t, err)
	if len(ts) != 1 || ts[0].User != "eve" || ts[0].Kind != tenders.TaskEvaluation || ts[0].Organisation != "org-council" {
		t.Fatalf("tasks %+v, want one evaluation task for eve", ts)
	}
	for range 2 {
		_, err := f.steps.StartModeration(f.ctx, f.in("StartModeration"))
		must(t, err)
	}
	b, err := f.tenders.GetBid(f.ctx, "bid-1")
	must(t, err)
	b.Agreed = &tenders.Moderation{Scores: map[string]int{"q": 4, "sv": 3}, Reasons: map[string]string{"q": "Good.", "sv": "Fair."}}
	must(t, f.tenders.UpdateBid(f.ctx, b, nil))
	for range 2 {
		out, err := f.steps.Rank(f.ctx, f.in("Rank"))
		must(t, err)
		if out.Next != tendersteps.NextAward || out.Assessed != 1 {
			t.Fatalf("rank: %+v", out)
		}
	}
	td := f.tender()
	td.Award = &tenders.Award{Lots: []tenders.LotAward{{Lot: "l1", Bid: "bid-1", Coop: "coop-1", TopRanked: true}}}
	must(t, f.tenders.UpdateTender(f.ctx, td, nil))
	for range 2 {
		out, err := f.steps.Notify(f.ctx, f.in("Notify"))
		must(t, err)
		// Published Monday 1 March: 8 weekdays, that day the first, to Wednesday 10 March.
		if !out.Standstill || out.LastDay != "2027-03-10" || out.EnterAt != "2027-03-11T00:00:00Z" {
			t.Fatalf("notify: %+v", out)
		}
	}
	if td := f.tender(); td.Status != tenders.StatusStandstill || len(td.Notices) != 1 {
		t.Errorf("tender %s with notices %+v, want standstill and one UK6", td.Status, td.Notices)
	}
	// open → evaluation → moderation → award → standstill: four moves.
	if n := len(f.events(tenders.Subject("td-1"))); n != 4 {
		t.Errorf("%d tender events, want 4", n)
	}
	// assessed, won, the summary sent.
	if n := len(f.events(tenders.BidSubject("bid-1"))); n != 3 {
		t.Errorf("%d bid events, want 3", n)
	}
}

// TestCancelledTenderEndsTheWaits checks a task step of a cancelled
// tender raises Pathway.Cancelled, which the waits catch.
func TestCancelledTenderEndsTheWaits(t *testing.T) {
	f := newFixture(t)
	td := f.tender()
	must(t, tenders.Move(td, tenders.StatusCancelled, t0))
	must(t, f.tenders.UpdateTender(f.ctx, td, nil))
	_, err := f.steps.OpenAwardTask(f.ctx, tendersteps.TaskInput{Input: f.in("AwaitAward"), TaskToken: "tok"})
	var le messages.InvokeResponse_Error
	if !errors.As(err, &le) || le.Type != tendersteps.ErrCancelled {
		t.Errorf("award task of a cancelled tender: %v, want %s", err, tendersteps.ErrCancelled)
	}
}

// TestRegistry checks the dispatcher: an unknown step names the steps it
// runs, and every step refuses a payload without its input.
func TestRegistry(t *testing.T) {
	f := newFixture(t)
	h := tendersteps.Tender.Handler(f.steps)
	_, err := h(f.ctx, json.RawMessage(`{"step":"no-such-step"}`))
	var le messages.InvokeResponse_Error
	if !errors.As(err, &le) || le.Type != steps.ErrUnknownStep || !strings.Contains(le.Message, "open-tender") {
		t.Errorf("unknown step: %v", err)
	}
	for _, name := range tendersteps.Tender.Names() {
		_, err := h(f.ctx, json.RawMessage(`{"step":"`+name+`"}`))
		if !errors.As(err, &le) || le.Type != steps.ErrInvalid {
			t.Errorf("%s with no input: %v, want %s", name, err, steps.ErrInvalid)
		}
	}
}
