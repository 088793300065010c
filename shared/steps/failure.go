package steps

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Failure is what a Catch puts at its ResultPath: the ASL error name and
// its cause.
type Failure struct {
	// Error is the error name, e.g. "Pathway.Invalid" or "States.Timeout".
	Error string `json:"Error"`
	// Cause is the cause; for a Lambda error, the function's error as JSON.
	Cause string `json:"Cause"`
}

// Why is the error and its cause, for an audit trail.
func (f Failure) Why() string {
	if f.Cause == "" {
		return f.Error
	}
	return f.Error + ": " + f.Cause
}

// FailureInput is the input of RecordFailure.
type FailureInput struct {
	Invocation
	// CoopID is the co-op whose workflow failed.
	CoopID string `json:"coopId"`
	// Failure is the caught error.
	Failure Failure `json:"failure"`
}

// FailureOutput reports whether the failure was recorded.
type FailureOutput struct {
	// Recorded is false when there is no co-op to record it on.
	Recorded bool `json:"recorded"`
	// Failure is the text stored on the co-op.
	Failure string `json:"failure,omitempty"`
}

// RecordFailure records a failed workflow step on the co-op (Coop.Failure)
// with an event the agency sees, and tells the agency. The workflows Catch
// every error they do not retry into it, then Fail. A missing co-op is not
// an error here: the execution still fails with the original error.
func (s *Steps) RecordFailure(ctx context.Context, in FailureInput) (*FailureOutput, error) {
	return result(s.recordFailure(ctx, in))
}

func (s *Steps) recordFailure(ctx context.Context, in FailureInput) (*FailureOutput, error) {
	if _, err := in.entered(); err != nil {
		return nil, err
	}
	if in.CoopID == "" {
		return &FailureOutput{}, nil
	}
	c, err := s.store.GetCoop(ctx, in.CoopID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return &FailureOutput{}, nil
	} else if err != nil {
		return nil, err
	}
	text := pathway.Clip(describeFailure(in.Failure), 2000)
	if c.Failure == text {
		return &FailureOutput{Recorded: true, Failure: text}, nil
	}
	e, err := s.event(in.Invocation, 0, c, "", pathway.ActionWorkflowFailed,
		"A step of the co-op's workflow failed and needs the agency's attention: "+text,
		map[string]string{"error": pathway.Clip(in.Failure.Error, 200), "execution": pathway.Clip(in.ExecutionID, 2000)})
	if err != nil {
		return nil, err
	}
	next := *c
	next.Failure, next.UpdatedAt = text, e.At
	if err := s.store.UpdateCoop(ctx, &next, e); err != nil {
		return nil, err
	}
	err = s.notify(ctx, in.Invocation, 1, &next, toAgency,
		"We told the agency that the co-op's workflow stopped and needs their attention.")
	if err != nil {
		return nil, err
	}
	return &FailureOutput{Recorded: true, Failure: text}, nil
}

// describeFailure says what failed: the error name and, for a Lambda
// error whose cause is the function's error as JSON, its message.
func describeFailure(f Failure) string {
	name, cause := strings.TrimSpace(f.Error), strings.TrimSpace(f.Cause)
	var lambdaErr struct {
		Message string `json:"errorMessage"`
	}
	if json.Unmarshal([]byte(cause), &lambdaErr) == nil && lambdaErr.Message != "" {
		cause = lambdaErr.Message
	}
	switch {
	case name == "":
		name = "Unknown error"
	case cause == "":
		return name
	}
	return name + ": " + cause
}
