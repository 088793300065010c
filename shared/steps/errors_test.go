package steps_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// TestErrorNames invokes steps the way the local engine and the Lambda
// runtime do (lambda.NewHandler with a JSON payload) and checks the error
// name the workflow sees, and that the message names the field at fault.
func TestErrorNames(t *testing.T) {
	f := newFixture(t)
	inv := `"executionId":"arn:exec","state":"S","enteredTime":"2027-02-01T09:30:00.000Z"`
	tests := []struct {
		name     string
		handler  any
		payload  string
		wantType string
		wantMsg  string
	}{
		{"unknown co-op", f.steps.ScreenEligibility, `{` + inv + `,"coopId":"coop-nobody"}`, steps.ErrNotFound, "could not be found"},
		{"missing co-op ID", f.steps.ValidateApplication, `{` + inv + `}`, steps.ErrInvalid, "coopId: Enter the co-op ID"},
		{"missing context", f.steps.ScreenEligibility, `{"coopId":"coop-holme"}`, steps.ErrInvalid, "enteredTime: Enter the time"},
		{"bad entered time", f.steps.RecordIneligible, `{"executionId":"e","state":"s","enteredTime":"yesterday","coopId":"coop-holme","reasons":["x"]}`, steps.ErrInvalid, "enteredTime"},
		{"missing task token", f.steps.OpenPanelTask, `{` + inv + `,"coopId":"coop-holme"}`, steps.ErrInvalid, "taskToken: Enter the task token"},
		{"unknown panel outcome", f.steps.RecordPanelOutcome, `{` + inv + `,"coopId":"coop-holme","decision":{"outcome":"maybe"}}`, steps.ErrInvalid, "decision.outcome: Must be one of: accept, decline, defer"},
		{"decline without reasons", f.steps.RecordPanelOutcome, `{` + inv + `,"coopId":"coop-holme","decision":{"outcome":"decline"}}`, steps.ErrInvalid, "decision.notes"},
		{"panel outcome at the wrong stage", f.steps.RecordPanelOutcome, `{` + inv + `,"coopId":"coop-holme","decision":{"outcome":"accept"}}`, steps.ErrInvalid, `at the "applied" stage`},
		{"submission date in the future", f.steps.RecordSubmitted, `{` + inv + `,"coopId":"coop-holme","submission":{"submittedOn":"2027-02-02"}}`, steps.ErrInvalid, "submission.submittedOn: Must not be in the future"},
		{"submission date malformed", f.steps.RecordSubmitted, `{` + inv + `,"coopId":"coop-holme","submission":{"submittedOn":"1/2/2027"}}`, steps.ErrInvalid, "submission.submittedOn: Enter a date"},
		{"registered without provider ID", f.steps.RecordDecision, `{` + inv + `,"coopId":"coop-holme","decision":{"outcome":"registered"}}`, steps.ErrInvalid, "decision.providerId"},
		{"unknown decision phase", f.steps.OpenDecisionTask, `{` + inv + `,"coopId":"coop-holme","taskToken":"t","phase":"later"}`, steps.ErrInvalid, "phase"},
		{"ready before preparing", f.steps.MarkCQCReady, `{` + inv + `,"coopId":"coop-holme"}`, steps.ErrInvalid, "cannot be marked ready for CQC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lambda.NewHandler(tt.handler).Invoke(context.Background(), []byte(tt.payload))
			var lerr messages.InvokeResponse_Error
			if !errors.As(err, &lerr) {
				t.Fatalf("error = %#v, want a messages.InvokeResponse_Error", err)
			}
			if lerr.Type != tt.wantType || !strings.Contains(lerr.Message, tt.wantMsg) {
				t.Errorf("error = %s %q, want %s containing %q", lerr.Type, lerr.Message, tt.wantType, tt.wantMsg)
			}
		})
	}
	if got := f.coopNow(); got.Stage != pathway.StageApplied || got.Version != 1 {
		t.Errorf("failed steps changed the co-op: stage %s version %d", got.Stage, got.Version)
	}
}

// A stale version (someone else updated the co-op between the step's read
// and its write) is a conflict, which the workflows retry.
func TestConflictIsRetryable(t *testing.T) {
	f := newFixture(t)
	f.toAwaitingPanel()
	// Another writer moves the co-op on while a step holds an old copy.
	c := f.coopNow()
	stale := *c
	c.Name = "Holme Valley Care Co-op"
	must(t, f.store.UpdateCoop(f.ctx, c, nil))
	err := f.store.UpdateCoop(f.ctx, &stale, nil)
	if pathway.ErrorCode(err) != pathway.ECONFLICT {
		t.Fatalf("stale update = %v, want a conflict", err)
	}
	// The store's own conflict error reaches the workflow as Pathway.Conflict.
	_, err = lambda.NewHandler(func(context.Context, json.RawMessage) (any, error) {
		return nil, steps.Error(err)
	}).Invoke(f.ctx, []byte(`{}`))
	var lerr messages.InvokeResponse_Error
	if !errors.As(err, &lerr) || lerr.Type != steps.ErrConflict {
		t.Errorf("conflict reported as %#v, want %s", err, steps.ErrConflict)
	}
}

func TestErrorMapsEveryCode(t *testing.T) {
	tests := []struct {
		err      error
		wantType string
		wantMsg  string
	}{
		{pathway.Errorf(pathway.EINVALID, "bad"), steps.ErrInvalid, "bad"},
		{pathway.NotFound("co-op"), steps.ErrNotFound, "That co-op could not be found."},
		{pathway.Errorf(pathway.ECONFLICT, "stale"), steps.ErrConflict, "stale"},
		{pathway.Errorf(pathway.EUNAUTHORIZED, "who"), steps.ErrUnauthorized, "who"},
		{pathway.Errorf(pathway.EFORBIDDEN, "no"), steps.ErrForbidden, "no"},
		{errors.New("dynamodb: connection reset by peer"), steps.ErrInternal, "Something went wrong on our side"},
	}
	for _, tt := range tests {
		var lerr messages.InvokeResponse_Error
		if err := steps.Error(tt.err); !errors.As(err, &lerr) || lerr.Type != tt.wantType || !strings.Contains(lerr.Message, tt.wantMsg) {
			t.Errorf("Error(%v) = %#v, want %s with %q", tt.err, err, tt.wantType, tt.wantMsg)
		}
		if strings.Contains(lerr.Message, "dynamodb") {
			t.Errorf("internal detail reached the message: %q", lerr.Message)
		}
	}
	if steps.Error(nil) != nil {
		t.Error("Error(nil) is not nil")
	}
}
