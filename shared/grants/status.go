package grants

import (
	"slices"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// StatusMove is one change of status the table allows.
type StatusMove struct {
	From, To string
	// Why says what makes the move.
	Why string
}

// Moves are every change of status an application may make. Every
// status change goes through Move, which allows exactly these.
var Moves = []StatusMove{
	{StatusDraft, StatusSubmitted, "the founders sent the application"},
	{StatusDraft, StatusWithdrawn, "the founders withdrew the draft"},
	{StatusSubmitted, StatusIneligible, "screening found the co-op or the request outside the programme's rules"},
	{StatusSubmitted, StatusInReview, "screening passed: reviewers are assigned"},
	{StatusSubmitted, StatusWithdrawn, "the founders withdrew the application"},
	{StatusIneligible, StatusSubmitted, "the founders corrected the application and sent it again"},
	{StatusInReview, StatusAwaitingDecision, "enough reviews are in"},
	{StatusInReview, StatusWithdrawn, "the founders withdrew the application"},
	{StatusAwaitingDecision, StatusInReview, "the lead asked for another review"},
	{StatusAwaitingDecision, StatusAwarded, "the lead awarded a grant"},
	{StatusAwaitingDecision, StatusRejected, "the lead decided not to fund it"},
	{StatusAwaitingDecision, StatusWithdrawn, "the founders withdrew the application"},
	{StatusAwarded, StatusActive, "the founders accepted the award and its conditions"},
	{StatusAwarded, StatusDeclined, "the founders declined the award"},
	{StatusActive, StatusClosed, "the last monitoring report was accepted"},
}

// CanMove reports whether the table allows the move.
func CanMove(from, to string) bool {
	return slices.ContainsFunc(Moves, func(m StatusMove) bool { return m.From == from && m.To == to })
}

// IsEnd reports whether no move leaves the status.
func IsEnd(status string) bool {
	return !slices.ContainsFunc(Moves, func(m StatusMove) bool { return m.From == status })
}

// Move changes a's status to to at at, if the table allows it: the
// status and UpdatedAt are set, and a send counts an attempt and sets
// SubmittedAt. A move the table does not allow is ECONFLICT and changes
// nothing. The caller stores a with the change's event.
func Move(a *Application, to string, at time.Time) error {
	if !CanMove(a.Status, to) {
		return pathway.Errorf(pathway.ECONFLICT, "The application is %q, so it cannot become %q.",
			pathway.TermName(Statuses, a.Status), pathway.TermName(Statuses, to))
	}
	if to == StatusSubmitted {
		a.Attempt = max(a.Attempt, 0) + 1
		a.SubmittedAt = at
		a.Reasons = nil
	}
	a.Status, a.UpdatedAt = to, at
	return nil
}
