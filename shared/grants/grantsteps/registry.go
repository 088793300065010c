package grantsteps

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// FunctionID is the grant workflow's function in template.yaml; its state
// machine's DefinitionSubstitutions give its ARN as ${GrantFunctionArn}.
const FunctionID = "GrantFunction"

// Grant is the grant workflow's steps by the name its Task states give in
// their payload's "step" field (steps.StepField), as shared/steps'
// registries are.
var Grant = Registry{
	"screen-application":      StepOf((*Steps).ScreenApplication),
	"next-reviewer":           StepOf((*Steps).NextReviewer),
	"open-review-task":        StepOf((*Steps).OpenReviewTask),
	"escalate-review":         StepOf((*Steps).EscalateReview),
	"record-review":           StepOf((*Steps).RecordReview),
	"open-no-reviewer-task":   StepOf((*Steps).OpenNoReviewerTask),
	"open-decision-task":      StepOf((*Steps).OpenDecisionTask),
	"record-decision":         StepOf((*Steps).RecordDecision),
	"open-agreement-task":     StepOf((*Steps).OpenAgreementTask),
	"record-agreement":        StepOf((*Steps).RecordAgreement),
	"open-trigger-wait":       StepOf((*Steps).OpenTriggerWait),
	"open-payment-task":       StepOf((*Steps).OpenPaymentTask),
	"record-payment":          StepOf((*Steps).RecordPayment),
	"open-report-task":        StepOf((*Steps).OpenReportTask),
	"open-report-review-task": StepOf((*Steps).OpenReportReviewTask),
	"record-report":           StepOf((*Steps).RecordReport),
	"record-report-review":    StepOf((*Steps).RecordReportReview),
	"close-grant":             StepOf((*Steps).CloseGrant),
	"record-failure":          StepOf((*Steps).RecordFailure),
	"close-withdrawn":         StepOf((*Steps).CloseWithdrawn),
}

// A Registry holds a workflow's steps by name.
type Registry map[string]Step

// Step is one step: a method of Steps with its own typed input and output.
type Step struct {
	input reflect.Type
	run   func(s *Steps, ctx context.Context, payload json.RawMessage) (any, error)
}

// StepOf makes a Step of a method expression of Steps; the payload is
// decoded into In as aws-lambda-go decodes a function's input.
func StepOf[In, Out any](method func(*Steps, context.Context, In) (Out, error)) Step {
	return Step{input: reflect.TypeFor[In](), run: func(s *Steps, ctx context.Context, payload json.RawMessage) (any, error) {
		var in In
		if err := json.Unmarshal(payload, &in); err != nil {
			return nil, steps.Error(pathway.Errorf(pathway.EINVALID, "The step's input could not be read: %v", err))
		}
		return method(s, ctx, in)
	}}
}

// Names returns the registry's step names, sorted.
func (r Registry) Names() []string { return slices.Sorted(maps.Keys(r)) }

// Handler returns the function's handler over s: it runs the step the
// payload names; a payload naming no step of r is steps.ErrUnknownStep.
func (r Registry) Handler(s *Steps) func(context.Context, json.RawMessage) (any, error) {
	return func(ctx context.Context, payload json.RawMessage) (any, error) {
		var head struct {
			Step *string `json:"step"`
		}
		if err := json.Unmarshal(payload, &head); err != nil {
			return nil, steps.Error(pathway.Errorf(pathway.EINVALID, "The payload is not a JSON object with a %q field: %v", steps.StepField, err))
		}
		if head.Step == nil {
			return nil, r.unknown("The payload names no step (no %q field)", steps.StepField)
		}
		step, ok := r[*head.Step]
		if !ok {
			return nil, r.unknown("The payload names the step %q, which this function does not run", *head.Step)
		}
		return step.run(s, ctx, payload)
	}
}

func (r Registry) unknown(format string, args ...any) error {
	return messages.InvokeResponse_Error{Type: steps.ErrUnknownStep,
		Message: fmt.Sprintf(format, args...) + "; it runs " + strings.Join(r.Names(), ", ") + "."}
}

// Handlers returns the grant function's handler by its logical ID, for
// the local engine beside steps.Handlers.
func Handlers(s *Steps) map[string]any {
	return map[string]any{FunctionID: Grant.Handler(s)}
}
