package workflowtest

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantsteps"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// withdraw has a founder withdraw the application through the service,
// which answers the workflow's wait through the outbox.
func (j *grantJourney) withdraw() {
	j.t.Helper()
	j.later(time.Hour)
	svc := grantservice.New(j.store, j.grants, localsfn.New(j.engine), j.clock.Now)
	u, err := j.store.GetUser(j.ctx, founder)
	if err != nil {
		u = &pathway.User{ID: founder, Name: "Ash Example", Role: pathway.RoleFounder}
	}
	v, err := svc.Withdraw(j.ctx, u, grantApp, "We found other funding.")
	j.must(err)
	if v.Status != grants.StatusWithdrawn {
		j.t.Fatalf("withdraw answered %q, want withdrawn", v.Status)
	}
	j.engine.WaitIdle()
}

// expectWithdrawnEnd checks the workflow ended cleanly with nothing left open.
func (j *grantJourney) expectWithdrawnEnd() {
	j.t.Helper()
	j.expectExec(states.ExecSucceeded)
	j.expectApp(grants.StatusWithdrawn)
	all, err := j.store.ListTasks(j.ctx, pathway.TaskFilter{Subject: grants.Subject(grantApp)})
	j.must(err)
	for _, t := range all {
		if t.Status == pathway.TaskOpen {
			j.t.Errorf("task %s (%s) still open after the withdrawal", t.ID, t.Kind)
		}
	}
	if n := j.count(grants.ActionWithdrawn); n != 1 {
		j.t.Errorf("%d withdrawn events, want 1", n)
	}
}

func TestGrantWithdrawnInReview(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	j.review(4, 4)
	j.reviewTask() // the second reviewer's wait is pending
	j.withdraw()
	j.expectWithdrawnEnd()
}

func TestGrantWithdrawnWhileAReviewIsOverdue(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	j.later(grantsteps.ReviewDays*day + time.Minute)
	j.openOne(grantsteps.TaskReviewOverdue) // the lead's task shares the reviewer's token
	j.withdraw()
	j.expectWithdrawnEnd()
}

func TestGrantWithdrawnWithNoReviewerLeft(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	j.conflict()
	j.conflict()
	j.conflict()
	j.openOne(grantsteps.TaskNoReviewer)
	j.withdraw()
	j.expectWithdrawnEnd()
}

func TestGrantWithdrawnAwaitingDecision(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	j.twoReviews()
	j.openOne(grants.TaskDecision)
	j.withdraw()
	j.expectWithdrawnEnd()
	if n := j.count(grants.ActionRejected); n != 0 {
		t.Errorf("a withdrawn application was recorded as rejected")
	}
}

// withdrawQuietly moves the application to withdrawn without answering
// the workflow, as if the service's answers were lost: the steps must see
// the status themselves.
func (j *grantJourney) withdrawQuietly() {
	j.t.Helper()
	a := j.app()
	j.must(grants.Move(a, grants.StatusWithdrawn, j.clock.Now()))
	j.must(j.grants.UpdateApplication(j.ctx, a, &pathway.Event{ID: ulid.Make().String(), Subject: grants.Subject(grantApp),
		Coop: grantCoop, At: j.clock.Now(), Actor: founder, Action: grants.ActionWithdrawn, Summary: "Withdrawn."}))
}

// A reviewer who answers after the withdrawal: the step after the answer
// sees the status and ends the workflow, storing no review.
func TestGrantWithdrawnThenReviewed(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	task := j.reviewTask()
	j.withdrawQuietly()
	j.answer(task, task.User, grants.ReviewAnswer{Scores: map[string]int{"need": 4, "plan": 4}, Recommendation: grants.RecommendAward})
	j.expectWithdrawnEnd()
	if rs, _ := j.grants.Reviews(j.ctx, grantApp); len(rs) != 0 {
		t.Errorf("%d reviews stored for a withdrawn application", len(rs))
	}
}

// The next wake-up (the review falls overdue) finds the application
// withdrawn: the task step opens nothing and the workflow ends.
func TestGrantWithdrawnFoundAtTheNextWakeUp(t *testing.T) {
	j := newGrantJourney(t, grantAmount)
	j.reviewTask()
	j.withdrawQuietly()
	j.later(grantsteps.ReviewDays*day + time.Minute)
	j.expectWithdrawnEnd()
	if n := len(j.open(grantsteps.TaskReviewOverdue)); n != 0 {
		t.Errorf("an overdue review task was opened for a withdrawn application")
	}
}
