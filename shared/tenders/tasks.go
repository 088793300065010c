package tenders

import (
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Kinds of task of the tenders phase.
const (
	// TaskEvaluation: an evaluator declares, then scores one bid (subject
	// the bid, User the evaluator).
	TaskEvaluation = "tender-evaluation"
	// TaskModeration: the lead agrees one bid's scores (subject the bid).
	TaskModeration = "tender-moderation"
	// TaskAward: the lead confirms the winner of each lot (subject the tender).
	TaskAward = "tender-award"
	// TaskContractEntry: the lead records the contract entered into.
	TaskContractEntry = "contract-entry"
	// TaskContractNotice: the lead records the contract details notice
	// (UK7) published, due 30 days (120 light touch) after the contract.
	TaskContractNotice = "contract-details-notice"
)

// TaskKinds lists the kinds, in the order a tender meets them.
var TaskKinds = []string{TaskEvaluation, TaskModeration, TaskAward, TaskContractEntry, TaskContractNotice}

// DeclarationAnswer is an evaluator's declaration
// (POST /api/bids/{id}/declarations).
type DeclarationAnswer struct {
	Conflict bool   `json:"conflict"`
	Reason   string `json:"reason,omitempty" validate:"max=2000,safelongtext"`
}

// Validate requires a reason with a conflict.
func (d *DeclarationAnswer) Validate() error {
	if d.Conflict && d.Reason == "" {
		return pathway.Invalid(map[string]string{"reason": "Say what the conflict of interest is"})
	}
	return validate(d)
}

// ScoresAnswer answers a tender-evaluation or tender-moderation task:
// a score of 0 to 5 and a reason for each quality and social-value
// criterion (price is computed, never scored by a person).
type ScoresAnswer struct {
	Scores  map[string]int    `json:"scores" validate:"required"`
	Reasons map[string]string `json:"reasons" validate:"required,dive,max=5000,safelongtext"`
}

// MaxScore is the top of the 0–5 score scale.
const MaxScore = 5

// AwardAnswer answers a tender-award task: the chosen bid per lot, with a
// reason when it is not the top-ranked.
type AwardAnswer struct {
	Lots []AwardChoice `json:"lots" validate:"required,min=1,max=20,dive"`
}

// AwardChoice is the lead's choice for one lot.
type AwardChoice struct {
	Lot    string `json:"lot" validate:"required,max=64"`
	Bid    string `json:"bid" validate:"required,max=64"`
	Reason string `json:"reason,omitempty" validate:"max=5000,safelongtext"`
}

// ContractAnswer answers a contract-entry task.
type ContractAnswer struct {
	SignedOn string            `json:"signedOn" validate:"required,datetime=2006-01-02"`
	Start    string            `json:"start" validate:"required,datetime=2006-01-02"`
	End      string            `json:"end" validate:"required,datetime=2006-01-02"`
	Lots     []ContractLotLine `json:"lots" validate:"required,min=1,max=20,dive"`
}

// ContractLotLine is one lot's value in a ContractAnswer, in pence.
type ContractLotLine struct {
	Lot   string `json:"lot" validate:"required,max=64"`
	Value int64  `json:"value" validate:"min=1"`
}

// NoticeAnswer answers a contract-details-notice task.
type NoticeAnswer struct {
	PublishedOn string `json:"publishedOn" validate:"required,datetime=2006-01-02"`
}

// Validate checks the date.
func (n *NoticeAnswer) Validate() error { return validate(n) }

// ChallengeInput records a challenge (POST /api/tenders/{id}/challenges).
type ChallengeInput struct {
	Received string `json:"received" validate:"required,datetime=2006-01-02"`
	From     string `json:"from" validate:"required,max=200,safetext"`
	Summary  string `json:"summary" validate:"required,max=5000,safelongtext"`
}

// Validate checks the fields.
func (c *ChallengeInput) Validate() error { return validate(c) }

// ChallengeOutcome records a challenge's outcome
// (POST /api/tenders/{id}/challenges/{c}/outcome).
type ChallengeOutcome struct {
	Outcome string `json:"outcome" validate:"required,oneof=dismissed upheld withdrawn"`
	Summary string `json:"summary" validate:"required,max=5000,safelongtext"`
}

// Validate checks the fields.
func (c *ChallengeOutcome) Validate() error { return validate(c) }

// TaskEvaluationOverdue tells the council's lead an evaluation is overdue
// (subject the bid). It holds the evaluation's task token: the lead's
// ExcuseAnswer goes on without that evaluator's scores, while the
// evaluator may still answer their own task.
const TaskEvaluationOverdue = "tender-evaluation-overdue"

// TaskWaitChallenge is the workflow's own wait while a challenge is open
// at the end of standstill: nobody's inbox shows it; the service
// completes it when the last open challenge's outcome is recorded.
const TaskWaitChallenge = "tender-wait-challenge"

// ExcuseAnswer answers a tender-evaluation-overdue task: {"outcome":"excuse"}.
type ExcuseAnswer struct {
	Outcome string `json:"outcome" validate:"required,oneof=excuse"`
}

// Validate checks the outcome.
func (a *ExcuseAnswer) Validate() error { return validate(a) }
