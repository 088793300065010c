// Package pipeline is the agency's view of its whole pipeline: every
// co-op's journey stage across the four phases, the funnel of a cohort,
// the days spent in each stage, what waits on whom, and the grants and
// contracts won per programme. Its Source keeps the co-op facts and the
// agency's cells (see shared/insight); its Service answers the dashboard,
// the list and the CSV export from them, reading a fixed number of cells
// whatever the number of co-ops.
package pipeline

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/insight/stats"
)

// Journey stages: where a co-op is across all four phases. The pathway
// stages map onto them (cqc-ready is still preparing; a proposal to refuse
// is still with CQC), and a registered co-op is funded once a grant is
// awarded to it, tendering once it has a bid in, contracted once it has
// entered into a contract. The API returns these strings.
const (
	StageApplied    = "applied"
	StagePanel      = "panel"
	StagePreparing  = "cqc-preparing"
	StageAppliedCQC = "cqc-submitted"
	StageRegistered = "cqc-registered"
	StageFunded     = "funded"
	StageTendering  = "tendering"
	StageContracted = "contracted"
	StageIneligible = "ineligible"
	StageDeclined   = "declined"
	StageRefused    = "cqc-refused"
	StageWithdrawn  = "withdrawn"
	StageClosed     = "closed"
)

// Stages lists every journey stage, the main road in order, then the ends.
var Stages = []string{
	StageApplied, StagePanel, StagePreparing, StageAppliedCQC, StageRegistered,
	StageFunded, StageTendering, StageContracted,
	StageIneligible, StageDeclined, StageRefused, StageWithdrawn, StageClosed,
}

// Filter selects the co-ops of a dashboard, a list or an export. Every
// field is optional; empty means any.
type Filter struct {
	Programme string `json:"programme,omitempty"`
	// Area is the council area (pathway.Coop.LocalAuthority).
	Area string `json:"area,omitempty"`
	// Service is one of the services the co-op will provide.
	Service   string `json:"service,omitempty"`
	Origin    string `json:"origin,omitempty"`
	LegalForm string `json:"legalForm,omitempty"`
	// Cohort is the month of application, "YYYY-MM" (UK time).
	Cohort string `json:"cohort,omitempty"`
}

// Report is GET /api/insight/pipeline.
type Report struct {
	Filter Filter `json:"filter"`
	// Stages lists every journey stage (Stages), in order.
	Stages     []StageFigure `json:"stages"`
	Conversion []Conversion  `json:"conversion"`
	WaitingOn  WaitingOn     `json:"waitingOn"`
	// Programmes are the grants and contracts won per programme of the
	// agency (only the filtered programme when one is chosen).
	Programmes []ProgrammeFigure `json:"programmes"`
	// Total counts the co-ops of the filter.
	Total int64 `json:"total"`
	// AsOf is when the figures were read.
	AsOf time.Time `json:"asOf"`
}

// StageFigure is one journey stage's figures.
type StageFigure struct {
	Stage string `json:"stage"`
	// Name says the stage in words.
	Name string `json:"name"`
	// Count is how many co-ops are in the stage now.
	Count int64 `json:"count"`
	// Reached is how many ever reached it: the funnel.
	Reached int64 `json:"reached"`
	// MedianDays and P90Days are the median and 90th percentile of the
	// days spent in the stage by the co-ops that have left it; null when
	// none has.
	MedianDays *stats.Days `json:"medianDays"`
	P90Days    *stats.Days `json:"p90Days"`
	// Left counts the co-ops that have left the stage (the days' sample).
	Left int64 `json:"left"`
}

// Conversion is the share of the co-ops that reached From which went on
// to reach To, along the main road.
type Conversion struct {
	From string     `json:"from"`
	To   string     `json:"to"`
	Rate stats.Rate `json:"rate"`
}

// WaitingOn says what waits on whom: co-ops with an open task for the
// agency, co-ops with an open task for their founders, and of those the
// ones whose earliest task is past due (overdue, by owner in
// OverdueByOwner).
type WaitingOn struct {
	Agency         int64            `json:"agency"`
	Founders       int64            `json:"founders"`
	Overdue        int64            `json:"overdue"`
	OverdueByOwner map[string]int64 `json:"overdueByOwner"`
}

// ProgrammeFigure is one programme's grants and contracts won.
type ProgrammeFigure struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Coops counts the programme's co-ops (of the filter).
	Coops int64 `json:"coops"`
	// Funded counts co-ops with a grant awarded; GrantsAwarded and
	// GrantsPaid are in pence.
	Funded        int64 `json:"funded"`
	GrantsAwarded int64 `json:"grantsAwardedPence"`
	GrantsPaid    int64 `json:"grantsPaidPence"`
	// Contracted counts co-ops that won a contract; Contracts counts the
	// contracts and ContractValue is their value in pence.
	Contracted    int64 `json:"contracted"`
	Contracts     int64 `json:"contracts"`
	ContractValue int64 `json:"contractValuePence"`
}

// Row is one co-op in a list or a CSV export: its facts.
type Row struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Programme      string    `json:"programme"`
	Area           string    `json:"area"`
	Services       []string  `json:"services"`
	Origin         string    `json:"origin"`
	LegalForm      string    `json:"legalForm"`
	Cohort         string    `json:"cohort"`
	AppliedAt      time.Time `json:"appliedAt"`
	Stage          string    `json:"stage"`
	StageEnteredAt time.Time `json:"stageEnteredAt"`
	DaysInStage    int       `json:"daysInStage"`
	// WaitingOn is "agency", "founders" or "".
	WaitingOn string `json:"waitingOn,omitempty"`
	Overdue   bool   `json:"overdue"`
	// Grants awarded and paid, in pence; contracts won and their value.
	GrantsAwarded int64 `json:"grantsAwardedPence"`
	GrantsPaid    int64 `json:"grantsPaidPence"`
	Contracts     int64 `json:"contracts"`
	ContractValue int64 `json:"contractValuePence"`
	// MembersByClass counts members per membership class; PaidJobs and
	// CareHoursPerWeek come from the latest accepted grant report (zero
	// until one is accepted; members from the co-op's own list until then).
	MembersByClass   map[string]int `json:"membersByClass"`
	PaidJobs         int            `json:"paidJobs"`
	CareHoursPerWeek int            `json:"careHoursPerWeek"`
}

// RowPage is one page of rows.
type RowPage struct {
	Rows []Row `json:"rows"`
	// Next is the cursor of the following page, "" on the last.
	Next string `json:"next,omitempty"`
}
