package pages_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// TestAgencyQueueOnBoardAndInbox: an item marked done shows on its
// co-op's card ("1 item waiting for the agency to check"), in its
// column's count of co-ops waiting on the agency, and in the agency's
// inbox as one task linking to the co-op's checklist.
func TestAgencyQueueOnBoardAndInbox(t *testing.T) {
	st, dir := openStore(t)
	now := time.Now()
	seedPipeline(t, st, len(pathway.Stages), now)
	coop := "coop-bench-00002" // the third stage: preparing for CQC
	ctx := t.Context()
	if err := st.PutChecklist(ctx, []*pathway.ChecklistItem{{Coop: coop, ID: "POL-01", Group: pathway.GroupPolicies,
		Title: "Safeguarding policy", Required: true, Status: pathway.ItemNotStarted}}); err != nil {
		t.Fatal(err)
	}
	it, err := st.GetChecklistItem(ctx, coop, "POL-01")
	if err != nil {
		t.Fatal(err)
	}
	it.Status, it.Evidence, it.UpdatedAt, it.UpdatedBy = pathway.ItemDone, "Invented policy", now.Add(-10*24*time.Hour), founderID
	if err := st.UpdateChecklistItem(ctx, it, &pathway.Event{ID: "01JQ0000000000000000000099", Coop: coop, At: now,
		Actor: founderID, Action: pathway.ActionChecklistItemDone, Summary: "Marked done."}); err != nil {
		t.Fatal(err)
	}
	auth, err := devauth.New(st, dir)
	if err != nil {
		t.Fatal(err)
	}
	h := site(web.Config{Store: st, Auth: auth, Logger: quietLogger()})
	token, _ := auth.Token(officerID)
	get := func(path string) string {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: devauth.CookieName, Value: token})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d", path, rec.Code)
		}
		return rec.Body.String()
	}
	board := get("/board")
	for _, want := range []string{"1 item waiting for the agency to check", "1 waiting on the agency, 1 overdue. Next due"} {
		if !strings.Contains(board, want) {
			t.Errorf("board lacks %q", want)
		}
	}
	inbox := get("/tasks")
	if !strings.Contains(inbox, `<a href="/coops/`+coop+`#checklist">Check 1 item of evidence from Bench Care Co-op 2</a>`) {
		t.Errorf("inbox lacks the verification task linking to the checklist:\n%s", inbox)
	}
	// The task's own address, typed in or kept from an email, leads to
	// the checklist too, not to a page that cannot answer it.
	req := httptest.NewRequest("GET", "/tasks/"+pathway.VerificationTaskID(coop), nil)
	req.AddCookie(&http.Cookie{Name: devauth.CookieName, Value: token})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || loc != "/coops/"+coop+"#checklist" {
		t.Errorf("GET the verification task = %d to %q, want 303 to the checklist", rec.Code, loc)
	}
}
