package workflowtest

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tendersteps"
)

// The tender cancellation paths: the lead cancels through the service,
// which answers every open wait through the outbox; waits on timestamps
// end at their time; each path ends in Cancelled with no task left open
// and the procurement termination notice (UK12) on the tender.

// cancel has the council's lead cancel the tender through the service.
func (j *tenderJourney) cancel(reason string) {
	j.t.Helper()
	j.engine.WaitIdle()
	svc := tenderservice.New(j.store, j.tenders, localsfn.New(j.engine), j.clock.Now)
	lead := &pathway.User{ID: councilLead, Name: "Lena Example", Role: pathway.RoleCommissioner, Organisation: council, Lead: true}
	_, err := svc.Cancel(j.ctx, lead, tenderID, reason)
	j.must(err)
	j.engine.WaitIdle()
}

// expectCancelled checks the path's end: the execution succeeded through
// CloseCancelled, the tender is cancelled with its reason and UK12, and
// no task of the tender or its bids is open.
func (j *tenderJourney) expectCancelled(reason string, bids ...string) {
	j.t.Helper()
	j.expectExec(states.ExecSucceeded)
	h := j.history()
	if !strings.Contains(h, "CloseCancelled") || strings.Contains(h, "RecordFailure") {
		j.t.Errorf("the execution did not end through CloseCancelled:\n%s", h)
	}
	td := j.expectTender(tenders.StatusCancelled)
	if td.Cancellation == nil || td.Cancellation.Reason != reason {
		j.t.Errorf("cancellation %+v, want the reason %q", td.Cancellation, reason)
	}
	if _, ok := td.NoticeOf(tenders.NoticeTermination); !ok {
		j.t.Errorf("no UK12 notice: %+v", td.Notices)
	}
	subjects := []pathway.Subject{tenders.Subject(tenderID)}
	for _, b := range bids {
		subjects = append(subjects, tenders.BidSubject(b))
	}
	for _, s := range subjects {
		all, err := j.store.ListTasks(j.ctx, pathway.TaskFilter{Subject: s})
		j.must(err)
		for _, task := range all {
			if task.Status == pathway.TaskOpen {
				j.t.Errorf("task %s (%s) is still open after the cancellation", task.ID, task.Kind)
			}
		}
	}
}

// TestTenderCancelledWhileOpen: cancelled with bids in before the
// deadline, the workflow's wait ends at the deadline and the Close step
// finds it cancelled: no evaluation opens.
func TestTenderCancelledWhileOpen(t *testing.T) {
	j := newTenderJourney(t, nil)
	j.bid("bid-a", "coop-a", 40_000_000, tenders.BidSubmitted)
	j.bid("bid-b", "coop-b", 45_000_000, tenders.BidSubmitted)
	j.later(2 * day)
	j.cancel("The service is to be provided in house.")
	j.expectTender(tenders.StatusCancelled)
	j.closeBids()
	j.expectCancelled("The service is to be provided in house.", "bid-a", "bid-b")
	if n := len(j.open(tenders.BidSubject("bid-a"), tenders.TaskEvaluation)); n != 0 {
		t.Errorf("an evaluation opened for a cancelled tender")
	}
}

// TestTenderCancelledDuringEvaluationByTheLead: the lead cancels while
// evaluations are open; the service answers them and the workflow ends
// at once, without waiting for the evaluators.
func TestTenderCancelledDuringEvaluationByTheLead(t *testing.T) {
	j := newTenderJourney(t, nil)
	j.bid("bid-a", "coop-a", 40_000_000, tenders.BidSubmitted)
	j.bid("bid-b", "coop-b", 45_000_000, tenders.BidSubmitted)
	j.closeBids()
	j.evaluate("bid-a", evaluators[0], 4, 4)
	if n := len(j.open(tenders.BidSubject("bid-b"), tenders.TaskEvaluation)); n != 2 {
		t.Fatalf("%d evaluation tasks open on bid-b, want 2", n)
	}
	j.cancel("The budget was withdrawn.")
	j.expectCancelled("The budget was withdrawn.", "bid-a", "bid-b")
	if n := len(j.open(tenders.BidSubject("bid-a"), tenders.TaskModeration)); n != 0 {
		t.Errorf("moderation opened for a cancelled tender")
	}
}

// awardedInStandstill carries a one-bid tender to standstill.
func awardedInStandstill(t *testing.T) *tenderJourney {
	j := newTenderJourney(t, func(td *tenders.Tender) { td.Evaluators = evaluators[:1] })
	j.bid("bid-a", "coop-a", 40_000_000, tenders.BidSubmitted)
	j.closeBids()
	j.evaluate("bid-a", evaluators[0], 4, 4)
	j.moderate("bid-a", 4, 4)
	j.award("bid-a", "")
	j.expectTender(tenders.StatusStandstill)
	return j
}

// TestTenderCancelledDuringStandstill: the wait for standstill's end
// ends on its day, and the step after it finds the tender cancelled: no
// contract task opens.
func TestTenderCancelledDuringStandstill(t *testing.T) {
	j := awardedInStandstill(t)
	enterFrom := j.tender().Period.EnterFrom
	j.cancel("A flaw in the evaluation was found.")
	j.expectExec(states.ExecRunning) // until standstill's end
	enter, err := time.ParseInLocation(time.DateOnly, enterFrom, pathway.UKTime)
	j.must(err)
	j.later(enter.Sub(j.clock.Now()) + time.Minute)
	j.expectCancelled("A flaw in the evaluation was found.", "bid-a")
	if n := len(j.open(tenders.Subject(tenderID), tenders.TaskContractEntry)); n != 0 {
		t.Errorf("a contract task opened for a cancelled tender")
	}
}

// TestTenderCancelledWhileChallenged: standstill ended with a challenge
// open, so the workflow waits on it; cancelling answers that wait.
func TestTenderCancelledWhileChallenged(t *testing.T) {
	j := awardedInStandstill(t)
	td := j.tender()
	td.Challenges = []tenders.Challenge{{ID: "ch-1", Received: td.Period.From, From: "Example Care Co-op b", Summary: "The scores are wrong.", Status: tenders.ChallengeOpen}}
	j.must(j.tenders.UpdateTender(j.ctx, td, nil))
	enter, err := time.ParseInLocation(time.DateOnly, td.Period.EnterFrom, pathway.UKTime)
	j.must(err)
	j.later(enter.Sub(j.clock.Now()) + time.Minute)
	j.openOne(tenders.Subject(tenderID), tendersteps.TaskWaitChallenge)
	j.cancel("The challenge was upheld in part; the council will start again.")
	j.expectCancelled("The challenge was upheld in part; the council will start again.", "bid-a")
}

// TestTenderCancelledDuringModerationAndAward: the lead's own waits
// (moderation, then the award decision) end at once when cancelled.
func TestTenderCancelledDuringModerationAndAward(t *testing.T) {
	for _, stage := range []string{"moderation", "award"} {
		t.Run(stage, func(t *testing.T) {
			j := newTenderJourney(t, func(td *tenders.Tender) { td.Evaluators = evaluators[:1] })
			j.bid("bid-a", "coop-a", 40_000_000, tenders.BidSubmitted)
			j.closeBids()
			j.evaluate("bid-a", evaluators[0], 4, 4)
			if stage == "award" {
				j.moderate("bid-a", 4, 4)
				j.openOne(tenders.Subject(tenderID), tenders.TaskAward)
			} else {
				j.openOne(tenders.BidSubject("bid-a"), tenders.TaskModeration)
			}
			j.cancel("Demand fell.")
			j.expectCancelled("Demand fell.", "bid-a")
		})
	}
}
