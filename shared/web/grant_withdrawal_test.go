package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
)

func TestGrantWithdrawalAPI(t *testing.T) {
	f := newGrantFixture(t)
	id := f.applyAPI(t, gApplication)
	f.moveTo(t, id, grants.StatusInReview)
	f.task(t, id, id+".grant-review.x.a1", grants.TaskReview, "funder", gRev1)
	path := "/api/grant-applications/" + id + "/withdrawal"

	wantStatus(t, f.do(t, gLead, "POST", path, `{"reason":"No."}`), http.StatusForbidden)
	wantStatus(t, f.do(t, gFounder2, "POST", path, `{}`), http.StatusNotFound)
	wantStatus(t, f.do(t, "", "POST", path, `{}`), http.StatusUnauthorized)
	w := f.do(t, gFounder, "POST", path, `{"reason":`+`"`+strings.Repeat("a", 2001)+`"}`)
	wantStatus(t, w, http.StatusBadRequest)
	if _, _, fields := errorOf(t, w.Body.String()); fields["reason"] == "" {
		t.Errorf("fields = %v", fields)
	}

	w = f.do(t, gFounder, "POST", path, `{"reason":"We found other funding."}`)
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"status":"withdrawn"`) {
		t.Errorf("body = %s", w.Body)
	}
	if strings.Contains(w.Body.String(), "token-") {
		t.Errorf("a task token was shown: %s", w.Body)
	}
	if a := f.wf.Answers(); len(a) != 1 || string(a[0].Output) != `{"withdrawn":true}` {
		t.Errorf("answers = %+v", a)
	}
	// The reviewer's inbox no longer holds the task.
	inbox := f.do(t, gRev1, "GET", "/api/tasks", "")
	wantStatus(t, inbox, http.StatusOK)
	if strings.Contains(inbox.Body.String(), id) {
		t.Errorf("the reviewer's inbox still holds the task: %s", inbox.Body)
	}
	// A retry answers the same; a decided application cannot be withdrawn.
	wantStatus(t, f.do(t, gFounder, "POST", path, `{}`), http.StatusOK)
	other := f.applyAPI(t, gApplication)
	f.moveTo(t, other, grants.StatusIneligible)
	wantStatus(t, f.do(t, gFounder, "POST", "/api/grant-applications/"+other+"/withdrawal", `{}`), http.StatusConflict)
}
