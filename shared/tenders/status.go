package tenders

import (
	"slices"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// StatusMove is one change of status a table allows.
type StatusMove struct {
	From, To string
	// Why says what makes the move.
	Why string
}

// Moves are every change of status a tender may make. Every status
// change goes through Move, which allows exactly these.
var Moves = []StatusMove{
	{StatusDraft, StatusOpen, "the lead published the tender notice (UK4)"},
	{StatusOpen, StatusNoBids, "the deadline passed with no bid"},
	{StatusOpen, StatusEvaluation, "the deadline passed: the bids are opened for evaluation"},
	{StatusEvaluation, StatusModeration, "the evaluations are in"},
	{StatusModeration, StatusAward, "the lead agreed every bid's scores"},
	{StatusAward, StatusStandstill, "the assessment summaries were sent and the contract award notice (UK6) published"},
	{StatusAward, StatusContracting, "the contract award notice (UK6) was published and no standstill applies"},
	{StatusStandstill, StatusContracting, "the standstill ended with no challenge open"},
	{StatusContracting, StatusContracted, "the lead recorded the contract entered into"},
	{StatusDraft, StatusCancelled, "the council ended the procurement"},
	{StatusOpen, StatusCancelled, "the council ended the procurement (UK12)"},
	{StatusEvaluation, StatusCancelled, "the council ended the procurement (UK12)"},
	{StatusModeration, StatusCancelled, "the council ended the procurement (UK12)"},
	{StatusAward, StatusCancelled, "the council ended the procurement (UK12)"},
	{StatusStandstill, StatusCancelled, "the council ended the procurement (UK12)"},
}

// CanMove reports whether the table allows a tender to move from one
// status to another.
func CanMove(from, to string) bool { return allows(Moves, from, to) }

// IsEnd reports whether no move leaves the tender status.
func IsEnd(status string) bool {
	return !slices.ContainsFunc(Moves, func(m StatusMove) bool { return m.From == status })
}

// Move changes t's status to to at at, if the table allows it: the
// status and UpdatedAt are set, and publishing sets PublishedAt. A move
// the table does not allow is ECONFLICT and changes nothing. The caller
// stores t with the change's event.
func Move(t *Tender, to string, at time.Time) error {
	if !CanMove(t.Status, to) {
		return pathway.Errorf(pathway.ECONFLICT, "The tender is %q, so it cannot become %q.",
			pathway.TermName(Statuses, t.Status), pathway.TermName(Statuses, to))
	}
	if to == StatusOpen {
		t.PublishedAt = at
	}
	t.Status, t.UpdatedAt = to, at
	return nil
}

// BidMoves are every change of status a bid may make. A withdrawal is
// allowed only before the tender's deadline: the caller, who holds the
// tender, checks that.
var BidMoves = []StatusMove{
	{BidSubmitted, BidWithdrawn, "the founders withdrew the bid before the deadline"},
	{BidSubmitted, BidAssessed, "its scores were agreed and it met the minimum quality score"},
	{BidSubmitted, BidBelowMin, "its agreed quality score is below the tender's minimum"},
	{BidAssessed, BidWon, "the lead awarded it at least one lot"},
	{BidAssessed, BidLost, "the lead awarded every lot it bid for to others"},
}

// CanMoveBid reports whether the table allows a bid to move from one
// status to another.
func CanMoveBid(from, to string) bool { return allows(BidMoves, from, to) }

// MoveBid changes b's status to to at at, if the table allows it. A
// move the table does not allow is ECONFLICT and changes nothing.
func MoveBid(b *Bid, to string, at time.Time) error {
	if !CanMoveBid(b.Status, to) {
		return pathway.Errorf(pathway.ECONFLICT, "The bid is %q, so it cannot become %q.",
			pathway.TermName(BidStatuses, b.Status), pathway.TermName(BidStatuses, to))
	}
	b.Status, b.UpdatedAt = to, at
	return nil
}

func allows(moves []StatusMove, from, to string) bool {
	return slices.ContainsFunc(moves, func(m StatusMove) bool { return m.From == from && m.To == to })
}
