package pathway

import (
	"slices"
	"time"
)

// Phases of the journey: each has its workflow and its stage table.
const (
	PhaseApplication  = "application"
	PhaseRegistration = "registration"
	PhaseTender       = "tender"
)

// StageInfo is one stage of the journey: its words for people and what
// holds while a co-op is in it.
type StageInfo struct {
	// Code is the Stage* constant the records and the API carry.
	Code string
	// Name says the stage in words, as the board and the co-op pages show it.
	Name string
	// Phase is the phase whose workflow moves co-ops out of the stage (for
	// an end, the phase that reached it); empty for withdrawn, which any
	// phase can reach.
	Phase string
	// Step orders the stages along the main journey from 0; an end ranks
	// with the step that led to it, and withdrawn, which leaves the
	// journey wherever it was, with none (-1).
	Step int
	// Board marks the stages the pipeline board shows a column for even
	// when no co-op is in them; the others only when one is.
	Board bool
	// ChecklistOpen marks the stages in which the CQC checklist may still
	// change: from the panel's acceptance until CQC decides.
	ChecklistOpen bool
}

// End reports whether the stage ends the journey: no workflow move
// leaves it. An end that founders can reopen (FounderMoves) is an end
// still: the journey stops there unless they act.
func (s StageInfo) End() bool { return !open[s.Code] }

// stages are every stage, in journey order with the ends last: the
// order of the pipeline board's columns.
var stages = []StageInfo{
	{Code: StageApplied, Name: "Applied", Phase: PhaseApplication, Step: 0, Board: true},
	{Code: StageAwaitingPanel, Name: "Waiting for the panel", Phase: PhaseApplication, Step: 1, Board: true},
	{Code: StageCQCPreparing, Name: "Preparing for CQC", Phase: PhaseRegistration, Step: 2, Board: true, ChecklistOpen: true},
	{Code: StageCQCReady, Name: "Ready to apply to CQC", Phase: PhaseRegistration, Step: 3, Board: true, ChecklistOpen: true},
	{Code: StageCQCSubmitted, Name: "Applied to CQC", Phase: PhaseRegistration, Step: 4, Board: true, ChecklistOpen: true},
	{Code: StageCQCProposalToRefuse, Name: "CQC proposes to refuse", Phase: PhaseRegistration, Step: 5, ChecklistOpen: true},
	{Code: StageCQCRegistered, Name: "Registered with CQC", Phase: PhaseTender, Step: 6, Board: true},
	{Code: StageContracted, Name: "Contracted", Phase: PhaseTender, Step: 7, Board: true},
	{Code: StageIneligible, Name: "Not eligible", Phase: PhaseApplication, Step: 0},
	{Code: StageDeclined, Name: "Declined by the panel", Phase: PhaseApplication, Step: 1},
	{Code: StageCQCRefused, Name: "Refused by CQC", Phase: PhaseRegistration, Step: 6},
	{Code: StageWithdrawn, Name: "Withdrawn", Step: -1},
	{Code: StageClosed, Name: "Closed", Phase: PhaseTender, Step: 7},
}

// StageMove is one change of stage the journey allows.
type StageMove struct {
	From, To string
	// Why says what makes the move, in a few words.
	Why string
}

// PhaseTable is one phase's stage table: the moves its workflow makes.
type PhaseTable struct {
	// Phase is the Phase* constant.
	Phase string
	// Workflow is the workflow (a Workflow* name) that makes the moves.
	Workflow string
	// Moves are the allowed changes of stage. A move from a stage to
	// itself lets a step re-enter the stage without leaving it.
	Moves []StageMove
}

