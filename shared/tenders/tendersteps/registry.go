package tendersteps

import (
	"context"

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

// A Registry holds a workflow's steps by name (steps.RegistryOf, which
// reads the payload and reports an unknown step as every workflow does).
type Registry = steps.RegistryOf[Steps]

// Step is one step: a method of Steps with its own typed input and output.
type Step = steps.StepOn[Steps]

// StepOf makes a Step of a method expression of Steps (steps.MakeStep).
func StepOf[In, Out any](method func(*Steps, context.Context, In) (Out, error)) Step {
	return steps.MakeStep(method)
}

// Handlers returns the tender function's handler by its logical ID, for
// the local engine beside steps.Handlers.
func Handlers(s *Steps) map[string]any {
	return map[string]any{FunctionID: Tender.Handler(s)}
}
