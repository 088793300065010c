package pipeline

import (
	"slices"
	"testing"
	"time"
)

// TestCarryTakesTheTrailsMoves: a co-op screened and sent to the panel
// between two refreshes still gets a spell for each stage it passed
// through, dated by its events, not by the refreshes.
func TestCarryTakesTheTrailsMoves(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2027, time.March, day, 10, 0, 0, 0, time.UTC) }
	before := &Facts{Row: Row{Stage: StageApplied, StageEnteredAt: d(1)}, Reached: []string{StageApplied}}
	for _, tc := range []struct {
		name       string
		moves      []move
		now        Row // the stage the records hold at the refresh
		wantSpells []Spell
		wantEntry  time.Time
	}{
		{"two stages passed between refreshes",
			[]move{{StagePanel, d(3)}, {StagePreparing, d(10)}},
			Row{Stage: StagePreparing, StageEnteredAt: d(10)},
			[]Spell{{StageApplied, 2}, {StagePanel, 7}}, d(10)},
		{"a move within the journey stage (ready is still preparing) starts no stay",
			[]move{{StagePanel, d(3)}, {StagePreparing, d(10)}, {StagePreparing, d(20)}},
			Row{Stage: StagePreparing, StageEnteredAt: d(20)},
			[]Spell{{StageApplied, 2}, {StagePanel, 7}}, d(10)},
		{"no trail: the refresh sees the change itself",
			nil,
			Row{Stage: StagePanel, StageEnteredAt: d(5)},
			[]Spell{{StageApplied, 4}}, d(5)},
		{"a derived stage (funded) with no event is dated by the refresh",
			[]move{{StagePanel, d(2)}, {StagePreparing, d(3)}, {StageAppliedCQC, d(4)}, {StageRegistered, d(6)}},
			Row{Stage: StageFunded},
			[]Spell{{StageApplied, 1}, {StagePanel, 1}, {StagePreparing, 1}, {StageAppliedCQC, 2}, {StageRegistered, 3}}, d(9)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &Facts{Row: tc.now}
			carry(f, before, tc.moves, d(9))
			if !slices.Equal(f.Spells, tc.wantSpells) {
				t.Errorf("spells %v, want %v", f.Spells, tc.wantSpells)
			}
			if !f.StageEnteredAt.Equal(tc.wantEntry) {
				t.Errorf("entered %v, want %v", f.StageEnteredAt, tc.wantEntry)
			}
			for _, m := range tc.moves {
				if !slices.Contains(f.Reached, m.stage) {
					t.Errorf("reached %v lacks %s", f.Reached, m.stage)
				}
			}
			if len(before.Spells) != 0 {
				t.Fatal("carry changed the applied facts")
			}
		})
	}
}