// Phases are the stage tables, one per phase. Every stage change goes
// through Move, which allows exactly these moves and, from any stage
// with a move out (an open stage), withdrawal.
var Phases = []PhaseTable{
	{Phase: PhaseApplication, Workflow: WorkflowApplication, Moves: []StageMove{
		{StageApplied, StageIneligible, "screening found the application not eligible"},
		{StageApplied, StageAwaitingPanel, "screening passed: the panel's decision is asked for"},
		{StageAwaitingPanel, StageAwaitingPanel, "the panel deferred its decision to its next meeting"},
		{StageAwaitingPanel, StageDeclined, "the panel declined"},
		{StageAwaitingPanel, StageCQCPreparing, "the panel accepted: the registration phase begins"},
	}},
	{Phase: PhaseRegistration, Workflow: WorkflowRegistration, Moves: []StageMove{
		{StageCQCPreparing, StageCQCReady, "every required checklist item is verified"},
		{StageCQCReady, StageCQCSubmitted, "the founders applied to CQC"},
		{StageCQCSubmitted, StageCQCRegistered, "CQC registered the co-op"},
		{StageCQCSubmitted, StageCQCProposalToRefuse, "CQC gave notice of a proposal to refuse"},
		{StageCQCSubmitted, StageCQCRefused, "CQC refused"},
		{StageCQCProposalToRefuse, StageCQCRegistered, "CQC registered the co-op after representations"},
		{StageCQCProposalToRefuse, StageCQCRefused, "CQC refused after representations"},
	}},
	{Phase: PhaseTender, Workflow: WorkflowTender, Moves: []StageMove{
		{StageCQCRegistered, StageContracted, "the co-op entered into a council contract"},
	}},
}

// FounderMoves are the moves founders make themselves, out of an end:
// an application screened out can be corrected and sent again, which
// starts the application workflow anew (a new attempt, see Coop.Attempt).
var FounderMoves = []StageMove{
	{StageIneligible, StageApplied, "the founders corrected the application and sent it again"},
}

// AgencyMoves are the moves the agency records itself: a registered
// co-op, contracted or not, that stops trading or is wound up has closed.
// Closing is an end, not a withdrawal: the co-op got through the journey.
var AgencyMoves = []StageMove{
	{StageCQCRegistered, StageClosed, "the co-op stopped trading or was wound up"},
	{StageContracted, StageClosed, "the co-op stopped trading or was wound up"},
}

// open marks the stages a workflow move leaves: the open stages.
var open = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range Phases {
		for _, mv := range p.Moves {
			m[mv.From] = true
		}
	}
	return m
}()

// movesFrom maps a stage to the stages it may move to: the tables' moves,
// withdrawal from every open stage, then the founders' moves.
var movesFrom = func() map[string][]string {
	m := map[string][]string{}
	for _, p := range Phases {
		for _, mv := range p.Moves {
			m[mv.From] = append(m[mv.From], mv.To)
		}
	}
	for from := range m {
		m[from] = append(m[from], StageWithdrawn)
	}
	for _, mv := range FounderMoves {
		m[mv.From] = append(m[mv.From], mv.To)
	}
	for _, mv := range AgencyMoves {
		m[mv.From] = append(m[mv.From], mv.To)
	}
	return m
}()

// Stages lists every stage code in journey order, ends last; the pipeline
// board shows a column for each.
var Stages = func() []string {
	out := make([]string, len(stages))
	for i, s := range stages {
		out[i] = s.Code
	}
	return out
}()

// IsStage reports whether s is one of the journey's stages.
func IsStage(s string) bool { return slices.Contains(Stages, s) }

// StageOf returns the stage with the code; an unknown code gets its code
// made readable as its name, no phase and step -1.
func StageOf(code string) StageInfo {
	for _, s := range stages {
		if s.Code == code {
			return s
		}
	}
	return StageInfo{Code: code, Name: Readable(code), Step: -1}
}

// Registered reports whether a co-op in the stage is registered with CQC:
// registered, or gone on from there to a contract.
func Registered(stage string) bool { return stage == StageCQCRegistered || stage == StageContracted }

// StageName says a stage in words.
func StageName(code string) string { return StageOf(code).Name }

// CanMove reports whether the stage table allows a co-op in stage from to
// move to stage to.
func CanMove(from, to string) bool { return slices.Contains(movesFrom[from], to) }

// Move moves c to stage to at at, if the stage table allows the move:
// the stage, when it was entered and when the co-op changed are set, and
// a failure recorded in the old stage is cleared, because the journey
// moved on from it. A move the table does not allow is ECONFLICT and
// changes nothing. A move to the stage c is in already (allowed only
// where the table lets a stage be re-entered) changes nothing either:
// callers that repeat a step treat "already there" as done before
// calling Move. Every stage change goes through Move; the caller stores
// c with the change's event.
func Move(c *Coop, to string, at time.Time) error {
	if !CanMove(c.Stage, to) {
		return Errorf(ECONFLICT, "The co-op is at the %q stage, so it cannot move to %q.", c.Stage, to)
	}
	if c.Stage == to {
		return nil
	}
	c.Stage, c.StageEnteredAt, c.UpdatedAt, c.Failure = to, at, at, ""
	return nil
}
