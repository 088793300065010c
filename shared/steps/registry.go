package steps

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
)

// The steps of each workflow, by the name its Task states give in their
// payload. One Lambda function serves each workflow (functions/<workflow>,
// through Registry.Handler); adding a step to a workflow is a Task state in
// its ASL file and one line here.
var (
	// Application is the application workflow's steps
	// (workflows/application.asl.json, functions/application).
	Application = Registry{
		"validate-application": StepOf((*Steps).ValidateApplication),
		"screen-eligibility":   StepOf((*Steps).ScreenEligibility),
		"record-ineligible":    StepOf((*Steps).RecordIneligible),
		"open-panel-task":      StepOf((*Steps).OpenPanelTask),
		"escalate-panel":       StepOf((*Steps).EscalatePanel),
		"record-panel-outcome": StepOf((*Steps).RecordPanelOutcome),
		"record-failure":       StepOf((*Steps).RecordFailure),
	}

	// Registration is the registration workflow's steps
	// (workflows/registration.asl.json, functions/registration).
	Registration = Registry{
		"build-checklist":      StepOf((*Steps).BuildChecklist),
		"open-checklist-wait":  StepOf((*Steps).OpenChecklistWait),
		"mark-cqc-ready":       StepOf((*Steps).MarkCQCReady),
		"open-submission-task": StepOf((*Steps).OpenSubmissionTask),
		"record-submitted":     StepOf((*Steps).RecordSubmitted),
		"open-decision-task":   StepOf((*Steps).OpenDecisionTask),
		"escalate-decision":    StepOf((*Steps).EscalateDecision),
		"record-decision":      StepOf((*Steps).RecordDecision),
		"record-failure":       StepOf((*Steps).RecordFailure),
	}
)

// StepField is the payload field that names the step. A Task state sets it
// to a constant beside the step's own input fields, for example
//
//	"Parameters": {
//	  "step": "screen-eligibility",
//	  "coopId.$": "$.coopId",
//	  …
//	}
//
// (in a waitForTaskToken state, inside Parameters.Payload). The step reads
// its typed input from the same object and never sees the field, so no
// step's input may have a field of this name.
const StepField = "step"

// ErrUnknownStep is the ASL error of a payload naming no step the function
// runs: a workflow and its function out of step with each other, which no
// retry mends.
const ErrUnknownStep = "Pathway.UnknownStep"

// A Registry holds a workflow's steps by name.
type Registry = RegistryOf[Steps]

// Step is one step as a workflow's function runs it: a method of Steps with
// its own typed input and output.
type Step = StepOn[Steps]

// StepOf makes a Step of a method expression of Steps, such as
// (*Steps).ScreenEligibility, so a registry can only name a step that
// exists, with its own input and output types (see MakeStep).
func StepOf[In, Out any](method func(*Steps, context.Context, In) (Out, error)) Step {
	return MakeStep(method)
}

// RegistryOf holds a workflow's steps by name, each a method of S. Every
// workflow's function (these, grantsteps', tendersteps') is one, so they
// all read the payload and report an unknown step the same way.
type RegistryOf[S any] map[string]StepOn[S]

// StepOn is one step of a RegistryOf[S]: a method of S with its own typed
// input and output.
type StepOn[S any] struct {
	input reflect.Type // In, for the registry's own tests
	run   func(s *S, ctx context.Context, payload json.RawMessage) (any, error)
}

// MakeStep makes a StepOn of a method expression of S, so a registry can
// only name a step that exists, with its own input and output types. The
// payload is decoded into In exactly as aws-lambda-go decodes a function's
// input (encoding/json, unknown fields ignored); a payload that does not
// decode is Pathway.Invalid.
func MakeStep[S, In, Out any](method func(*S, context.Context, In) (Out, error)) StepOn[S] {
	return StepOn[S]{input: reflect.TypeFor[In](), run: func(s *S, ctx context.Context, payload json.RawMessage) (any, error) {
		var in In
		if err := json.Unmarshal(payload, &in); err != nil {
			return nil, Error(pathway.Errorf(pathway.EINVALID, "The step's input could not be read: %v", err))
		}
		return method(s, ctx, in)
	}}
}

// Names returns the registry's step names, sorted.
func (r RegistryOf[S]) Names() []string {
	return slices.Sorted(maps.Keys(r))
}

// Handler returns the workflow function's handler over s, with the
// signature lambda.Start and states.TypedHandler accept: it runs the step
// the payload's StepField names with the payload as its input, and returns
// its output or its error (whose Type is the ASL error name). A payload
// naming no step of r is ErrUnknownStep.
func (r RegistryOf[S]) Handler(s *S) func(context.Context, json.RawMessage) (any, error) {
	return func(ctx context.Context, payload json.RawMessage) (any, error) {
		var head struct {
			Step *string `json:"step"`
		}
		if err := json.Unmarshal(payload, &head); err != nil {
			return nil, Error(pathway.Errorf(pathway.EINVALID, "The payload is not a JSON object with a %q field: %v", StepField, err))
		}
		if head.Step == nil {
			return nil, r.unknown("The payload names no step (no %q field)", StepField)
		}
		step, ok := r[*head.Step]
		if !ok {
			return nil, r.unknown("The payload names the step %q, which this function does not run", *head.Step)
		}
		return step.run(s, ctx, payload)
	}
}

// unknown returns ErrUnknownStep with the message and the steps r runs.
func (r RegistryOf[S]) unknown(format string, args ...any) error {
	return messages.InvokeResponse_Error{
		Type:    ErrUnknownStep,
		Message: fmt.Sprintf(format, args...) + "; it runs " + strings.Join(r.Names(), ", ") + ".",
	}
}
