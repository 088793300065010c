package tenderservice_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// scores is a valid score of every criterion people score.
func scores(care, local int) *tenders.ScoresAnswer {
	return &tenders.ScoresAnswer{
		Scores:  map[string]int{"care": care, "local": local},
		Reasons: map[string]string{"care": "Clear plan for continuity.", "local": "Hires locally."},
	}
}

// TestConflictExcludesTheEvaluatorForGood: a conflict answers the
// evaluation task with {"conflict":true,"reason"}; from then on the bid,
// its task and a second declaration are "not found" to the evaluator.
func TestConflictExcludesTheEvaluatorForGood(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	id := f.published(t)
	a := f.bid(t, "founderA", id, coopA, 50_000_00)
	f.closeTenders(t, id)
	tk := f.task(t, tenders.BidSubject(a), "ev-"+a+"-1", tenders.TaskEvaluation, pathway.RoleCommissioner, users["eval1"].ID)
	res, err := f.svc.Declare(ctx, users["eval1"], a, tenders.DeclarationAnswer{Conflict: true, Reason: "My sister works there."})
	must(t, err)
	if !res.Declaration.Conflict || res.Bid != nil {
		t.Errorf("result %+v", res)
	}
	answers := f.wf.Answers()
	if len(answers) != 1 || answers[0].Token != tk.Token || string(answers[0].Output) != `{"conflict":true,"reason":"My sister works there."}` {
		t.Errorf("answers = %+v", answers)
	}
	_, err = f.svc.Bid(ctx, users["eval1"], a)
	wantCode(t, err, pathway.ENOTFOUND)
	_, err = f.svc.Declare(ctx, users["eval1"], a, tenders.DeclarationAnswer{})
	wantCode(t, err, pathway.ENOTFOUND)
	_, _, err = f.svc.TaskToAnswer(ctx, users["eval1"], tk.ID)
	wantCode(t, err, pathway.ENOTFOUND)
	list, err := f.svc.TenderBids(ctx, users["eval1"], id)
	must(t, err)
	if len(list) != 0 {
		t.Errorf("excluded evaluator lists %d bids", len(list))
	}
}

