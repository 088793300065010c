package grants

import (
	"fmt"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Kinds of task of the grants phase, on the subject of an application.
const (
	TaskReview       = "grant-review"        // a reviewer declares, then scores
	TaskDecision     = "grant-decision"      // the funder's lead awards or rejects
	TaskAgreement    = "grant-agreement"     // the founders accept or decline the award
	TaskPayment      = "grant-payment"       // the funder records a tranche's payment
	TaskReport       = "grant-report"        // the founders send a monitoring report
	TaskReportReview = "grant-report-review" // the funder accepts or returns a report
)

// Kinds of task the workflow opens besides those above.
const (
	// TaskReviewOverdue tells the funder's lead a review is overdue; the
	// lead answers {"outcome":"reassign"} (LeadAnswer) to give it to the
	// next reviewer, while the reviewer may still answer their own task.
	TaskReviewOverdue = "grant-review-overdue"
	// TaskNoReviewer tells the funder's lead no reviewer is left; the lead
	// answers {"outcome":"retry"} once more staff can review.
	TaskNoReviewer = "grant-no-reviewer"
	// TaskWaitCQC and TaskWaitReport are machine-only waits of a tranche
	// for its trigger: nobody's inbox shows them (no organisation, no
	// user); the registration workflow's step recording CQC registration,
	// and the grant workflow's step accepting a report, complete them
	// with a task answer sent by the outbox.
	TaskWaitCQC    = "grant-wait-cqc"
	TaskWaitReport = "grant-wait-report"
)

// The lead's answers to an escalation (LeadAnswer.Outcome).
const (
	LeadReassign = "reassign"
	LeadRetry    = "retry"
)

// LeadAnswer is the funder lead's answer to an escalation: reassign an
// overdue review (TaskReviewOverdue) or look for a reviewer again
// (TaskNoReviewer).
type LeadAnswer struct {
	Outcome string `json:"outcome" validate:"required,oneof=reassign retry"`
}

// Validate names the field of a bad answer.
func (a *LeadAnswer) Validate() error { return validate(a) }

// IsMachineTask reports whether a task kind is a wait of the workflow's
// own that no person answers.
func IsMachineTask(kind string) bool { return kind == TaskWaitCQC || kind == TaskWaitReport }

// TaskKinds lists the kinds, in the order an application meets them.
var TaskKinds = []string{TaskReview, TaskDecision, TaskAgreement, TaskPayment, TaskReport, TaskReportReview}

// DeclarationAnswer is a reviewer's declaration
// (POST /api/grant-applications/{id}/declarations).
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

// ReviewAnswer answers a grant-review task.
type ReviewAnswer struct {
	Scores         map[string]int    `json:"scores" validate:"required"`
	Comments       map[string]string `json:"comments,omitempty" validate:"dive,max=5000,safelongtext"`
	Recommendation string            `json:"recommendation" validate:"required,oneof=award reject revise"`
}

// Check validates the answer against the programme's criteria.
func (r *ReviewAnswer) Check(p *Programme) error {
	if err := validate(r); err != nil {
		return err
	}
	return CheckScores(p, r.Scores, r.Comments)
}

// Outcomes of a decision.
const (
	OutcomeAward  = "award"
	OutcomeReject = "reject"
)

// DecisionAnswer answers a grant-decision task: an award with its
// amount, conditions and tranches, or a rejection; feedback either way.
// Reports are the days (YYYY-MM-DD) the award's monitoring reports fall
// due, e.g. six months in and at the end; none means the grant closes
// when its last tranche is paid.
type DecisionAnswer struct {
	Outcome    string          `json:"outcome" validate:"required,oneof=award reject"`
	Amount     int64           `json:"amount,omitempty" validate:"min=0"`
	Conditions []string        `json:"conditions,omitempty" validate:"max=20,dive,required,max=1000,safetext"`
	Tranches   []TrancheAnswer `json:"tranches,omitempty" validate:"max=12,dive"`
	Feedback   string          `json:"feedback" validate:"required,max=5000,safelongtext"`
	Reports    []string        `json:"reports,omitempty" validate:"max=24,unique,dive,datetime=2006-01-02"`
}

// TrancheAnswer is one tranche of a decision to award.
type TrancheAnswer struct {
	Amount  int64  `json:"amount" validate:"min=1"`
	Trigger string `json:"trigger" validate:"required,oneof=agreement cqc-registered report date"`
	On      string `json:"on,omitempty" validate:"omitempty,datetime=2006-01-02"`
}

// Validate checks the answer on its own: an award needs an amount and
// tranches that sum to it; a rejection has neither.
func (d *DecisionAnswer) Validate() error {
	if err := validate(d); err != nil {
		return err
	}
	f := map[string]string{}
	if d.Outcome == OutcomeReject {
		if d.Amount != 0 || len(d.Tranches) > 0 || len(d.Conditions) > 0 || len(d.Reports) > 0 {
			f["outcome"] = "A rejection has no amount, conditions, tranches or reports"
		}
	} else {
		if d.Amount < 1 {
			f["amount"] = "Enter the amount awarded"
		}
		if len(d.Tranches) == 0 {
			f["tranches"] = "Give at least one tranche"
		}
		var sum int64
		for i, t := range d.Tranches {
			sum += t.Amount
			checkTrigger(fmt.Sprintf("tranches[%d]", i), t.Trigger, t.On, f)
			if t.Trigger == TriggerReport && len(d.Reports) == 0 {
				f["reports"] = "Give the day at least one monitoring report is due: a tranche is paid when a report is accepted"
			}
		}
		if len(d.Tranches) > 0 && sum != d.Amount {
			f["tranches"] = fmt.Sprintf("The tranches add up to %s, but the award is %s: they must be the same", Pounds(sum), Pounds(d.Amount))
		}
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

// Agreement outcomes.
const (
	AgreementAccept  = "accept"
	AgreementDecline = "decline"
)

// AgreementAnswer answers a grant-agreement task.
type AgreementAnswer struct {
	Outcome string `json:"outcome" validate:"required,oneof=accept decline"`
}

// Validate checks the outcome.
func (a *AgreementAnswer) Validate() error { return validate(a) }

// PaymentAnswer answers a grant-payment task: the day paid and the
// funder's reference for the payment.
type PaymentAnswer struct {
	PaidOn    string `json:"paidOn" validate:"required,datetime=2006-01-02"`
	Reference string `json:"reference" validate:"required,max=100,safetext"`
}

// Validate checks the date and reference.
func (p *PaymentAnswer) Validate() error { return validate(p) }

// ReportAnswer answers a grant-report task.
type ReportAnswer struct {
	Summary string  `json:"summary" validate:"required,max=10000,safelongtext"`
	Figures Figures `json:"figures"`
}

// Validate checks the summary and figures.
func (r *ReportAnswer) Validate() error { return validate(r) }

// Report review outcomes.
const (
	ReportReviewAccepted = "accepted"
	ReportReviewReturned = "returned"
)

// ReportReviewAnswer answers a grant-report-review task; a returned
// report needs a comment saying what to change.
type ReportReviewAnswer struct {
	Outcome string `json:"outcome" validate:"required,oneof=accepted returned"`
	Comment string `json:"comment,omitempty" validate:"max=5000,safelongtext"`
}

// Validate requires a comment with a returned report.
func (r *ReportReviewAnswer) Validate() error {
	if err := validate(r); err != nil {
		return err
	}
	if r.Outcome == ReportReviewReturned && r.Comment == "" {
		return pathway.Invalid(map[string]string{"comment": "Say what the co-op should change"})
	}
	return nil
}
