package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestWithdrawThroughPages: a founder waiting for the panel sees the
// withdraw link on the co-op's page, confirms on its own page (the
// warning, CSRF, the reason required and named), and the co-op's page
// then shows the end with the reason; the application workflow is
// stopped, the panel's task leaves the agency's list and the board shows
// the co-op under Withdrawn. Another agency cannot reach the page.
func TestWithdrawThroughPages(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Calder Leaving Co-op")
	panel := v.task(id, pathway.TaskPanelDecision, user(officerID))
	founder, officer := v.visit(founderID), v.visit(officerID)
	page, confirm := coopPathOf(id), coopPathOf(id)+"/withdraw"

	for _, vi := range []*visitor{founder, officer} {
		if res := vi.get(page); !strings.Contains(res.body, `href="`+confirm+`"`) || strings.Contains(res.body, "/close\"") {
			t.Fatalf("the co-op page offers no withdrawal (or a closure): %d\n%s", res.status, res.body)
		}
	}
	if res := v.visit(outsiderID).get(confirm); res.status != http.StatusNotFound {
		t.Errorf("another agency's staff got %d, want 404", res.status)
	}
	res := founder.get(confirm)
	if res.status != http.StatusOK || !strings.Contains(res.body, "You cannot undo it") || !strings.Contains(res.body, "Yes, withdraw the co-op") {
		t.Fatalf("confirmation page: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, founder.csrf()); len(problems) > 0 {
		t.Errorf("confirmation page: %v", problems)
	}
	if res := founder.postRaw(confirm, url.Values{"reason": {"No token."}}); res.status != http.StatusForbidden {
		t.Errorf("a post without the CSRF token: %d, want 403", res.status)
	}
	res = founder.post(confirm, url.Values{"reason": {"  "}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#reason"`) {
		t.Fatalf("no reason: %d\n%s", res.status, res.body)
	}
	res = founder.post(confirm, url.Values{"reason": {"Two founding members took jobs elsewhere."}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "The co-op is withdrawn from the programme") ||
		!strings.Contains(res.body, "Two founding members took jobs elsewhere.") || strings.Contains(res.body, `href="`+confirm+`"`) {
		t.Fatalf("after withdrawing: %d %s\n%s", res.status, res.path, res.body)
	}
	v.engine.WaitIdle()
	if got, err := v.store.GetTask(v.ctx, panel.ID); err != nil || got.Status != pathway.TaskCancelled {
		t.Errorf("panel task %+v, %v; want cancelled", got, err)
	}
	if res := officer.get("/tasks"); strings.Contains(res.body, panel.ID) {
		t.Errorf("the agency's list still holds the panel task")
	}
	ex, err := v.engine.DescribeExecution(v.ctx, v.engine.ExecutionARN(pathway.WorkflowApplication, id))
	if err != nil || ex.Status != states.ExecAborted {
		t.Errorf("application execution %+v, %v; want stopped", ex, err)
	}
	if res := officer.get("/board"); !strings.Contains(res.body, "Withdrawn") || !strings.Contains(res.body, "Calder Leaving Co-op") {
		t.Errorf("the board does not show the withdrawn co-op:\n%s", res.body)
	}
	if res := founder.get(confirm); res.status != http.StatusConflict {
		t.Errorf("confirmation page after withdrawing: %d, want 409", res.status)
	}
}

// TestCloseThroughPages: only the agency is offered the closure of a
// contracted co-op; after it the co-op's page shows it closed.
func TestCloseThroughPages(t *testing.T) {
	v := newEnv(t)
	at := time.Now().AddDate(0, -8, 0)
	c := &pathway.Coop{ID: "coop-trading", Name: "Moorside Trading Co-op", Programme: programmeID,
		LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart, LocalAuthority: "Calderdale",
		Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
		Members:  []pathway.Member{{Name: "Ash Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Founders: []string{founderID}, Stage: pathway.StageContracted, StageEnteredAt: at, CreatedAt: at, UpdatedAt: at}
	v.must(v.store.CreateCoop(v.ctx, c, &pathway.Event{ID: "01JQ0000000000000000000000", Coop: c.ID, At: at,
		Actor: founderID, Action: pathway.ActionApplicationSubmitted, Summary: "Applied.", To: c.Stage}, nil))
	founder, officer := v.visit(founderID), v.visit(officerID)
	confirm := coopPathOf(c.ID) + "/close"
	if res := founder.get(coopPathOf(c.ID)); strings.Contains(res.body, confirm) || strings.Contains(res.body, "/withdraw\"") {
		t.Errorf("a founder of a contracted co-op is offered an end:\n%s", res.body)
	}
	if res := founder.get(confirm); res.status != http.StatusForbidden {
		t.Errorf("a founder on the closure page: %d, want 403", res.status)
	}
	if res := officer.get(coopPathOf(c.ID)); !strings.Contains(res.body, `href="`+confirm+`"`) {
		t.Fatalf("the agency is not offered the closure:\n%s", res.body)
	}
	res := officer.get(confirm)
	if problems := checkPage(res.body, officer.csrf()); res.status != http.StatusOK || len(problems) > 0 {
		t.Fatalf("confirmation page %d: %v\n%s", res.status, problems, res.body)
	}
	res = officer.post(confirm, url.Values{"reason": {"The members voted to wind up the society."}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Recorded: the co-op has closed") || !strings.Contains(res.body, "wind up the society") {
		t.Fatalf("after closing: %d\n%s", res.status, res.body)
	}
	if got, _ := v.store.GetCoop(v.ctx, c.ID); got.Stage != pathway.StageClosed {
		t.Errorf("stage %s, want closed", got.Stage)
	}
}