// TestEvaluationModerationAwardContract walks a bid's tasks: the
// evaluator declares and scores, the lead agrees the scores, awards, and
// records the contract and its notice; each answer reaches the workflow
// with the contract's outputs.
func TestEvaluationModerationAwardContract(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	id := f.published(t)
	a := f.bid(t, "founderA", id, coopA, 50_000_00)
	f.closeTenders(t, id)
	ev := f.task(t, tenders.BidSubject(a), "ev-"+a+"-2", tenders.TaskEvaluation, pathway.RoleCommissioner, users["eval2"].ID)

	wantCode(t, f.answer(t, users["eval1"], ev.ID, scores(4, 3)), pathway.EFORBIDDEN) // not theirs
	wantCode(t, f.answer(t, users["eval2"], ev.ID, scores(4, 3)), pathway.ECONFLICT)  // declare first
	res, err := f.svc.Declare(ctx, users["eval2"], a, tenders.DeclarationAnswer{})
	must(t, err)
	if res.Bid == nil || res.Bid.Bid == nil || res.Bid.Responses["care"] == "" {
		t.Fatalf("after no conflict the evaluator sees %+v", res.Bid)
	}
	bad := scores(9, 3)
	delete(bad.Reasons, "local")
	err = f.answer(t, users["eval2"], ev.ID, bad)
	wantCode(t, err, pathway.EINVALID)
	if fs := pathway.ErrorFields(err); fs["scores.care"] == "" || fs["reasons.local"] == "" {
		t.Errorf("fields = %v", fs)
	}
	must(t, f.answer(t, users["eval2"], ev.ID, scores(4, 3)))
	wantCode(t, f.answer(t, users["eval2"], ev.ID, scores(4, 3)), pathway.ECONFLICT) // answered
	got, err := f.ts.GetEvaluation(ctx, a, users["eval2"].ID)
	must(t, err)
	if got.Scores["care"] != 4 || got.ScoredAt.IsZero() {
		t.Errorf("evaluation %+v", got)
	}

	f.moveTo(t, id, tenders.StatusModeration)
	mod := f.task(t, tenders.BidSubject(a), "mod-"+a, tenders.TaskModeration, pathway.RoleCommissionerLead, "")
	wantCode(t, f.answer(t, users["eval2"], mod.ID, scores(5, 3)), pathway.EFORBIDDEN)
	lv, err := f.svc.Bid(ctx, users["lead"], a)
	must(t, err)
	if len(lv.Evaluations) != 1 {
		t.Errorf("the lead sees %d evaluations", len(lv.Evaluations))
	}
	must(t, f.answer(t, users["lead"], mod.ID, scores(5, 3)))
	b, err := f.ts.GetBid(ctx, a)
	must(t, err)
	if b.Agreed == nil || b.Agreed.Scores["care"] != 5 || b.Agreed.AgreedBy != users["lead"].ID {
		t.Fatalf("agreed %+v", b.Agreed)
	}

	// The workflow ranks (here by hand) and opens the award task.
	must(t, tenders.MoveBid(b, tenders.BidAssessed, f.clock.now()))
	b.Results = []tenders.LotResult{{Lot: "north", Total: 9000, Rank: 1}}
	must(t, f.ts.UpdateBid(ctx, b, nil))
	f.moveTo(t, id, tenders.StatusAward)
	aw := f.task(t, tenders.Subject(id), "award-"+id, tenders.TaskAward, pathway.RoleCommissionerLead, "")
	err = f.answer(t, users["lead"], aw.ID, &tenders.AwardAnswer{Lots: []tenders.AwardChoice{{Lot: "north", Bid: "bd-nobody"}}})
	wantCode(t, err, pathway.EINVALID)
	must(t, f.answer(t, users["lead"], aw.ID, &tenders.AwardAnswer{Lots: []tenders.AwardChoice{{Lot: "north", Bid: a}}}))
	td, err := f.ts.GetTender(ctx, id)
	must(t, err)
	if td.Award == nil || td.Award.Lots[0].Coop != coopA || !td.Award.Lots[0].TopRanked {
		t.Fatalf("award %+v", td.Award)
	}

	f.moveTo(t, id, tenders.StatusContracting)
	f.clock.set(time.Date(2027, 6, 22, 9, 0, 0, 0, time.UTC))
	ce := f.task(t, tenders.Subject(id), "contract-"+id, tenders.TaskContractEntry, pathway.RoleCommissionerLead, "")
	err = f.answer(t, users["lead"], ce.ID, &tenders.ContractAnswer{SignedOn: "2027-06-20", Start: "2027-09-01", End: "2027-08-01", Lots: []tenders.ContractLotLine{{Lot: "north", Value: 48_000_00}}})
	wantCode(t, err, pathway.EINVALID)
	must(t, f.answer(t, users["lead"], ce.ID, &tenders.ContractAnswer{SignedOn: "2027-06-20", Start: "2027-09-01", End: "2029-08-31", Lots: []tenders.ContractLotLine{{Lot: "north", Value: 48_000_00}}}))
	td, err = f.ts.GetTender(ctx, id)
	must(t, err)
	if td.Contract == nil || td.Contract.Lots[0].Coop != coopA || td.Contract.NoticeDue != "2027-10-17" {
		t.Fatalf("contract %+v", td.Contract)
	}
	f.moveTo(t, id, tenders.StatusContracted)
	no := f.task(t, tenders.Subject(id), "uk7-"+id, tenders.TaskContractNotice, pathway.RoleCommissionerLead, "")
	must(t, f.answer(t, users["lead"], no.ID, &tenders.NoticeAnswer{PublishedOn: "2027-06-21"}))
	td, err = f.ts.GetTender(ctx, id)
	must(t, err)
	if n := td.Notices[len(td.Notices)-1]; n.Type != tenders.NoticeContractDetails || n.PublishedOn != "2027-06-21" {
		t.Errorf("notices %+v", td.Notices)
	}
	// Every answer reached the workflow, in the shapes the contract lists.
	answers := f.wf.Answers()
	if len(answers) != 5 {
		t.Fatalf("%d answers", len(answers))
	}
	var award tenders.AwardAnswer
	must(t, json.Unmarshal(answers[2].Output, &award))
	var contract tenders.ContractAnswer
	must(t, json.Unmarshal(answers[3].Output, &contract))
	if award.Lots[0].Bid != a || contract.SignedOn != "2027-06-20" || string(answers[4].Output) != `{"publishedOn":"2027-06-21"}` {
		t.Errorf("answers %s %s %s", answers[2].Output, answers[3].Output, answers[4].Output)
	}
}

