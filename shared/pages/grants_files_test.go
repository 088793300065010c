package pages_test

import (
	"bytes"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestGrantFilesForm: the founder posts the upload form on their grant
// application's page (straight to storage, then back); a file of another
// type is refused naming the field; a reviewer sees the file only after
// declaring no conflict, and one who declared a conflict cannot fetch it.
func TestGrantFilesForm(t *testing.T) {
	v, _ := filesSite(t)
	v.seedGrants()
	gs, app := v.applyForTraining()
	page := v.srv.URL + "/grants/applications/" + url.PathEscape(app.ID)

	founder := v.browser(founderID)
	_, body := getPage(t, founder, page)
	if !strings.Contains(body, "No files have been uploaded for this application yet.") || !strings.Contains(body, "Upload a file") {
		t.Fatalf("founder's application page:\n%s", body)
	}
	pdf := []byte("%PDF-1.7\ninvented cash-flow forecast\n")
	status, after := postUpload(t, founder, v.srv.URL, body, "cash-flow.pdf", pdf)
	if status != 200 || !strings.Contains(after, "Your file is uploaded") || !strings.Contains(after, "cash-flow.pdf") || !strings.Contains(after, "PDF") {
		t.Fatalf("after the upload: %d\n%s", status, after)
	}
	status, refused := postUpload(t, founder, v.srv.URL, after, "notes.pdf", []byte("<html>not a pdf</html>"))
	if status != 400 || !strings.Contains(refused, `href="#file"`) || !strings.Contains(refused, pathway.FileTypeMessage) {
		t.Errorf("refused upload: %d\n%s", status, refused)
	}

	// Under review, with a review task for each reviewer.
	a, err := gs.GetApplication(v.ctx, app.ID)
	v.must(err)
	v.must(grants.Move(a, grants.StatusInReview, time.Now()))
	v.must(gs.UpdateApplication(v.ctx, a, nil))
	for _, r := range []string{reviewerOne, reviewerTwo} {
		_, err := v.store.PutTask(v.ctx, &pathway.Task{ID: "review-" + r, Kind: grants.TaskReview, Subject: grants.Subject(app.ID), Coop: "coop-files",
			Organisation: funderOrg, Role: pathway.RoleFunder, User: r, Title: "Review", Due: time.Now().Add(72 * time.Hour), Token: "token-" + r,
			Status: pathway.TaskOpen, CreatedAt: time.Now()})
		v.must(err)
	}
	link := regexp.MustCompile(`<a href="(/files/[^"]+)" download>cash-flow.pdf</a>`)
	rv := v.visit(reviewerOne)
	if res := rv.get("/grants/applications/" + url.PathEscape(app.ID)); strings.Contains(res.body, "cash-flow.pdf") {
		t.Errorf("the reviewer sees the file before declaring:\n%s", res.body)
	}
	res := rv.post("/grants/applications/"+url.PathEscape(app.ID)+"/declaration", url.Values{"conflict": {"no"}})
	m := link.FindStringSubmatch(res.body)
	if m == nil || strings.Contains(res.body, "Upload a file") {
		t.Fatalf("reviewer's full view: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, rv.csrf()); len(problems) > 0 {
		t.Errorf("reviewer's full view: %v", problems)
	}
	resp, err := v.browser(reviewerOne).Get(v.srv.URL + m[1])
	v.must(err)
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, pdf) {
		t.Errorf("reviewer's download = %d %q", resp.StatusCode, got)
	}
	conflicted := v.visit(reviewerTwo)
	conflicted.post("/grants/applications/"+url.PathEscape(app.ID)+"/declaration", url.Values{"conflict": {"yes"}, "reason": {"A founder is my cousin."}})
	if status, _ := getPage(t, v.browser(reviewerTwo), v.srv.URL+m[1]); status != 404 {
		t.Errorf("download after a conflict = %d, want 404", status)
	}
}

// applyForTraining has the founder apply for a £5,000 training grant for
// the files site's co-op, through a grants service without workflows.
func (v *env) applyForTraining() (*grantstore.Store, *grantservice.ApplicationView) {
	v.t.Helper()
	gs := grantstore.New(v.store.Table())
	svc := grantservice.New(v.store, gs, &testkit.Workflows{}, nil)
	app, err := svc.Apply(v.ctx, user(founderID), grantservice.ApplicationID(founderID, ""), grantservice.ApplicationInput{
		Programme: grantProg, Coop: "coop-files", Title: "Training our first carers", Purpose: "Care Certificate training.",
		Amount: 500_000, Budget: []grants.BudgetLine{{Item: "Training", Amount: 500_000}}, Timeline: "Autumn"})
	v.must(err)
	return gs, app
}
