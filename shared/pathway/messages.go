package pathway

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// The messages between the service layer (shared/journey) and the
// workflows' steps (shared/steps): the input that starts a workflow, and
// the answers people's tasks send back to the step that waits for them.
// Both ends use these types, and each answer's Check is the one rule for
// what it may hold, applied when a person answers and again when the step
// records the answer.

// CoopStart is the input of an execution of the application or the
// registration workflow: the co-op it carries.
type CoopStart struct {
	// CoopID is the co-op.
	CoopID string `json:"coopId"`
}

// Panel outcomes.
const (
	PanelAccept  = "accept"
	PanelDecline = "decline"
	PanelDefer   = "defer"
)

// PanelDecision is the programme panel's answer to a panel-decision task
// (or the lead's, to a panel-escalation, which carries the same wait).
type PanelDecision struct {
	// Outcome is PanelAccept, PanelDecline or PanelDefer.
	Outcome string `json:"outcome"`
	// Notes are the panel's notes; its reasons, for a decline.
	Notes string `json:"notes,omitempty"`
	// By is the user ID of who recorded the decision.
	By string `json:"by,omitempty"`
}

// Check names each field of the decision at fault: an outcome that is
// none of the three, a decline without reasons (the founders see them),
// notes longer than 2000 characters or holding characters TextProblem
// refuses.
func (d PanelDecision) Check() error {
	notes := strings.TrimSpace(d.Notes)
	fields := map[string]string{}
	switch d.Outcome {
	case PanelAccept, PanelDefer:
	case PanelDecline:
		if notes == "" {
			fields["notes"] = "Give the panel's reasons for declining; the founders will see them"
		}
	case "":
		fields["outcome"] = "Choose the panel's decision: accept, decline or defer"
	default:
		fields["outcome"] = "Must be one of: accept, decline, defer"
	}
	if msg := TextProblem(notes, true); msg != "" {
		fields["notes"] = msg
	} else if utf8.RuneCountInString(notes) > 2000 {
		fields["notes"] = "Must be 2000 characters or fewer"
	}
	return invalidIf(fields)
}

// Submission is the founders' answer to the cqc-submission task: the date
// they applied on the CQC provider portal.
type Submission struct {
	// SubmittedOn is the date, YYYY-MM-DD, not after today in the UK.
	SubmittedOn string `json:"submittedOn"`
	// By is the user ID of who recorded it.
	By string `json:"by,omitempty"`
}

// Check returns the submission date, or names the field at fault when it
// is missing, malformed, before 2000 or after today in the UK (at now).
func (s Submission) Check(now time.Time) (time.Time, error) {
	return s.CheckApplied(time.Time{}, now)
}

// CheckApplied is Check for a co-op that applied at applied (its
// CreatedAt): founders cannot have applied to CQC before they applied to
// the programme. A zero applied adds nothing to Check.
func (s Submission) CheckApplied(applied, now time.Time) (time.Time, error) {
	d, msg := PastDateSince(s.SubmittedOn, applied, "the day the co-op applied to the programme", now)
	if msg != "" {
		return time.Time{}, Invalid(map[string]string{"submittedOn": msg})
	}
	return d, nil
}

// CQC decision outcomes.
const (
	CQCRegistered       = "registered"
	CQCProposalToRefuse = "proposal-to-refuse"
	CQCRefused          = "refused"
)

// providerIDPattern is the shape of a CQC provider ID, e.g. "1-101234567".
var providerIDPattern = regexp.MustCompile(`^1-[0-9]{6,12}$`)

// IsProviderID reports whether s has the shape of a CQC provider ID: 1, a
// hyphen and 6 to 12 digits, e.g. "1-101234567".
func IsProviderID(s string) bool { return providerIDPattern.MatchString(s) }

// CQCDecision is CQC's decision as the founders or the agency record it,
// the answer to a cqc-decision (or cqc-escalation) task.
type CQCDecision struct {
	// Outcome is CQCRegistered, CQCProposalToRefuse or CQCRefused.
	Outcome string `json:"outcome"`
	// ProviderID is the CQC provider ID: required when registered, and
	// only then.
	ProviderID string `json:"providerId,omitempty"`
	// DecidedOn is the date of CQC's notice, YYYY-MM-DD, if known; not
	// after today in the UK.
	DecidedOn string `json:"decidedOn,omitempty"`
	// By is the user ID of who recorded it.
	By string `json:"by,omitempty"`
}

// Check names each field of the decision at fault, the day in the UK
// taken at now.
func (d CQCDecision) Check(now time.Time) error { return d.CheckApplied(time.Time{}, now) }

// CheckApplied is Check for a co-op that applied at applied (its
// CreatedAt): CQC cannot have decided before the co-op applied to the
// programme. A zero applied adds nothing to Check.
func (d CQCDecision) CheckApplied(applied, now time.Time) error {
	fields := map[string]string{}
	switch d.Outcome {
	case CQCRegistered:
		if d.ProviderID == "" {
			fields["providerId"] = "Enter the CQC provider ID from the notice of decision, like 1-123456789"
		} else if !IsProviderID(d.ProviderID) {
			fields["providerId"] = "Enter a CQC provider ID like 1-123456789: 1, a hyphen and 6 to 12 digits"
		}
	case CQCProposalToRefuse, CQCRefused:
		if d.ProviderID != "" {
			fields["providerId"] = "Leave this empty: CQC gives a provider ID only when it registers the co-op"
		}
	case "":
		fields["outcome"] = "Choose CQC's decision: registered, proposal-to-refuse or refused"
	default:
		fields["outcome"] = "Must be one of: registered, proposal-to-refuse, refused"
	}
	if d.DecidedOn != "" {
		if _, msg := PastDateSince(d.DecidedOn, applied, "the day the co-op applied to the programme", now); msg != "" {
			fields["decidedOn"] = msg
		}
	}
	return invalidIf(fields)
}

// ChecklistRelease is the answer that releases the registration
// workflow's wait for the checklist, sent when the agency verifies the
// last required item.
type ChecklistRelease struct {
	// CoopID is the co-op.
	CoopID string `json:"coopId"`
	// By is the user ID of who verified the last item.
	By string `json:"by"`
	// Required counts the required items, Verified those verified.
	Required int `json:"required"`
	Verified int `json:"verified"`
}

// invalidIf returns an EINVALID error naming the fields, or nil for none.
func invalidIf(fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	return Invalid(fields)
}
