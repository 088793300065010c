package pipeline

import (
	"slices"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Facts are what the projector keeps of one co-op: its Row as the list and
// the export show it (DaysInStage and Overdue are worked out when read,
// since they move with the clock, not with the co-op), and what its
// contribution to the agency's cells needs besides. The JSON is stored.
type Facts struct {
	Row
	// Agency is the organisation running the co-op's programme: the scope
	// of the co-op's cells.
	Agency string `json:"agency"`
	// Reached lists every journey stage the co-op ever reached, in
	// Stages order.
	Reached []string `json:"reached"`
	// Spells are the stages it has left and the whole days it spent in
	// each, carried on from refresh to refresh.
	Spells []Spell `json:"spells,omitempty"`
	// AgencyDue and FoundersDue are the UK days on which the earliest open
	// task of the agency and of the founders falls due (YYYY-MM-DD), ""
	// when none is open or none has a due date.
	AgencyDue string `json:"agencyDue,omitempty"`
	// WaitsOnAgency and WaitsOnFounders say whom open tasks wait on (both
	// may; Row.WaitingOn names the agency first).
	WaitsOnAgency   bool   `json:"waitsOnAgency,omitempty"`
	WaitsOnFounders bool   `json:"waitsOnFounders,omitempty"`
	FoundersDue     string `json:"foundersDue,omitempty"`
	// LastEvent is the ID of the last event of the co-op's trail read:
	// the next refresh reads the trail from there (Trail).
	LastEvent string `json:"lastEvent,omitempty"`
}

// Spell is one stay in a stage the co-op has left.
type Spell struct {
	Stage string `json:"stage"`
	Days  int    `json:"days"`
}

// Owners of waiting work, as the counters and WaitingOn.OverdueByOwner
// name them.
const (
	OwnerAgency   = "agency"
	OwnerFounders = "founders"
)

// dayLayout writes a due day.
const dayLayout = "2006-01-02"

// journeyStage maps a pathway stage onto the journey. cqc-ready is still
// preparing, a proposal to refuse is still with CQC; a registered co-op is
// contracted once it has a contract, tendering while it has a bid in and
// funded once a grant is awarded to it.
func journeyStage(pathwayStage string, awards, contracts int64, liveBid bool) string {
	switch pathwayStage {
	case pathway.StageApplied:
		return StageApplied
	case pathway.StageAwaitingPanel:
		return StagePanel
	case pathway.StageCQCPreparing, pathway.StageCQCReady:
		return StagePreparing
	case pathway.StageCQCSubmitted, pathway.StageCQCProposalToRefuse:
		return StageAppliedCQC
	case pathway.StageContracted:
		return StageContracted
	case pathway.StageIneligible:
		return StageIneligible
	case pathway.StageDeclined:
		return StageDeclined
	case pathway.StageCQCRefused:
		return StageRefused
	case pathway.StageWithdrawn:
		return StageWithdrawn
	case pathway.StageClosed:
		return StageClosed
	}
	switch { // registered
	case contracts > 0:
		return StageContracted
	case liveBid:
		return StageTendering
	case awards > 0:
		return StageFunded
	}
	return StageRegistered
}

// fromPathway reports whether a journey stage is entered when the pathway
// stage changes (so its time is the co-op's StageEnteredAt), rather than
// derived from grants and bids (so its time is the refresh's).
func fromPathway(journey, pathwayStage string) bool {
	switch journey {
	case StageFunded, StageTendering:
		return false
	case StageContracted:
		return pathwayStage == pathway.StageContracted
	}
	return true
}

// implied are the stages a co-op must have passed to be in a stage: a
// co-op first seen part way along (the aggregates started after it
// applied) still counts in the funnel of the stages behind it. Funded and
// tendering are not implied: a co-op may bid without a grant.
var implied = map[string][]string{
	StagePanel:      {StageApplied},
	StagePreparing:  {StageApplied, StagePanel},
	StageAppliedCQC: {StageApplied, StagePanel, StagePreparing},
	StageRegistered: {StageApplied, StagePanel, StagePreparing, StageAppliedCQC},
	StageFunded:     {StageApplied, StagePanel, StagePreparing, StageAppliedCQC, StageRegistered},
	StageTendering:  {StageApplied, StagePanel, StagePreparing, StageAppliedCQC, StageRegistered},
	StageContracted: {StageApplied, StagePanel, StagePreparing, StageAppliedCQC, StageRegistered},
	StageIneligible: {StageApplied},
	StageDeclined:   {StageApplied, StagePanel},
	StageRefused:    {StageApplied, StagePanel, StagePreparing, StageAppliedCQC},
	StageWithdrawn:  {StageApplied},
	StageClosed:     {StageApplied, StagePanel, StagePreparing, StageAppliedCQC, StageRegistered},
}

// reached returns before with stage and the stages it implies added, in
// Stages order: a co-op never un-reaches a stage.
func reached(before []string, stage string) []string {
	out := slices.Clone(before)
	for _, s := range append(slices.Clone(implied[stage]), stage) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return slices.Index(Stages, a) - slices.Index(Stages, b) })
	return out
}

// dueDay returns the UK day of a due time, "" for none.
func dueDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(pathway.UKTime).Format(dayLayout)
}

// today returns the UK day of now, to compare with due days.
func today(now time.Time) string { return now.In(pathway.UKTime).Format(dayLayout) }

// overdueOn reports whether a due day has passed by the UK day today: a
// task is overdue from the day after it falls due.
func overdueOn(due, today string) bool { return due != "" && due < today }

// atNow returns the row as read at now: its days in stage and whether
// its earliest task is overdue.
func (f *Facts) atNow(now time.Time) Row {
	r := f.Row
	r.DaysInStage = pathway.DaysSince(r.StageEnteredAt, now)
	d := today(now)
	r.Overdue = overdueOn(f.AgencyDue, d) || overdueOn(f.FoundersDue, d)
	return r
}
