package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestGrantWithdrawThroughPages: the founder sees the button while the
// application is under review, confirms on its own page, and the
// reviewer's task leaves their inbox; the button is then gone.
func TestGrantWithdrawThroughPages(t *testing.T) {
	v := newEnv(t)
	v.seedGrants()
	coop := v.apply("Calder Grant Co-op")
	id := applyForGrant(t, v, coop)
	task := v.grantTask(coop, id, grants.TaskReview)

	founder := v.visit(founderID)
	appPage := "/grants/applications/" + url.PathEscape(id)
	res := founder.get(appPage)
	if res.status != http.StatusOK || !strings.Contains(res.body, `href="`+appPage+`/withdraw"`) {
		t.Fatalf("application page lacks the withdraw button: %d\n%s", res.status, res.body)
	}
	// The reviewer is offered no such button.
	if res := v.visit(task.User).get(appPage); strings.Contains(res.body, "Withdraw this application") {
		t.Errorf("a reviewer is offered the withdraw button")
	}
	res = founder.get(appPage + "/withdraw")
	if res.status != http.StatusOK || !strings.Contains(res.body, "Yes, withdraw this application") {
		t.Fatalf("confirmation page: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, founder.csrf()); len(problems) > 0 {
		t.Errorf("confirmation page: %v", problems)
	}
	res = founder.post(appPage+"/withdraw", url.Values{"reason": {strings.Repeat("a", 2001)}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#reason"`) {
		t.Fatalf("a reason too long: %d\n%s", res.status, res.body)
	}
	res = founder.post(appPage+"/withdraw", url.Values{"reason": {"We found other funding."}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your application is withdrawn") || strings.Contains(res.body, `href="`+appPage+`/withdraw"`) {
		t.Fatalf("after withdrawing: %d %s\n%s", res.status, res.path, res.body)
	}
	got, err := v.store.GetTask(v.ctx, task.ID)
	if err != nil || got.Status != pathway.TaskCancelled {
		t.Errorf("review task = %+v, %v; want cancelled", got, err)
	}
	if res := v.visit(task.User).get("/tasks"); strings.Contains(res.body, task.ID) {
		t.Errorf("the reviewer's inbox still holds the task")
	}
	// Withdrawn is an end: the confirmation page is refused.
	if res := founder.get(appPage + "/withdraw"); res.status != http.StatusConflict {
		t.Errorf("confirmation page after withdrawing: %d", res.status)
	}
}
