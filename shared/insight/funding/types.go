package funding

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/insight/stats"
)

// Report is GET /api/insight/funders/{org}: the funder's figures in
// total and per programme.
type Report struct {
	Funder string  `json:"funder"`
	Total  Figures `json:"total"`
	// Programmes are the funder's programmes, in the order it lists them.
	Programmes []ProgrammeFigures `json:"programmes"`
	// Today is the UK day the overdue reports are counted on.
	Today string `json:"today"`
	// AsOf is when the figures were read.
	AsOf time.Time `json:"asOf"`
}

// ProgrammeFigures are one programme's figures.
type ProgrammeFigures struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Figures
}

// Figures are the money, the applications, the decisions, the awards
// and the reports of one programme or of all of them. Money is pence.
type Figures struct {
	// Budget is what may be awarded in all; Awarded what is committed
	// (declined awards not counted), Paid what was paid, Remaining what
	// may still be awarded: the programmes' budget records now.
	Budget    int64 `json:"budget"`
	Awarded   int64 `json:"awarded"`
	Paid      int64 `json:"paid"`
	Remaining int64 `json:"remaining"`
	// Months are the money month by month (UK), from the first month of
	// the programme or its first award to this month.
	Months []Month `json:"months"`
	// Applications counts the applications sent; Statuses splits them by
	// status (every status an application may have once sent, in order).
	Applications int64         `json:"applications"`
	Statuses     []StatusCount `json:"statuses"`
	// Decisions are the awards and decisions not to fund, with the days
	// from submission to decision.
	Decisions Decisions `json:"decisions"`
	// Awards counts the awards standing; ByArea, ByLegalForm and
	// ByOrigin split them and their pence.
	Awards      int64   `json:"awards"`
	ByArea      []Group `json:"byArea"`
	ByLegalForm []Group `json:"byLegalForm"`
	ByOrigin    []Group `json:"byOrigin"`
	// ReportsOverdue counts monitoring reports past their due day and
	// not accepted.
	ReportsOverdue int64 `json:"reportsOverdue"`
}

// Month is the money of one month: awarded and paid in it, and to its
// end, and what remained of the budget at its end.
type Month struct {
	Month         string `json:"month"`
	Awarded       int64  `json:"awarded"`
	Paid          int64  `json:"paid"`
	AwardedToDate int64  `json:"awardedToDate"`
	PaidToDate    int64  `json:"paidToDate"`
	Remaining     int64  `json:"remaining"`
}

// StatusCount is how many applications are in a status.
type StatusCount struct {
	Status string `json:"status"`
	Name   string `json:"name"`
	Count  int64  `json:"count"`
}

// Decisions are the lead's decisions and how long they took, in whole
// days from the day sent to the day decided (UK days). The median and
// 90th percentile are absent when nothing was decided.
type Decisions struct {
	Count      int64       `json:"count"`
	MedianDays *stats.Days `json:"medianDays"`
	P90Days    *stats.Days `json:"p90Days"`
}

// Group is the awards of one council area or kind of co-op.
type Group struct {
	// Code is the value (the area's name, a legal form's or origin's code).
	Code string `json:"code"`
	// Name says it in words ("Not known" when the co-op was not found).
	Name   string `json:"name"`
	Awards int64  `json:"awards"`
	Pence  int64  `json:"pence"`
}
