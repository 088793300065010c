package web_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestBoardAPI: GET /api/board answers agency staff with the board the
// board page shows: their agency's programmes, a column per stage with its
// count, and cards that carry each co-op's open tasks and whether one is
// overdue; ?programme= narrows it to one of them. Nobody else sees it.
func TestBoardAPI(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	late := e.seedCoop("coop-north-late", progNorth, founderB, pathway.StageAwaitingPanel, testNow.AddDate(0, 0, -20))
	e.seedTask("task-late-panel", pathway.TaskPanelDecision, late.ID, agencyNorth, pathway.RoleAgency, "tok-late", testNow.AddDate(0, 0, -6))

	var b journey.Board
	e.do("GET", "/api/board", staffNorth, "").decode(t, &b)
	var ids []string
	for _, p := range b.Programmes {
		ids = append(ids, p.ID)
	}
	if len(ids) != 2 || ids[0] != progClosed || ids[1] != progNorth {
		t.Fatalf("programmes %v, want the two the north agency runs", ids)
	}
	cards := map[string]journey.Card{}
	columns := map[string]journey.BoardColumn{}
	for _, col := range b.Programmes[1].Columns {
		columns[col.Stage] = col
		for _, c := range col.Cards {
			cards[c.ID] = c
		}
	}
	if b.Programmes[1].Total != 2 || columns[pathway.StageAwaitingPanel].Count != 1 || columns[pathway.StageCQCPreparing].Count != 1 {
		t.Errorf("counts: total %d, columns %+v", b.Programmes[1].Total, columns)
	}
	if _, ok := columns[pathway.StageIneligible]; ok {
		t.Errorf("an empty end stage has a column")
	}
	if c := cards["coop-north-late"]; c.OpenTasks != 1 || !c.Overdue || c.DaysInStage != 20 || !c.NextDue.Equal(testNow.AddDate(0, 0, -6)) {
		t.Errorf("overdue co-op's card = %+v", c)
	}
	if c := cards[coopN]; c.OpenTasks != 1 || c.Overdue || c.Name == "" {
		t.Errorf("co-op on time: card %+v", c)
	}
	if _, ok := cards[coopS]; ok {
		t.Errorf("another agency's co-op is on the board")
	}

	var one journey.Board
	e.do("GET", "/api/board?programme="+progNorth, leadNorth, "").decode(t, &one)
	if len(one.Programmes) != 1 || one.Programmes[0].ID != progNorth || one.Programmes[0].Total != 2 {
		t.Errorf("board of one programme = %+v", one)
	}

	tests := []struct {
		name, path, user string
		status           int
	}{
		{"no caller", "/api/board", "", 401},
		{"founder", "/api/board", founderA, 403},
		{"funder", "/api/board", funderUser, 403},
		{"commissioner", "/api/board", commissioner, 403},
		{"another agency's programme", "/api/board?programme=" + progNorth, staffSouth, 403},
		{"unknown programme", "/api/board?programme=prog-nowhere", staffNorth, 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.do("GET", tc.path, tc.user, "").wantError(t, tc.status, "")
		})
	}
	var south journey.Board
	e.do("GET", "/api/board", staffSouth, "").decode(t, &south)
	if len(south.Programmes) != 1 || south.Programmes[0].ID != progSouth || south.Programmes[0].Total != 1 {
		t.Errorf("the south agency's board = %+v", south)
	}
}
