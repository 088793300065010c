package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// POST /api/coops/{id}/withdrawal: the founder or the agency withdraws;
// others get the co-op's 404; the reason is required and named when
// missing; the answer is the co-op, withdrawn, its journey's workflows
// stopped and its open tasks gone from the inbox; a repeat answers the same.
func TestWithdrawalAPI(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	path := "/api/coops/" + coopS + "/withdrawal"
	e.do("POST", path, "", `{"reason":"x"}`).wantError(t, 401, "")
	for _, user := range everyone {
		if !canSee(coopS, user) {
			e.do("POST", path, user, `{"reason":"We have paused."}`).wantError(t, 404, "")
		}
	}
	e.do("POST", path, founderB, `{}`).wantError(t, 400, "reason")
	e.do("POST", path, founderB, `{"reason":"`+strings.Repeat("a", 1001)+`"}`).wantError(t, 400, "reason")
	e.do("POST", path, founderB, `{"reason":"bad \u0007 bell"}`).wantError(t, 400, "reason")

	res := e.do("POST", path, founderB, `{"reason":"Two founding members took jobs elsewhere."}`)
	if res.status != 200 || !strings.Contains(res.body, `"stage":"withdrawn"`) {
		t.Fatalf("withdrawal = %d %s", res.status, res.body)
	}
	if stops := e.wf.Stops(); len(stops) != 2 {
		t.Errorf("stops %+v; want the application's and the registration's", stops)
	}
	inbox := e.do("GET", "/api/tasks", staffSouth, "")
	if inbox.status != 200 || strings.Contains(inbox.body, "task-s-panel") {
		t.Errorf("the agency's inbox still holds the panel task: %s", inbox.body)
	}
	again := e.do("POST", path, staffSouth, `{"reason":"Confirmed with the founders."}`)
	if again.status != 200 || !strings.Contains(again.body, `"stage":"withdrawn"`) {
		t.Errorf("repeat = %d %s", again.status, again.body)
	}
	if n := count(e.events(coopS), pathway.ActionCoopWithdrawn); n != 1 {
		t.Errorf("%d withdrawal events, want 1", n)
	}
}

// POST /api/coops/{id}/closure: agency staff only, from registered or
// contracted; a founder is forbidden; a co-op still preparing for CQC
// cannot close (409).
func TestClosureAPI(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	e.seedCoop("coop-trading", progNorth, founderA, pathway.StageContracted, testNow.AddDate(0, -6, 0))
	path := "/api/coops/coop-trading/closure"
	e.do("POST", path, founderA, `{"reason":"We stopped."}`).wantError(t, 403, "")
	e.do("POST", path, staffSouth, `{"reason":"We stopped."}`).wantError(t, 404, "")
	e.do("POST", path, staffNorth, `{"reason":""}`).wantError(t, 400, "reason")
	e.do("POST", "/api/coops/"+coopN+"/closure", staffNorth, `{"reason":"Stopped."}`).wantError(t, 409, "")
	for i := range 2 {
		res := e.do("POST", path, leadNorth, fmt.Sprintf(`{"reason":"The members voted to wind up the society (%d)."}`, i))
		if res.status != 200 || !strings.Contains(res.body, `"stage":"closed"`) {
			t.Fatalf("closure %d = %d %s", i, res.status, res.body)
		}
	}
	if n := count(e.events("coop-trading"), pathway.ActionCoopClosed); n != 1 {
		t.Errorf("%d closure events, want 1", n)
	}
}

// count counts a among actions.
func count(actions []string, a string) int {
	n := 0
	for _, x := range actions {
		if x == a {
			n++
		}
	}
	return n
}
