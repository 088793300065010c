package demo

import "testing"

// TestHistoriesFollowTheStageTable: every sample co-op's history starts
// at applied, moves only as the stage table allows and ends at the
// co-op's stage; a history that does not is refused before it is stored.
func TestHistoriesFollowTheStageTable(t *testing.T) {
	for _, sc := range Coops {
		if err := sc.checkMoves(); err != nil {
			t.Errorf("%s: %v", sc.Coop.ID, err)
		}
	}
	bad := Coops[len(Coops)-1]
	bad.History = append([]Step{bad.History[0]}, bad.History[len(bad.History)-1]) // applied → withdrawn is allowed
	if err := bad.checkMoves(); err != nil {
		t.Errorf("applied → withdrawn refused: %v", err)
	}
	bad.History = []Step{bad.History[0], {To: "cqc-registered"}}
	if err := bad.checkMoves(); err == nil {
		t.Error("a history from applied straight to cqc-registered was taken")
	}
}
