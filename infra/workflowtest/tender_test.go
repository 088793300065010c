package workflowtest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/infra/repotest"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tendersteps"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/workflowsteps"
)

// Invented records of the tender journeys.
const (
	council     = "org-example-council"
	councilLead = "user-council-lead"
	tenderID    = "td-home-care-1"
)

var evaluators = []string{"user-council-eve", "user-council-ivo"}

// tenderJourney is one tender carried through the tender workflow by the
// local engine, the tests doing what the service does on each answer
// (store the record, then complete the task and answer its token).
type tenderJourney struct {
	t       *testing.T
	ctx     context.Context
	clock   *states.FakeClock
	engine  *states.Engine
	store   *store.Store
	tenders *tenderstore.Store
}

// newTenderJourney stores a council with a lead and two evaluators, two
// co-ops registered with CQC and the tender (edit changes it), published
// with bids closing ten days after t0 (a Monday), and starts its workflow.
func newTenderJourney(t *testing.T, edit func(*tenders.Tender)) *tenderJourney {
	t.Helper()
	st, tbl := testkit.Open(t, testkit.IndexLag)
	j := &tenderJourney{t: t, ctx: context.Background(), clock: states.NewFakeClock(t0), store: st, tenders: tenderstore.New(tbl)}
	e, err := states.New(states.Options{Clock: j.clock})
	j.must(err)
	t.Cleanup(func() { _ = e.Close() })
	for id, fn := range workflowsteps.Handlers(st, st.Table(), j.clock.Now) {
		e.RegisterHandler(id, states.TypedHandler(fn))
	}
	j.must(e.LoadTemplate(filepath.Join(repotest.Root(t), "template.yaml")))
	j.engine = e
	ctx := j.ctx
	j.must(st.PutOrganisation(ctx, &pathway.Organisation{ID: council, Name: "Example Borough Council", Kind: pathway.OrgCouncil}))
	j.must(st.PutUser(ctx, &pathway.User{ID: councilLead, Name: "Lena Example", Role: pathway.RoleCommissioner, Organisation: council, Lead: true}))
	for _, ev := range evaluators {
		j.must(st.PutUser(ctx, &pathway.User{ID: ev, Name: "Evaluator " + ev[13:], Role: pathway.RoleCommissioner, Organisation: council}))
	}
	j.must(st.PutOrganisation(ctx, &pathway.Organisation{ID: agency, Name: "Moorside Co-op Development", Kind: pathway.OrgAgency}))
	j.must(st.PutProgramme(ctx, &pathway.Programme{ID: programme, Name: "Moorside Start-up", Agency: agency,
		Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	for _, id := range []string{"coop-a", "coop-b", "coop-c"} {
		j.must(st.CreateCoop(ctx, &pathway.Coop{ID: id, Name: "Example Care Co-op " + id[5:], Programme: programme,
			LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart, LocalAuthority: "Calderdale",
			Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
			Members:  []pathway.Member{{Name: "Ash Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
			Founders: []string{founder}, Stage: pathway.StageCQCRegistered, StageEnteredAt: t0, CreatedAt: t0, UpdatedAt: t0}, nil, nil))
	}
	td := &tenders.Tender{ID: tenderID, Council: council, Title: "Home care in the valley", Description: "Care at home.",
		Services: []string{"home-care"}, Areas: []string{"Calderdale"}, Value: 50_000_000,
		Lots:      []tenders.Lot{{ID: "l1", Name: "North", Value: 50_000_000}},
		Procedure: tenders.ProcedureOpen, AboveThreshold: false,
		Criteria: []tenders.Criterion{{ID: "q", Name: "Quality of care", Kind: tenders.KindQuality, Weight: 60},
			{ID: "sv", Name: "Social value", Kind: tenders.KindSocialValue, Weight: 10},
			{ID: "p", Name: "Price", Kind: tenders.KindPrice, Weight: 30}},
		Term: tenders.Term{Start: "2027-06-01", End: "2029-05-31"}, QuestionsCloseAt: t0.Add(5 * day), TendersCloseAt: t0.Add(10 * day),
		Standstill: tenders.Standstill{Applies: true, WorkingDays: 8}, Evaluators: evaluators, Status: tenders.StatusOpen,
		CreatedAt: t0, UpdatedAt: t0, PublishedAt: t0}
	if edit != nil {
		edit(td)
	}
	j.must(j.tenders.CreateTender(ctx, td, nil))
	_, err = e.StartExecution(ctx, states.StartExecutionInput{StateMachine: pathway.WorkflowTender,
		Name: "tender-" + tenderID, Input: json.RawMessage(`{"tender":"` + tenderID + `"}`)})
	j.must(err)
	e.WaitIdle()
	return j
}

func (j *tenderJourney) must(err error) {
	j.t.Helper()
	if err != nil {
		j.t.Fatal(err)
	}
}

// bid stores a co-op's bid for lot l1 at the price, and withdraws it
// when status is withdrawn, as the service does before the deadline.
func (j *tenderJourney) bid(id, coop string, price int64, status string) {
	j.t.Helper()
	b := &tenders.Bid{ID: id, Tender: tenderID, Council: council, Coop: coop, Bidder: founder,
		Lots: []tenders.LotPrice{{Lot: "l1", Price: price}}, Responses: map[string]string{"q": "Our plan.", "sv": "Local jobs."},
		Status: tenders.BidSubmitted, CreatedAt: j.clock.Now(), UpdatedAt: j.clock.Now()}
	j.must(j.tenders.CreateBid(j.ctx, b, nil))
	if status == tenders.BidWithdrawn {
		j.must(tenders.MoveBid(b, tenders.BidWithdrawn, j.clock.Now()))
		j.must(j.tenders.WithdrawBid(j.ctx, b, nil))
	}
}

func (j *tenderJourney) later(d time.Duration) {
	j.engine.WaitIdle()
	j.clock.Advance(d)
	j.engine.WaitIdle()
}

// closeBids lets the deadline pass.
func (j *tenderJourney) closeBids() { j.later(10*day + time.Minute) }

func (j *tenderJourney) tender() *tenders.Tender {
	j.t.Helper()
	td, err := j.tenders.GetTender(j.ctx, tenderID)
	j.must(err)
	return td
}

func (j *tenderJourney) getBid(id string) *tenders.Bid {
	j.t.Helper()
	b, err := j.tenders.GetBid(j.ctx, id)
	j.must(err)
	return b
}

func (j *tenderJourney) expectTender(status string) *tenders.Tender {
	j.t.Helper()
	td := j.tender()
	if td.Status != status {
		j.t.Fatalf("tender is %q, want %q\n%s", td.Status, status, j.history())
	}
	return td
}

func (j *tenderJourney) execution() *states.Execution {
	j.t.Helper()
	all, err := j.engine.ListExecutions(j.ctx, pathway.WorkflowTender, "")
	j.must(err)
	for _, ex := range all {
		if ex.Name == "tender-"+tenderID {
			return ex
		}
	}
	j.t.Fatal("no tender execution")
	return nil
}

func (j *tenderJourney) expectExec(want string) {
	j.t.Helper()
	if ex := j.execution(); ex.Status != want {
		j.t.Fatalf("tender execution is %s (%s: %s), want %s\n%s", ex.Status, ex.Error, ex.Cause, want, j.history())
	}
}

func (j *tenderJourney) history() string {
	events, err := j.engine.GetExecutionHistory(j.ctx, j.execution().ARN)
	if err != nil {
		return err.Error()
	}
	var b strings.Builder
	for _, e := range events {
		b.WriteString("  " + e.Type + " " + e.StateName)
		if e.Details["error"] != "" {
			b.WriteString(" " + e.Details["error"] + ": " + e.Details["cause"])
		}
		b.WriteString("\n")
	}
	return b.String()
}

// open returns the open tasks of the kind on the subject.
func (j *tenderJourney) open(subject pathway.Subject, kind string) []*pathway.Task {
	j.t.Helper()
	all, err := j.store.ListTasks(j.ctx, pathway.TaskFilter{Subject: subject})
	j.must(err)
	var out []*pathway.Task
	for _, t := range all {
		if t.Kind == kind && t.Status == pathway.TaskOpen {
			out = append(out, t)
		}
	}
	return out
}

func (j *tenderJourney) openOne(subject pathway.Subject, kind string) *pathway.Task {
	j.t.Helper()
	ts := j.open(subject, kind)
	if len(ts) != 1 {
		j.t.Fatalf("%d open %s tasks on %v, want 1\n%s", len(ts), kind, subject, j.history())
	}
	return ts[0]
}

// evaluationTask returns the evaluator's open task on the bid.
func (j *tenderJourney) evaluationTask(bid, evaluator string) *pathway.Task {
	j.t.Helper()
	for _, t := range j.open(tenders.BidSubject(bid), tenders.TaskEvaluation) {
		if t.User == evaluator {
			if t.Role != pathway.RoleCommissioner || t.Organisation != council {
				j.t.Fatalf("evaluation task %+v is not the council's evaluator's", t)
			}
			return t
		}
	}
	j.t.Fatalf("no evaluation task on %s for %s\n%s", bid, evaluator, j.history())
	return nil
}

// answer completes the task an hour later and sends its answer, as the
// service does.
func (j *tenderJourney) answer(task *pathway.Task, by string, output any) {
	j.t.Helper()
	j.later(time.Hour)
	body, err := json.Marshal(output)
	j.must(err)
	_, err = j.store.CompleteTask(j.ctx, task.ID, pathway.TaskCompletion{By: by, At: j.clock.Now(), Status: pathway.TaskCompleted, Outcome: body})
	j.must(err)
	j.must(j.engine.SendTaskSuccess(j.ctx, task.Token, body))
	j.engine.WaitIdle()
}

// conflict has the evaluator declare a conflict with the bid.
func (j *tenderJourney) conflict(bid, evaluator string) {
	j.t.Helper()
	task := j.evaluationTask(bid, evaluator)
	_, err := j.tenders.Declare(j.ctx, &tenders.Evaluation{Bid: bid, Tender: tenderID, Evaluator: evaluator, Conflict: true,
		Reason: "A relative works there.", Declared: j.clock.Now()}, nil)
	j.must(err)
	j.answer(task, evaluator, map[string]any{"conflict": true, "reason": "A relative works there."})
}

// evaluate has the evaluator declare no conflict and score the bid.
func (j *tenderJourney) evaluate(bid, evaluator string, q, sv int) {
	j.t.Helper()
	task := j.evaluationTask(bid, evaluator)
	ans := tenders.ScoresAnswer{Scores: map[string]int{"q": q, "sv": sv}, Reasons: map[string]string{"q": "Clear.", "sv": "Local."}}
	_, err := j.tenders.Declare(j.ctx, &tenders.Evaluation{Bid: bid, Tender: tenderID, Evaluator: evaluator, Declared: j.clock.Now()}, nil)
	j.must(err)
	_, err = j.tenders.PutEvaluation(j.ctx, &tenders.Evaluation{Bid: bid, Tender: tenderID, Evaluator: evaluator,
		Scores: ans.Scores, Reasons: ans.Reasons, Declared: j.clock.Now(), ScoredAt: j.clock.Now()}, nil)
	j.must(err)
	j.answer(task, evaluator, ans)
}

// moderate has the lead agree the bid's scores.
func (j *tenderJourney) moderate(bid string, q, sv int) {
	j.t.Helper()
	task := j.openOne(tenders.BidSubject(bid), tenders.TaskModeration)
	if task.Role != pathway.RoleCommissionerLead || task.Organisation != council {
		j.t.Fatalf("moderation task %+v is not the council lead's", task)
	}
	ans := tenders.ScoresAnswer{Scores: map[string]int{"q": q, "sv": sv}, Reasons: map[string]string{"q": "Agreed.", "sv": "Agreed."}}
	b := j.getBid(bid)
	b.Agreed = &tenders.Moderation{Scores: ans.Scores, Reasons: ans.Reasons, AgreedBy: councilLead, AgreedAt: j.clock.Now()}
	j.must(j.tenders.UpdateBid(j.ctx, b, nil))
	j.answer(task, councilLead, ans)
}

// award has the lead choose the bid for lot l1.
func (j *tenderJourney) award(bid, reason string) {
	j.t.Helper()
	task := j.openOne(tenders.Subject(tenderID), tenders.TaskAward)
	if task.Role != pathway.RoleCommissionerLead {
		j.t.Fatalf("award task for %q, want the council's lead", task.Role)
	}
	b := j.getBid(bid)
	td := j.tender()
	td.Award = &tenders.Award{Lots: []tenders.LotAward{{Lot: "l1", Bid: bid, Coop: b.Coop, TopRanked: b.Results[0].Rank == 1, Reason: reason}},
		DecidedBy: councilLead, DecidedAt: j.clock.Now()}
	j.must(j.tenders.UpdateTender(j.ctx, td, nil))
	j.answer(task, councilLead, tenders.AwardAnswer{Lots: []tenders.AwardChoice{{Lot: "l1", Bid: bid, Reason: reason}}})
}

// contract has the lead record the contract signed on the day.
func (j *tenderJourney) contract(signedOn string) {
	j.t.Helper()
	task := j.openOne(tenders.Subject(tenderID), tenders.TaskContractEntry)
	td := j.tender()
	ans := tenders.ContractAnswer{SignedOn: signedOn, Start: "2027-06-01", End: "2029-05-31", Lots: []tenders.ContractLotLine{{Lot: "l1", Value: 48_000_000}}}
	td.Contract = &tenders.Contract{SignedOn: signedOn, Start: ans.Start, End: ans.End,
		Lots: []tenders.ContractLot{{Lot: "l1", Bid: td.Award.Lots[0].Bid, Coop: td.Award.Lots[0].Coop, Value: 48_000_000}}, RecordedBy: councilLead}
	j.must(j.tenders.UpdateTender(j.ctx, td, nil))
	j.answer(task, councilLead, ans)
}

// noticeTask checks the UK7 task is due on the day, UK time.
func (j *tenderJourney) noticeTask(due string) *pathway.Task {
	j.t.Helper()
	task := j.openOne(tenders.Subject(tenderID), tenders.TaskContractNotice)
	if got := task.Due.In(pathway.UKTime).Format(time.DateOnly); got != due || task.Role != pathway.RoleCommissionerLead {
		j.t.Fatalf("UK7 task due %s for %q, want %s for the lead", got, task.Role, due)
	}
	if td := j.tender(); td.Contract.NoticeDue != due {
		j.t.Fatalf("contract notice due %q, want %q", td.Contract.NoticeDue, due)
	}
	return task
}

func (j *tenderJourney) coopStage(id string) string {
	j.t.Helper()
	c, err := j.store.GetCoop(j.ctx, id)
	j.must(err)
	return c.Stage
}

func TestTenderNoBids(t *testing.T) {
	j := newTenderJourney(t, nil)
	j.bid("bid-gone", "coop-a", 40_000_000, tenders.BidWithdrawn) // withdrawn before the deadline: not a bid in
	j.later(10*day - time.Minute)
	j.expectTender(tenders.StatusOpen)
	j.later(2 * time.Minute)
	j.expectTender(tenders.StatusNoBids)
	j.expectExec(states.ExecSucceeded)
	if n := len(j.open(tenders.BidSubject("bid-gone"), tenders.TaskEvaluation)); n != 0 {
		t.Errorf("%d evaluation tasks on a withdrawn bid", n)
	}
}

// TestTenderAwardToAnotherWithChallenge: a withdrawn bid is never
// evaluated; an evaluator's conflict excludes them from one bid for good;
// moderation changes a score (and with it the ranking); the lead awards
// to the second-ranked with a reason; standstill (8 working days) is
// held by a challenge until its outcome; the contract is entered into and
// the UK7 notice falls due 30 days after.
func TestTenderAwardToAnotherWithChallenge(t *testing.T) {
	j := newTenderJourney(t, nil)
	j.bid("bid-a", "coop-a", 40_000_000, tenders.BidSubmitted)
	j.bid("bid-b", "coop-b", 45_000_000, tenders.BidSubmitted)
	j.bid("bid-c", "coop-c", 30_000_000, tenders.BidWithdrawn)
	j.closeBids()
	j.expectTender(tenders.StatusEvaluation)
	if n := len(j.open(tenders.BidSubject("bid-c"), tenders.TaskEvaluation)); n != 0 {
		t.Fatalf("%d evaluation tasks on the withdrawn bid", n)
	}
	if n := len(j.open(tenders.BidSubject("bid-a"), tenders.TaskEvaluation)); n != 2 {
		t.Fatalf("%d evaluation tasks on bid-a, want one per evaluator", n)
	}
	j.conflict("bid-a", evaluators[0])
	if ok, _ := j.tenders.IsExcluded(j.ctx, "bid-a", evaluators[0]); !ok {
		t.Errorf("the evaluator who declared a conflict is not excluded")
	}
	if n := len(j.open(tenders.BidSubject("bid-a"), tenders.TaskEvaluation)); n != 1 {
		t.Errorf("%d evaluation tasks on bid-a after the conflict, want the other evaluator's only", n)
	}
	j.evaluate("bid-a", evaluators[1], 4, 3)
	j.evaluate("bid-b", evaluators[0], 4, 4)
	j.expectTender(tenders.StatusEvaluation) // one evaluation still out
	j.evaluate("bid-b", evaluators[1], 4, 4)
	j.expectTender(tenders.StatusModeration)

	// The evaluators gave bid-a 4 for quality; the lead agrees 5, which
	// puts bid-a first.
	j.moderate("bid-a", 5, 3)
	j.moderate("bid-b", 4, 4)
	j.expectTender(tenders.StatusAward)
	a, b := j.getBid("bid-a"), j.getBid("bid-b")
	if a.Status != tenders.BidAssessed || a.Results[0].Rank != 1 || b.Results[0].Rank != 2 {
		t.Fatalf("ranks a=%+v b=%+v, want bid-a first after moderation", a.Results, b.Results)
	}
	if a.Agreed.Scores["q"] != 5 {
		t.Errorf("agreed quality %d, want the moderated 5", a.Agreed.Scores["q"])
	}

	// Award to the second-ranked, with a reason.
	j.award("bid-b", "bid-a cannot staff the north lot from June.")
	td := j.expectTender(tenders.StatusStandstill)
	// Published Thursday 11 March 2027: 8 working days, that day the
	// first, to Tuesday 23 March: Wednesday 17 March, St Patrick's Day, is
	// a bank holiday in Northern Ireland and so no working day (s.123).
	published := j.clock.Now().In(pathway.UKTime).Format(time.DateOnly)
	if td.Period == nil || td.Period.From != published || td.Period.LastDay != "2027-03-23" || td.Period.EnterFrom != "2027-03-24" {
		t.Fatalf("standstill %+v from %s, want to 2027-03-23", td.Period, published)
	}
	if td.Award.SummariesSentAt.IsZero() || len(td.Notices) != 1 || td.Notices[0].Type != tenders.NoticeAward || td.Notices[0].PublishedOn != published {
		t.Errorf("award %+v notices %+v, want summaries sent and UK6 published today", td.Award, td.Notices)
	}
	if j.getBid("bid-b").Status != tenders.BidWon || j.getBid("bid-a").Status != tenders.BidLost {
		t.Errorf("bid statuses b=%s a=%s, want won and lost", j.getBid("bid-b").Status, j.getBid("bid-a").Status)
	}
	for _, id := range []string{"bid-a", "bid-b"} {
		sum, err := j.tenders.GetSummary(j.ctx, id)
		if err != nil || len(sum.Lots) != 1 || sum.Lots[0].Won != (id == "bid-b") {
			t.Errorf("summary of %s: %+v, %v", id, sum, err)
		}
	}
	if _, err := j.tenders.GetSummary(j.ctx, "bid-c"); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("the withdrawn bid has a summary: %v", err)
	}

	// A challenge during standstill holds the contract back.
	td.Challenges = []tenders.Challenge{{ID: "ch-1", Received: published, From: "Example Care Co-op a", Summary: "The reason is wrong.", Status: tenders.ChallengeOpen}}
	j.must(j.tenders.UpdateTender(j.ctx, td, nil))
	j.later(time.Date(2027, 3, 24, 0, 0, 0, 0, pathway.UKTime).Sub(j.clock.Now()) - time.Minute)
	j.expectTender(tenders.StatusStandstill)
	if n := len(j.open(tenders.Subject(tenderID), tendersteps.TaskWaitChallenge)); n != 0 {
		t.Fatalf("standstill's end was looked at before its day")
	}
	j.later(2 * time.Minute)
	j.expectTender(tenders.StatusStandstill)
	wait := j.openOne(tenders.Subject(tenderID), tendersteps.TaskWaitChallenge)
	if wait.Organisation != "" || wait.User != "" {
		t.Errorf("the challenge wait %+v is in someone's inbox", wait)
	}
	if n := len(j.open(tenders.Subject(tenderID), tenders.TaskContractEntry)); n != 0 {
		t.Fatalf("contract task open while a challenge is open")
	}
	// The council records the outcome; the service answers the wait.
	td = j.tender()
	td.Challenges[0].Status, td.Challenges[0].Outcome = tenders.ChallengeDismissed, "The reason is sound."
	j.must(j.tenders.UpdateTender(j.ctx, td, nil))
	j.answer(wait, councilLead, map[string]string{"challenge": "ch-1"})
	j.expectTender(tenders.StatusContracting)

	j.contract("2027-04-01")
	j.expectTender(tenders.StatusContracted)
	j.noticeTask("2027-04-30")
	if got := j.coopStage("coop-b"); got != pathway.StageContracted {
		t.Errorf("the winner's co-op is at %q, want contracted", got)
	}
	if got := j.coopStage("coop-a"); got != pathway.StageCQCRegistered {
		t.Errorf("the losing co-op is at %q", got)
	}
	j.answer(j.noticeTask("2027-04-30"), councilLead, tenders.NoticeAnswer{PublishedOn: "2027-04-20"})
	j.expectExec(states.ExecSucceeded)
	if td := j.tender(); td.Notices[len(td.Notices)-1].PublishedOn != "2027-04-20" {
		t.Errorf("notices %+v, want UK7 published", td.Notices)
	}
}

// TestTenderLightTouchBelowMinimum: a bid below the minimum quality score
// is out; the lead awards to the top; a light-touch contract with no
// standstill goes straight to contracting; the UK7 notice is due in 120
// days.
func TestTenderLightTouchBelowMinimum(t *testing.T) {
	j := newTenderJourney(t, func(td *tenders.Tender) {
		td.LightTouch, td.MinQuality, td.Standstill = true, 50, tenders.Standstill{Applies: false}
		td.Evaluators = evaluators[:1]
	})
	j.bid("bid-a", "coop-a", 40_000_000, tenders.BidSubmitted)
	j.bid("bid-b", "coop-b", 45_000_000, tenders.BidSubmitted)
	j.closeBids()
	j.evaluate("bid-a", evaluators[0], 2, 3)
	j.evaluate("bid-b", evaluators[0], 4, 4)
	j.moderate("bid-a", 2, 3) // 40% of the quality marks: below 50%
	j.moderate("bid-b", 4, 4)
	j.expectTender(tenders.StatusAward)
	if a := j.getBid("bid-a"); a.Status != tenders.BidBelowMin || len(a.Results) > 0 && a.Results[0].Rank != 0 {
		t.Fatalf("bid-a is %s rank %+v, want below-minimum and unranked", a.Status, a.Results)
	}
	j.award("bid-b", "")
	td := j.expectTender(tenders.StatusContracting)
	if td.Period != nil || !td.Award.Lots[0].TopRanked {
		t.Errorf("period %+v, award %+v: want no standstill and the top-ranked", td.Period, td.Award)
	}
	// A bid below the minimum was assessed, so it is told why it is out (s.50).
	if sum, err := j.tenders.GetSummary(j.ctx, "bid-a"); err != nil || sum.Coop != "coop-a" || sum.Scores["q"] != 2 {
		t.Errorf("the below-minimum bid's summary %+v, %v", sum, err)
	}
	j.contract("2027-04-01")
	j.noticeTask("2027-07-29")
	if got := j.coopStage("coop-b"); got != pathway.StageContracted {
		t.Errorf("the winner's co-op is at %q, want contracted", got)
	}
}

// TestTenderOverdueEvaluationGoesToTheLead: evaluations not in on time
// give the lead a task each, whose answer goes on without them; each is
// in the tender's audit trail.
func TestTenderOverdueEvaluationGoesToTheLead(t *testing.T) {
	j := newTenderJourney(t, nil)
	j.bid("bid-a", "coop-a", 40_000_000, tenders.BidSubmitted)
	j.closeBids()
	first := j.evaluationTask("bid-a", evaluators[0])
	if want := tendersteps.EvaluationDays * day; first.Due.Sub(first.CreatedAt) != want {
		t.Errorf("the evaluation is due %v after it opened, want %v", first.Due.Sub(first.CreatedAt), want)
	}
	// From the task's own due time: the deadline's Wait may fire while
	// the clock is still advancing, so the tasks open before it stops.
	j.later(first.Due.Sub(j.clock.Now()) - time.Minute)
	if n := len(j.open(tenders.BidSubject("bid-a"), tendersteps.TaskEvaluationOverdue)); n != 0 {
		t.Fatalf("escalated before the evaluations were due")
	}
	j.later(2 * time.Minute)
	leads := j.open(tenders.BidSubject("bid-a"), tendersteps.TaskEvaluationOverdue)
	if len(leads) != 2 {
		t.Fatalf("%d overdue tasks, want one per overdue evaluation\n%s", len(leads), j.history())
	}
	for _, lead := range leads {
		if lead.Role != pathway.RoleCommissionerLead || lead.Organisation != council {
			t.Errorf("overdue task %+v, want the council lead's", lead)
		}
	}
	if again := j.evaluationTask("bid-a", evaluators[0]); again.ID == first.ID {
		t.Errorf("the overdue evaluation was not re-opened")
	}
	if n := j.count(tenders.Subject(tenderID), tendersteps.ActionEvaluationOverdue); n != 2 {
		t.Errorf("%d overdue events, want 2", n)
	}
	// The lead goes on without one (the evaluator whose task holds the
	// same token); the other evaluator answers late.
	late := evaluators[1]
	if j.evaluationTask("bid-a", evaluators[1]).Token == leads[0].Token {
		late = evaluators[0]
	}
	j.answer(leads[0], councilLead, map[string]string{"outcome": "excuse"})
	j.expectTender(tenders.StatusEvaluation)
	j.evaluate("bid-a", late, 3, 3)
	j.expectTender(tenders.StatusModeration)
	if n := len(j.open(tenders.BidSubject("bid-a"), tenders.TaskEvaluation)) + len(j.open(tenders.BidSubject("bid-a"), tendersteps.TaskEvaluationOverdue)); n != 0 {
		t.Errorf("%d evaluation tasks left after the lead went on", n)
	}
}

// count returns how many of the subject's events have the action.
func (j *tenderJourney) count(subject pathway.Subject, action string) int {
	j.t.Helper()
	page, err := j.store.ListEvents(j.ctx, subject, "", pathway.MaxPageSize)
	j.must(err)
	n := 0
	for _, e := range page.Events {
		if e.Action == action {
			n++
		}
	}
	return n
}

// TestTenderEveryBidBelowMinimum: with no bid above the minimum quality
// score nothing can be awarded, and the procurement ends.
func TestTenderEveryBidBelowMinimum(t *testing.T) {
	j := newTenderJourney(t, func(td *tenders.Tender) { td.MinQuality, td.Evaluators = 60, evaluators[:1] })
	j.bid("bid-a", "coop-a", 40_000_000, tenders.BidSubmitted)
	j.closeBids()
	j.evaluate("bid-a", evaluators[0], 2, 2)
	j.moderate("bid-a", 2, 2)
	j.expectTender(tenders.StatusCancelled)
	j.expectExec(states.ExecSucceeded)
	if b := j.getBid("bid-a"); b.Status != tenders.BidBelowMin {
		t.Errorf("bid is %s, want below-minimum", b.Status)
	}
	if n := len(j.open(tenders.Subject(tenderID), tenders.TaskAward)); n != 0 {
		t.Errorf("an award task with no bid to award")
	}
}

// TestTenderCancelledDuringEvaluation: the council cancels the tender and
// the service answers the open waits; the workflow closes every task left
// and ends.
func TestTenderCancelledDuringEvaluation(t *testing.T) {
	j := newTenderJourney(t, nil)
	j.bid("bid-a", "coop-a", 40_000_000, tenders.BidSubmitted)
	j.bid("bid-b", "coop-b", 45_000_000, tenders.BidSubmitted)
	j.closeBids()
	j.evaluate("bid-a", evaluators[0], 4, 4)
	if n := len(j.open(tenders.BidSubject("bid-b"), tenders.TaskEvaluation)); n != 2 {
		t.Fatalf("%d evaluation tasks open on bid-b, want 2", n)
	}
	td := j.tender()
	j.must(tenders.Move(td, tenders.StatusCancelled, j.clock.Now()))
	j.must(j.tenders.UpdateTender(j.ctx, td, nil))
	j.answer(j.evaluationTask("bid-a", evaluators[1]), councilLead, map[string]bool{"cancelled": true})
	j.expectExec(states.ExecSucceeded)
	j.expectTender(tenders.StatusCancelled)
	for _, bid := range []string{"bid-a", "bid-b"} {
		all, err := j.store.ListTasks(j.ctx, pathway.TaskFilter{Subject: tenders.BidSubject(bid)})
		j.must(err)
		for _, task := range all {
			if task.Status == pathway.TaskOpen {
				t.Errorf("task %s is still open after the cancellation", task.ID)
			}
		}
	}
	if n := len(j.open(tenders.BidSubject("bid-a"), tenders.TaskModeration)); n != 0 {
		t.Errorf("moderation opened for a cancelled tender")
	}
}

// TestTenderVoluntaryStandstillEndsOnItsDay: a light-touch contract with
// the voluntary standstill (on by default) waits for it, and with no
// challenge the contract may be entered into on the first day after it.
func TestTenderVoluntaryStandstillEndsOnItsDay(t *testing.T) {
	j := newTenderJourney(t, func(td *tenders.Tender) { td.LightTouch, td.Evaluators = true, evaluators[:1] })
	j.bid("bid-a", "coop-a", 40_000_000, tenders.BidSubmitted)
	j.closeBids()
	j.evaluate("bid-a", evaluators[0], 4, 4)
	j.moderate("bid-a", 4, 4)
	j.award("bid-a", "")
	td := j.expectTender(tenders.StatusStandstill)
	enter, err := time.ParseInLocation(time.DateOnly, td.Period.EnterFrom, pathway.UKTime)
	j.must(err)
	j.later(enter.Sub(j.clock.Now()) - time.Minute)
	j.expectTender(tenders.StatusStandstill)
	if n := len(j.open(tenders.Subject(tenderID), tenders.TaskContractEntry)); n != 0 {
		t.Fatalf("the contract task opened during standstill")
	}
	j.later(2 * time.Minute)
	j.expectTender(tenders.StatusContracting)
	j.contract(td.Period.EnterFrom)
	j.noticeTask(tenders.ContractNoticeDue(j.tender(), td.Period.EnterFrom))
	if n := len(j.open(tenders.Subject(tenderID), tendersteps.TaskWaitChallenge)); n != 0 {
		t.Errorf("a challenge wait with no challenge")
	}
}
