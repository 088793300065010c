package tendersteps

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

// FunctionID is the tender workflow's function in template.yaml; its state
// machine's DefinitionSubstitutions give its ARN as ${TenderFunctionArn}.
const FunctionID = "TenderFunction"

// Tender is the tender workflow's steps by the name its Task states give
// in their payload's "step" field (steps.StepField).
var Tender = Registry{
	"open-tender":          StepOf((*Steps).OpenTender),
	"close":                StepOf((*Steps).Close),
	"open-evaluation-task": StepOf((*Steps).OpenEvaluationTask),
	"escalate-evaluation":  StepOf((*Steps).EscalateEvaluation),
	"record-evaluation":    StepOf((*Steps).RecordEvaluation),
	"start-moderation":     StepOf((*Steps).StartModeration),
	"open-moderation-task": StepOf((*Steps).OpenModerationTask),
	"record-moderation":    StepOf((*Steps).RecordModeration),
	"rank":                 StepOf((*Steps).Rank),
	"open-award-task":      StepOf((*Steps).OpenAwardTask),
	"notify":               StepOf((*Steps).Notify),
	"end-standstill":       StepOf((*Steps).EndStandstill),
	"open-challenge-wait":  StepOf((*Steps).OpenChallengeWait),
	"open-contract-task":   StepOf((*Steps).OpenContractTask),
	"record-contract":      StepOf((*Steps).RecordContract),
	"open-notice-task":     StepOf((*Steps).OpenNoticeTask),
	"record-notice":        StepOf((*Steps).RecordNotice),
	"close-cancelled":      StepOf((*Steps).CloseCancelled),
	"record-failure":       StepOf((*Steps).RecordFailure),
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

// Handlers returns the tender function's handler by its logical ID, for
// the local engine beside steps.Handlers.
func Handlers(s *Steps) map[string]any {
	return map[string]any{FunctionID: Tender.Handler(s)}
}