// TestChallengeOutcomeEndsTheWait: a challenge recorded twice is one; the
// outcome of the last open one completes the workflow's wait.
func TestChallengeOutcomeEndsTheWait(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	id := f.published(t)
	f.bid(t, "founderA", id, coopA, 50_000_00)
	f.closeTenders(t, id)
	in := tenders.ChallengeInput{Received: "2027-06-12", From: "Birch Care Co-operative", Summary: "The price scores were added up wrongly."}
	_, err := f.svc.RecordChallenge(ctx, users["lead"], id, in)
	wantCode(t, err, pathway.ECONFLICT) // no award yet
	f.moveTo(t, id, tenders.StatusModeration, tenders.StatusAward, tenders.StatusStandstill)
	_, err = f.svc.RecordChallenge(ctx, users["eval1"], id, in)
	wantCode(t, err, pathway.EFORBIDDEN)
	_, err = f.svc.RecordChallenge(ctx, users["lead"], id, tenders.ChallengeInput{Received: "12/06/2027", From: "x", Summary: "y"})
	wantCode(t, err, pathway.EINVALID)
	var c *tenders.Challenge
	for range 2 {
		c, err = f.svc.RecordChallenge(ctx, users["lead"], id, in)
		must(t, err)
	}
	td, err := f.ts.GetTender(ctx, id)
	must(t, err)
	if len(td.Challenges) != 1 || td.Challenges[0].Status != tenders.ChallengeOpen {
		t.Fatalf("challenges %+v", td.Challenges)
	}
	wait := f.task(t, tenders.Subject(id), "wait-"+id, tenderservice.TaskWaitChallenge, pathway.RoleCommissionerLead, "")
	_, _, err = f.svc.TaskToAnswer(ctx, users["lead"], wait.ID)
	wantCode(t, err, pathway.ECONFLICT) // the machine's own wait: no person answers it
	out := tenders.ChallengeOutcome{Outcome: tenders.ChallengeDismissed, Summary: "The scores were checked and were right."}
	for range 2 {
		_, err = f.svc.DecideChallenge(ctx, users["lead"], id, c.ID, out)
		must(t, err)
	}
	got, err := f.st.GetTask(ctx, wait.ID)
	must(t, err)
	answers := f.wf.Answers()
	if got.Status != pathway.TaskCompleted || len(answers) != 1 || answers[0].Token != wait.Token {
		t.Errorf("wait %s, answers %+v", got.Status, answers)
	}
	_, err = f.svc.DecideChallenge(ctx, users["lead"], id, c.ID, tenders.ChallengeOutcome{Outcome: tenders.ChallengeUpheld, Summary: "Changed mind."})
	wantCode(t, err, pathway.ECONFLICT)
}

// TestSummaryAfterItIsSent: the bid's founders and the council read a
// summary once sent; nobody before; another co-op's founder never.
func TestSummaryAfterItIsSent(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	id := f.published(t)
	a := f.bid(t, "founderA", id, coopA, 50_000_00)
	f.closeTenders(t, id)
	_, err := f.svc.Summary(ctx, users["founderA"], a)
	wantCode(t, err, pathway.ENOTFOUND)
	must(t, f.ts.PutSummaries(ctx, []tenders.AssessmentSummary{{Bid: a, Tender: id, Coop: coopA, Scores: map[string]int{"care": 4}}}))
	td, err := f.ts.GetTender(ctx, id)
	must(t, err)
	td.Award = &tenders.Award{Lots: []tenders.LotAward{{Lot: "north", Bid: a, Coop: coopA, TopRanked: true}}, SummariesSentAt: f.clock.now().Add(time.Hour)}
	must(t, f.ts.UpdateTender(ctx, td, nil))
	for _, who := range []string{"founderA", "lead", "eval1"} {
		s, err := f.svc.Summary(ctx, users[who], a)
		must(t, err)
		if s.Scores["care"] != 4 {
			t.Errorf("%s reads %+v", who, s)
		}
	}
	_, err = f.svc.Summary(ctx, users["founderB"], a)
	wantCode(t, err, pathway.ENOTFOUND)
}
