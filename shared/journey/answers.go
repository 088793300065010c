package journey

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// Answer is a person's answer to a task, by kind: *PanelAnswer,
// *SubmissionAnswer or *CQCAnswer. AnswerFor returns the right one to fill.
type Answer interface {
	// payload checks the answer, naming each field at fault, and returns
	// the JSON the waiting workflow step expects (a shared/steps type),
	// recording who answered.
	payload(by string, now time.Time) (json.RawMessage, error)
	// outcome says the answer in a few words, for the audit trail.
	outcome() string
}

// AnswerFor returns an empty answer of the type a task of the kind takes.
// Tasks that nobody answers directly (the checklist wait, which the last
// verification releases) are ECONFLICT.
func AnswerFor(kind string) (Answer, error) {
	switch kind {
	case pathway.TaskPanelDecision, pathway.TaskPanelEscalation:
		return &PanelAnswer{}, nil
	case pathway.TaskCQCSubmission:
		return &SubmissionAnswer{}, nil
	case pathway.TaskCQCDecision, pathway.TaskCQCEscalation:
		return &CQCAnswer{}, nil
	case pathway.TaskChecklist:
		return nil, pathway.Errorf(pathway.ECONFLICT,
			"This task completes itself when the agency verifies the last required checklist item; there is nothing to send.")
	}
	return nil, pathway.Errorf(pathway.ECONFLICT, "Tasks of this kind cannot be answered here.")
}

// PanelAnswer is the programme panel's decision (panel-decision, and the
// lead's answer to a panel-escalation, which carries the same wait).
type PanelAnswer struct {
	// Outcome is accept, decline or defer.
	Outcome string `json:"outcome"`
	// Notes are the panel's notes: its reasons, required for a decline.
	Notes string `json:"notes"`
}

func (a *PanelAnswer) payload(by string, _ time.Time) (json.RawMessage, error) {
	notes := strings.TrimSpace(a.Notes)
	fields := map[string]string{}
	switch a.Outcome {
	case steps.PanelAccept, steps.PanelDefer:
	case steps.PanelDecline:
		if notes == "" {
			fields["notes"] = "Give the panel's reasons for declining; the founders will see them"
		}
	case "":
		fields["outcome"] = "Choose the panel's decision: accept, decline or defer"
	default:
		fields["outcome"] = "Must be one of: accept, decline, defer"
	}
	if len([]rune(notes)) > 2000 {
		fields["notes"] = "Must be 2000 characters or fewer"
	}
	if len(fields) > 0 {
		return nil, pathway.Invalid(fields)
	}
	return json.Marshal(steps.PanelDecision{Outcome: a.Outcome, Notes: notes, By: by})
}

func (a *PanelAnswer) outcome() string { return a.Outcome }

// SubmissionAnswer is the date the founders applied on the CQC portal.
type SubmissionAnswer struct {
	// SubmittedOn is YYYY-MM-DD, not after today in the UK.
	SubmittedOn string `json:"submittedOn"`
}

func (a *SubmissionAnswer) payload(by string, now time.Time) (json.RawMessage, error) {
	if msg := pastDate(a.SubmittedOn, now, true); msg != "" {
		return nil, pathway.Invalid(map[string]string{"submittedOn": msg})
	}
	return json.Marshal(steps.Submission{SubmittedOn: a.SubmittedOn, By: by})
}

func (a *SubmissionAnswer) outcome() string { return "submitted on " + a.SubmittedOn }

// providerIDPattern is the shape of a CQC provider ID, e.g. "1-101234567"
// (the same rule the RecordDecision step applies).
var providerIDPattern = regexp.MustCompile(`^1-[0-9]{6,12}$`)

// CQCAnswer is CQC's decision as the founders or the agency record it.
type CQCAnswer struct {
	// Outcome is registered, proposal-to-refuse or refused.
	Outcome string `json:"outcome"`
	// ProviderID is the CQC provider ID: required when registered, and
	// only then.
	ProviderID string `json:"providerId"`
	// DecidedOn is the date of CQC's notice, YYYY-MM-DD, if known.
	DecidedOn string `json:"decidedOn"`
}

func (a *CQCAnswer) payload(by string, now time.Time) (json.RawMessage, error) {
	a.ProviderID = strings.TrimSpace(a.ProviderID)
	fields := map[string]string{}
	switch a.Outcome {
	case steps.CQCRegistered:
		if a.ProviderID == "" {
			fields["providerId"] = "Enter the CQC provider ID from the notice of decision, like 1-123456789"
		} else if !providerIDPattern.MatchString(a.ProviderID) {
			fields["providerId"] = "Enter a CQC provider ID like 1-123456789: 1, a hyphen and 6 to 12 digits"
		}
	case steps.CQCProposalToRefuse, steps.CQCRefused:
		if a.ProviderID != "" {
			fields["providerId"] = "Leave this empty: CQC gives a provider ID only when it registers the co-op"
		}
	case "":
		fields["outcome"] = "Choose CQC's decision: registered, proposal-to-refuse or refused"
	default:
		fields["outcome"] = "Must be one of: registered, proposal-to-refuse, refused"
	}
	if msg := pastDate(a.DecidedOn, now, false); msg != "" {
		fields["decidedOn"] = msg
	}
	if len(fields) > 0 {
		return nil, pathway.Invalid(fields)
	}
	return json.Marshal(steps.CQCDecision{Outcome: a.Outcome, ProviderID: a.ProviderID, DecidedOn: a.DecidedOn, By: by})
}

func (a *CQCAnswer) outcome() string { return strings.ReplaceAll(a.Outcome, "-", " ") }

// ukTime is the zone of "today" for dates people enter: every co-op is in
// England (pathway embeds the zone database, so it loads everywhere).
var ukTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// pastDate checks a YYYY-MM-DD date that must not be after today in the UK
// and returns what is wrong with it, or "". An empty date is wrong only
// when required.
func pastDate(s string, now time.Time, required bool) string {
	if s == "" {
		if required {
			return "Enter the date as YYYY-MM-DD"
		}
		return ""
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "Enter a real date as YYYY-MM-DD, for example 2027-03-14"
	}
	today, _ := time.Parse(time.DateOnly, now.In(ukTime).Format(time.DateOnly))
	if d.After(today) {
		return "Must be today or earlier, not in the future"
	}
	return ""
}
