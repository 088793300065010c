package grantsteps

import (
	"context"
	"slices"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// The founders may withdraw an application until it is decided
// (grantservice.Withdraw): the service moves it to withdrawn, cancels its
// tasks and answers the workflow's wait with {"withdrawn":true}. The steps
// after a wait, and those that run at the next wake-up, see the status and
// send the workflow to its Withdrawn end, never to a failure.
const (
	// NextWithdrawn is NextReviewer's answer for a withdrawn application.
	NextWithdrawn = "withdrawn"
	// OutcomeWithdrawn is RecordDecision's outcome for one.
	OutcomeWithdrawn = "withdrawn"
	// ErrWithdrawn is the ASL error of a step that would open a task for a
	// withdrawn application; the waits catch it and end the workflow.
	ErrWithdrawn = "Pathway.Withdrawn"
)

// withdrawn reports whether the founders withdrew the application.
func (r *run) withdrawn() bool { return r.app.Status == grants.StatusWithdrawn }

// errWithdrawn is the error a task step returns for a withdrawn application.
func errWithdrawn(r *run) error {
	return messages.InvokeResponse_Error{Type: ErrWithdrawn, Message: "The founders withdrew the application " + r.app.ID + "."}
}

// CloseWithdrawn is the withdrawn workflow's last step: it cancels any task
// of the application still open (one opened as the founders withdrew).
func (s *Steps) CloseWithdrawn(ctx context.Context, in Input) (*OutcomeOutput, error) {
	return steps.Result(s.closeWithdrawn(ctx, in))
}

func (s *Steps) closeWithdrawn(ctx context.Context, in Input) (*OutcomeOutput, error) {
	r, err := s.start(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, r, slices.Concat(grants.TaskKinds, []string{TaskReviewOverdue, TaskNoReviewer}), "", nil, "the founders withdrew the application"); err != nil {
		return nil, err
	}
	return &OutcomeOutput{Outcome: OutcomeWithdrawn}, nil
}
