package pathway_test

import (
	"slices"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// wantMoves is the journey as the workflows and the design describe it,
// written out here independently of the table: every other pair of
// stages must be refused.
var wantMoves = map[[2]string]bool{
	{pathway.StageApplied, pathway.StageIneligible}:                true,
	{pathway.StageApplied, pathway.StageAwaitingPanel}:             true,
	{pathway.StageAwaitingPanel, pathway.StageAwaitingPanel}:       true, // deferred
	{pathway.StageAwaitingPanel, pathway.StageDeclined}:            true,
	{pathway.StageAwaitingPanel, pathway.StageCQCPreparing}:        true,
	{pathway.StageCQCPreparing, pathway.StageCQCReady}:             true,
	{pathway.StageCQCReady, pathway.StageCQCSubmitted}:             true,
	{pathway.StageCQCSubmitted, pathway.StageCQCRegistered}:        true,
	{pathway.StageCQCSubmitted, pathway.StageCQCProposalToRefuse}:  true,
	{pathway.StageCQCSubmitted, pathway.StageCQCRefused}:           true,
	{pathway.StageCQCProposalToRefuse, pathway.StageCQCRegistered}: true,
	{pathway.StageCQCProposalToRefuse, pathway.StageCQCRefused}:    true,
	{pathway.StageApplied, pathway.StageWithdrawn}:                 true,
	{pathway.StageAwaitingPanel, pathway.StageWithdrawn}:           true,
	{pathway.StageCQCPreparing, pathway.StageWithdrawn}:            true,
	{pathway.StageCQCReady, pathway.StageWithdrawn}:                true,
	{pathway.StageCQCSubmitted, pathway.StageWithdrawn}:            true,
	{pathway.StageCQCProposalToRefuse, pathway.StageWithdrawn}:     true,
	{pathway.StageCQCRegistered, pathway.StageContracted}:          true,
	{pathway.StageCQCRegistered, pathway.StageWithdrawn}:           true,
	{pathway.StageCQCRegistered, pathway.StageClosed}:              true,
	{pathway.StageContracted, pathway.StageClosed}:                 true,
	{pathway.StageIneligible, pathway.StageApplied}:                true, // corrected and sent again
}

// TestFounderMoves: the only way out of an end is the founders sending a
// screened-out application again, which goes back to the start of the
// application phase with its reason; the stage stays an end (no workflow
// leaves it, and it cannot be withdrawn from).
func TestFounderMoves(t *testing.T) {
	for _, tc := range []struct{ from, to string }{{pathway.StageIneligible, pathway.StageApplied}} {
		i := slices.IndexFunc(pathway.FounderMoves, func(m pathway.StageMove) bool { return m.From == tc.from && m.To == tc.to })
		if i < 0 || pathway.FounderMoves[i].Why == "" {
			t.Errorf("no founder move %s → %s with a reason", tc.from, tc.to)
		}
		if !pathway.StageOf(tc.from).End() || pathway.CanMove(tc.from, pathway.StageWithdrawn) {
			t.Errorf("%s is no longer an end", tc.from)
		}
		if pathway.StageOf(tc.to).Phase != pathway.StageOf(tc.from).Phase {
			t.Errorf("founder move %s → %s leaves its phase", tc.from, tc.to)
		}
	}
	if len(pathway.FounderMoves) != 1 {
		t.Errorf("founder moves %v, want the one resubmission", pathway.FounderMoves)
	}
}

// TestMoveFollowsTheStageTable walks every pair of stages through Move:
// exactly the journey's moves are allowed; any other is ECONFLICT and
// leaves the co-op as it was.
func TestMoveFollowsTheStageTable(t *testing.T) {
	entered := time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC)
	at := time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)
	for _, from := range pathway.Stages {
		for _, to := range pathway.Stages {
			c := eligibleCoop()
			c.Stage, c.StageEnteredAt, c.UpdatedAt, c.Failure = from, entered, entered, "a step failed"
			want := wantMoves[[2]string{from, to}]
			if got := pathway.CanMove(from, to); got != want {
				t.Errorf("CanMove(%s, %s) = %v, want %v", from, to, got, want)
			}
			err := pathway.Move(c, to, at)
			switch {
			case !want:
				if pathway.ErrorCode(err) != pathway.ECONFLICT {
					t.Errorf("Move %s → %s = %v, want ECONFLICT", from, to, err)
				}
				if c.Stage != from || !c.StageEnteredAt.Equal(entered) || c.Failure == "" {
					t.Errorf("a refused move %s → %s changed the co-op: %s %v %q", from, to, c.Stage, c.StageEnteredAt, c.Failure)
				}
			case from == to:
				// Re-entering the stage (a deferral) is no change.
				if err != nil || c.Stage != from || !c.StageEnteredAt.Equal(entered) {
					t.Errorf("Move %s → itself = %v, stage %s entered %v; want no change", from, err, c.Stage, c.StageEnteredAt)
				}
			default:
				if err != nil || c.Stage != to || !c.StageEnteredAt.Equal(at) || !c.UpdatedAt.Equal(at) || c.Failure != "" {
					t.Errorf("Move %s → %s = %v: stage %s entered %v updated %v failure %q; want the new stage entered at %v, the failure cleared",
						from, to, err, c.Stage, c.StageEnteredAt, c.UpdatedAt, c.Failure, at)
				}
			}
		}
	}
}

