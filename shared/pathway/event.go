package pathway

import "time"

// ActorSystem is the Actor of events recorded by workflow steps.
const ActorSystem = "system"

// Event is an append-only audit record of something that happened to a
// subject: who did it, what, when, and the stage before and after.
type Event struct {
	// ID orders events: a ULID, unique and increasing in time.
	ID string `json:"id" validate:"required,max=64"`
	// Subject is what the event belongs to: its audit trail.
	Subject Subject `json:"subject"`
	// Coop is the ID of the co-op the event belongs to, for co-op subjects
	// (and the co-op concerned by other subjects, where there is one).
	Coop string `json:"coop,omitempty" validate:"max=64"`
	// At is when it happened.
	At time.Time `json:"at" validate:"required"`
	// Actor is the user ID of who did it, or ActorSystem.
	Actor string `json:"actor" validate:"required,max=128"`
	// Action names what happened, e.g. "application.submitted".
	Action string `json:"action" validate:"required,max=64"`
	// Summary says what happened in plain English.
	Summary string `json:"summary" validate:"required,max=1000"`
	// From is the stage before, when the event changed it.
	From string `json:"from,omitempty"`
	// To is the stage after, when the event changed it.
	To string `json:"to,omitempty"`
	// Data holds small details (reasons, outcome, item id).
	Data map[string]string `json:"data,omitempty"`
	// Notices are mail deliveries the event causes, written in the same
	// transaction as the event (and only when the event is new), not part
	// of the stored event.
	Notices []*Delivery `json:"-" validate:"-"`
}

// Validate reports whether e is a well-formed event. An event with a Coop
// and no Subject gets the co-op's subject first.
func (e *Event) Validate() error {
	e.Subject = subjectOf(e.Subject, e.Coop)
	return validate(e)
}

// EventPage is one page of a co-op's events, oldest first.
type EventPage struct {
	// Events are the page's events in order.
	Events []*Event `json:"events"`
	// Next is the cursor for the following page, or "" on the last page.
	Next string `json:"next,omitempty"`
}

// Event actions: what an event records, written once. The audit trail,
// the tests and the demo's history name them by these constants.
const (
	// The task-answer mechanism, shared by every phase.
	ActionTaskAnswered = "task.answered"
	ActionTaskNotUsed  = "task.not-used"

	// Notifications and workflow failures, shared by every phase.
	ActionNotificationSent = "notification.sent"
	ActionWorkflowFailed   = "workflow.failed"

	// The application phase.
	ActionApplicationSubmitted  = "application.submitted"
	ActionApplicationScreened   = "application.screened"
	ActionApplicationIneligible = "application.ineligible"
	ActionApplicationResent     = "application.resent"
	ActionPanelAwaiting         = "panel.awaiting"
	ActionPanelOverdue          = "panel.overdue"
	ActionPanelAccepted         = "panel.accepted"
	ActionPanelDeclined         = "panel.declined"
	ActionPanelDeferred         = "panel.deferred"

	// The registration phase.
	ActionChecklistBuilt        = "checklist.built"
	ActionChecklistItemDone     = "checklist.item-done"
	ActionChecklistItemVerified = "checklist.item-verified"
	ActionChecklistItemReturned = "checklist.item-returned"
	ActionChecklistVerified     = "checklist.verified"
	ActionCQCSubmitted          = "cqc.submitted"
	ActionCQCReminder           = "cqc.reminder"
	ActionCQCOverdue            = "cqc.overdue"
	ActionCQCRegistered         = "cqc.registered"
	ActionCQCProposalToRefuse   = "cqc.proposal-to-refuse"
	ActionCQCRefused            = "cqc.refused"

	// Leaving the journey.
	ActionCoopWithdrawn = "coop.withdrawn"
)
