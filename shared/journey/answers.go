package journey

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Answer is a person's answer to a task, by kind: *PanelAnswer,
// *SubmissionAnswer or *CQCAnswer. AnswerFor returns the right one to fill.
// An answer holds only what the person may say; the message the waiting
// workflow step gets (a pathway type, which the step reads too) adds who
// answered, and its Check is the one rule for what it may hold.
type Answer interface {
	// payload checks the answer to a task of co-op c, naming each field
	// at fault, and returns the JSON the waiting workflow step expects,
	// recording who answered.
	payload(by string, c *pathway.Coop, now time.Time) (json.RawMessage, error)
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
	case pathway.TaskChecklistVerification:
		return nil, pathway.Errorf(pathway.ECONFLICT,
			"This task is answered by checking the items on the co-op's checklist: open the co-op's checklist, accept or return each item waiting, and the task closes by itself.")
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

func (a *PanelAnswer) payload(by string, _ *pathway.Coop, _ time.Time) (json.RawMessage, error) {
	d := pathway.PanelDecision{Outcome: a.Outcome, Notes: strings.TrimSpace(pathway.NormaliseNewlines(a.Notes)), By: by}
	if err := d.Check(); err != nil {
		return nil, err
	}
	return json.Marshal(d)
}

func (a *PanelAnswer) outcome() string { return a.Outcome }

// SubmissionAnswer is the date the founders applied on the CQC portal.
type SubmissionAnswer struct {
	// SubmittedOn is YYYY-MM-DD: not after today in the UK, nor before
	// the day the co-op applied to the programme.
	SubmittedOn string `json:"submittedOn"`
}

func (a *SubmissionAnswer) payload(by string, c *pathway.Coop, now time.Time) (json.RawMessage, error) {
	sub := pathway.Submission{SubmittedOn: a.SubmittedOn, By: by}
	if _, err := sub.CheckApplied(applied(c), now); err != nil {
		return nil, err
	}
	return json.Marshal(sub)
}

func (a *SubmissionAnswer) outcome() string { return "submitted on " + a.SubmittedOn }

// CQCAnswer is CQC's decision as the founders or the agency record it.
type CQCAnswer struct {
	// Outcome is registered, proposal-to-refuse or refused.
	Outcome string `json:"outcome"`
	// ProviderID is the CQC provider ID: required when registered, and
	// only then.
	ProviderID string `json:"providerId"`
	// DecidedOn is the date of CQC's notice, YYYY-MM-DD, if known: not
	// after today in the UK, nor before the day the co-op applied.
	DecidedOn string `json:"decidedOn"`
}

func (a *CQCAnswer) payload(by string, c *pathway.Coop, now time.Time) (json.RawMessage, error) {
	a.ProviderID = strings.TrimSpace(a.ProviderID)
	d := pathway.CQCDecision{Outcome: a.Outcome, ProviderID: a.ProviderID, DecidedOn: a.DecidedOn, By: by}
	if err := d.CheckApplied(applied(c), now); err != nil {
		return nil, err
	}
	return json.Marshal(d)
}

func (a *CQCAnswer) outcome() string { return pathway.Words(a.Outcome) }

// applied returns when co-op c applied to its programme, the earliest day
// a date about its CQC registration can be; zero when c is unknown.
func applied(c *pathway.Coop) time.Time {
	if c == nil {
		return time.Time{}
	}
	return c.CreatedAt
}