// TestStageTableShape walks the table as a graph: every stage is reached
// from the application, every open stage can reach an end and be
// withdrawn from, ends have no way out, each phase moves only its own
// stages, steps never go back, and every stage has words.
func TestStageTableShape(t *testing.T) {
	reached := map[string]bool{pathway.StageApplied: true}
	for queue := []string{pathway.StageApplied}; len(queue) > 0; queue = queue[1:] {
		for _, to := range pathway.Stages {
			if pathway.CanMove(queue[0], to) && !reached[to] {
				reached[to] = true
				queue = append(queue, to)
			}
		}
	}
	seen := map[string]bool{}
	for _, code := range pathway.Stages {
		s := pathway.StageOf(code)
		if seen[code] {
			t.Errorf("stage %s listed twice", code)
		}
		seen[code] = true
		if !reached[code] {
			t.Errorf("no path from applied reaches %s", code)
		}
		if s.Name == "" || s.Code != code {
			t.Errorf("stage %s has no words: %+v", code, s)
		}
		if (s.Phase == "") != (code == pathway.StageWithdrawn) {
			t.Errorf("stage %s has phase %q; only withdrawn belongs to none", code, s.Phase)
		}
		if !s.End() && !pathway.CanMove(code, pathway.StageWithdrawn) {
			t.Errorf("open stage %s cannot be withdrawn from", code)
		}
		if s.End() && s.ChecklistOpen {
			t.Errorf("end %s keeps the checklist open", code)
		}
		if !s.End() && !reachesEnd(code) {
			t.Errorf("no end is reachable from %s", code)
		}
	}
	for _, end := range []string{pathway.StageIneligible, pathway.StageDeclined, pathway.StageContracted, pathway.StageCQCRefused, pathway.StageWithdrawn} {
		if !pathway.StageOf(end).End() {
			t.Errorf("%s is not an end", end)
		}
	}
	phases := map[string]bool{}
	for _, p := range pathway.Phases {
		phases[p.Phase] = true
		if p.Workflow == "" {
			t.Errorf("phase %s names no workflow", p.Phase)
		}
		for _, mv := range p.Moves {
			from, to := pathway.StageOf(mv.From), pathway.StageOf(mv.To)
			if !pathway.IsStage(mv.From) || !pathway.IsStage(mv.To) || mv.Why == "" {
				t.Errorf("move %+v: unknown stage or no reason", mv)
			}
			if from.Phase != p.Phase {
				t.Errorf("phase %s moves %s, a stage of phase %q", p.Phase, mv.From, from.Phase)
			}
			if to.Step < from.Step {
				t.Errorf("move %s → %s goes back from step %d to %d", mv.From, mv.To, from.Step, to.Step)
			}
		}
	}
	if len(phases) != 3 || !phases[pathway.PhaseApplication] || !phases[pathway.PhaseRegistration] || !phases[pathway.PhaseTender] {
		t.Errorf("phases = %v, want application, registration and tender", phases)
	}
	var open []string
	for _, code := range pathway.Stages {
		if pathway.StageOf(code).ChecklistOpen {
			open = append(open, code)
		}
	}
	if want := []string{pathway.StageCQCPreparing, pathway.StageCQCReady, pathway.StageCQCSubmitted, pathway.StageCQCProposalToRefuse}; !slices.Equal(open, want) {
		t.Errorf("the checklist is open in %v, want %v (from the panel's acceptance until CQC decides)", open, want)
	}
	if u := pathway.StageOf("flying"); u.Name != "Flying" || u.Step != -1 || pathway.IsStage("flying") {
		t.Errorf("unknown stage = %+v", u)
	}
}

// reachesEnd reports whether some end is reachable from the stage.
func reachesEnd(from string) bool {
	seen := map[string]bool{from: true}
	for queue := []string{from}; len(queue) > 0; queue = queue[1:] {
		if pathway.StageOf(queue[0]).End() {
			return true
		}
		for _, to := range pathway.Stages {
			if pathway.CanMove(queue[0], to) && !seen[to] {
				seen[to] = true
				queue = append(queue, to)
			}
		}
	}
	return false
}
