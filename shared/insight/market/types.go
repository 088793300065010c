package market

import "time"

// Report is the council dashboard: GET /api/insight/councils/{org}.
// Money is integer pence including VAT; days are UK dates YYYY-MM-DD.
type Report struct {
	Council string `json:"council"`
	// Today is the UK day the figures were read on: standstills running
	// and notices overdue are counted against it.
	Today string `json:"today"`
	// Tenders counts every tender of the council, drafts too, and Value
	// adds their estimated values.
	Tenders int64 `json:"tenders"`
	Value   int64 `json:"value"`
	// ByStatus lists every status in the order a tender meets them.
	ByStatus []StatusFigure `json:"byStatus"`
	// Bids are the bids in (not withdrawn) for every tender.
	Bids BidFigures `json:"bids"`
	// Contracts are the contracts entered into.
	Contracts ContractFigures `json:"contracts"`
	// Standstills are the standstills running (last day today or later),
	// by last day, the soonest first.
	Standstills []DayFigure `json:"standstills"`
	// StandstillsRunning counts the tenders whose standstill is running.
	StandstillsRunning int64 `json:"standstillsRunning"`
	// NoticesDue are the contract details notices (UK7) due and not yet
	// published, by last day, the soonest first (overdue ones too).
	NoticesDue []DayFigure `json:"noticesDue"`
	// NoticesDueCount counts the notices due, NoticesOverdue those of
	// them whose last day has passed.
	NoticesDueCount int64 `json:"noticesDueCount"`
	NoticesOverdue  int64 `json:"noticesOverdue"`
	// TenderRows are one page of the "bids per tender" table, the latest
	// deadline first; NextPage is the cursor of the next ("" on the last).
	TenderRows []TenderRow `json:"tenderRows"`
	NextPage   string      `json:"nextPage,omitempty"`
}

// StatusFigure counts the tenders in one status.
type StatusFigure struct {
	Status string `json:"status"`
	Name   string `json:"name"`
	Count  int64  `json:"count"`
	Value  int64  `json:"value"`
}

// BidFigures split the bids in by kind of bidder. Bids for tenders still
// open are sealed: counted in Total and Sealed only, never by kind.
type BidFigures struct {
	Total     int64 `json:"total"`
	Sealed    int64 `json:"sealed"`
	Coops     int64 `json:"coops"`
	OtherVCSE int64 `json:"otherVCSE"`
	Others    int64 `json:"others"`
}

// ContractFigures are the contracts entered into and the value going to
// co-ops and public service mutuals.
type ContractFigures struct {
	Count          int64 `json:"count"`
	Value          int64 `json:"value"`
	CoopsAndMutual int64 `json:"coopsAndMutuals"`
	// Percent is CoopsAndMutual's share of Value, in whole percent
	// (rounded down; 0 with no contract).
	Percent int64 `json:"percent"`
}

// DayFigure counts the tenders whose standstill ends, or whose notice is
// due, on Day.
type DayFigure struct {
	Day     string `json:"day"`
	Count   int64  `json:"count"`
	Overdue bool   `json:"overdue,omitempty"`
}

// TenderRow is one tender in the "bids per tender" table. While its bids
// are sealed only the count shows: Coops, OtherVCSE and Others are nil.
type TenderRow struct {
	ID             string    `json:"id"`
	Title          string    `json:"title"`
	Status         string    `json:"status"`
	StatusName     string    `json:"statusName"`
	TendersCloseAt time.Time `json:"tendersCloseAt"`
	Value          int64     `json:"value"`
	Bids           int       `json:"bids"`
	Sealed         bool      `json:"sealed"`
	Coops          *int      `json:"coops,omitempty"`
	OtherVCSE      *int      `json:"otherVCSE,omitempty"`
	Others         *int      `json:"others,omitempty"`
	// Contracted and ToCoopsMutuals are the contract's value and the part
	// of it to co-ops and mutuals, once entered into.
	Contracted     int64  `json:"contracted,omitempty"`
	ToCoopsMutuals int64  `json:"toCoopsMutuals,omitempty"`
	StandstillEnds string `json:"standstillLastDay,omitempty"`
	UK7Due         string `json:"uk7Due,omitempty"`
}
