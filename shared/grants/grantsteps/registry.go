package grantsteps

import (
	"context"

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

// A Registry holds a workflow's steps by name (steps.RegistryOf, which
// reads the payload and reports an unknown step as every workflow does).
type Registry = steps.RegistryOf[Steps]

// Step is one step: a method of Steps with its own typed input and output.
type Step = steps.StepOn[Steps]

// StepOf makes a Step of a method expression of Steps (steps.MakeStep).
func StepOf[In, Out any](method func(*Steps, context.Context, In) (Out, error)) Step {
	return steps.MakeStep(method)
}

// Handlers returns the grant function's handler by its logical ID, for
// the local engine beside steps.Handlers.
func Handlers(s *Steps) map[string]any {
	return map[string]any{FunctionID: Grant.Handler(s)}
}
