// Package market is the council dashboard's part of the insight
// aggregates: a Source of kind tender whose scope is the council that
// runs the tender, and the service that reads the council's figures
// (tenders by status, bids per tender and by kind of bidder, contract
// value to co-ops and mutuals, standstills running, contract details
// notices due) from a fixed handful of cells, whatever the number of
// tenders.
package market

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// Kinds of bidder, by the bidding co-op's legal form. Every bidder on
// the pathway is a co-op in the making, but councils count the market by
// what the law makes each organisation:
//   - a co-operative society is a co-op;
//   - a community benefit society, a community interest company (CIC) or
//     a company limited by guarantee is another VCSE organisation
//     (voluntary, community and social enterprise);
//   - anything else (a private company converting, an organisation not
//     yet incorporated, a co-op no longer on record) is other.
const (
	KindCoop  = "coop"
	KindVCSE  = "vcse"
	KindOther = "other"
)

// Kinds lists the kinds of bidder with their words, as the page shows them.
var Kinds = []pathway.Term{
	{Code: KindCoop, Name: "Co-ops (co-operative societies)"},
	{Code: KindVCSE, Name: "Other VCSE organisations (community benefit societies, CICs, companies limited by guarantee)"},
	{Code: KindOther, Name: "Other organisations"},
}

// Classify returns the kind of bidder of an organisation with the legal
// form (a pathway.Form* code).
func Classify(legalForm string) string {
	switch legalForm {
	case pathway.FormCooperativeSociety:
		return KindCoop
	case pathway.FormCommunityBenefit, pathway.FormCommunityInterest, pathway.FormGuarantee:
		return KindVCSE
	}
	return KindOther
}

// Facts are one tender's facts: what the council's cells count of it and
// what its row in the "bids per tender" table shows. They hold the count
// of bids by kind of bidder even while the bids are sealed, but nothing
// derived from them leaves this package before the deadline (Sealed).
type Facts struct {
	Tender  string `json:"tender"`
	Council string `json:"council"`
	Title   string `json:"title"`
	Status  string `json:"status"`
	// Value is the tender's estimated value including VAT, in pence.
	Value int64 `json:"value"`
	// Reserved marks a contract reserved for public service mutuals.
	Reserved       bool      `json:"reserved,omitempty"`
	TendersCloseAt time.Time `json:"tendersCloseAt"`
	// Bids counts the bids in (not withdrawn); Coops, VCSE and Others
	// split them by kind of bidder.
	Bids   int `json:"bids"`
	Coops  int `json:"coops"`
	VCSE   int `json:"vcse"`
	Others int `json:"others"`
	// Contracted is the value of the contract entered into (every lot),
	// and ToCoopsMutuals the part of it whose supplier is a co-op, or a
	// public service mutual (the winner of a reserved contract), in pence.
	Contracted     int64 `json:"contracted,omitempty"`
	ToCoopsMutuals int64 `json:"toCoopsMutuals,omitempty"`
	// StandstillLastDay is the last day of the standstill while the
	// tender is in standstill (YYYY-MM-DD), else empty.
	StandstillLastDay string `json:"standstillLastDay,omitempty"`
	// UK7Due is the last day for the contract details notice while it is
	// due and not published (YYYY-MM-DD), else empty.
	UK7Due string `json:"uk7Due,omitempty"`
	// CancelledSealed marks a tender cancelled before its deadline: its
	// bids were never opened, so they stay sealed.
	CancelledSealed bool `json:"cancelledSealed,omitempty"`
}

// Sealed reports whether the tender's bids are still sealed: it has not
// left draft or open (or was cancelled before its deadline), so no one at
// the council may learn who bid, only how many.
func (f *Facts) Sealed() bool {
	return f.Status == tenders.StatusDraft || f.Status == tenders.StatusOpen || f.CancelledSealed
}
