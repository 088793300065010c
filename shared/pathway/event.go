package pathway

import "time"

// ActorSystem is the Actor of events recorded by workflow steps.
const ActorSystem = "system"

// Event is an append-only audit record of something that happened to a
// co-op: who did it, what, when, and the stage before and after.
type Event struct {
	// ID orders events: a ULID, unique and increasing in time.
	ID string `json:"id" validate:"required,max=64"`
	// Coop is the ID of the co-op the event belongs to.
	Coop string `json:"coop" validate:"required,max=64"`
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
}

// Validate reports whether e is a well-formed event.
func (e *Event) Validate() error { return validate(e) }

// EventPage is one page of a co-op's events, oldest first.
type EventPage struct {
	// Events are the page's events in order.
	Events []*Event `json:"events"`
	// Next is the cursor for the following page, or "" on the last page.
	Next string `json:"next,omitempty"`
}
