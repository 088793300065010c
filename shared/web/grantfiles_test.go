package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localfiles"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// grantUpload posts the file as the user, multipart in the field "file".
func (f *grantFixture) grantUpload(t *testing.T, user, app, name string, content []byte, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	r := httptest.NewRequest("POST", "/api/grant-applications/"+app+"/files", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("X-Test-User", user)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

func TestGrantFilesAPI(t *testing.T) {
	f := newGrantFixture(t)
	blobs, err := localfiles.New(t.TempDir())
	must(t, err)
	now := func() time.Time { return gNow }
	// The grants service takes the journey's file storage.
	f.h = web.New(web.Config{Store: f.st, Workflows: f.wf, Journey: journey.New(f.st, f.wf, now).WithFiles(blobs), Auth: grantAuth{}, Now: now})
	id := f.applyAPI(t, gApplication)
	pdf := []byte("%PDF-1.7\ninvented budget\n")

	w := f.grantUpload(t, gFounder, id, "budget.pdf", pdf, "Idempotency-Key", "grant-file-1")
	wantStatus(t, w, http.StatusCreated)
	var up struct {
		ID, Name, Type, SHA256 string
		Size                   int64
	}
	must(t, json.Unmarshal(w.Body.Bytes(), &up))
	if up.Name != "budget.pdf" || up.Type != pathway.TypePDF || up.Size != int64(len(pdf)) || len(up.SHA256) != 64 || w.Header().Get("Location") != "/api/files/"+up.ID {
		t.Errorf("upload = %s, Location %q", w.Body, w.Header().Get("Location"))
	}
	// A retry under the same key records nothing more.
	again := f.grantUpload(t, gFounder, id, "budget.pdf", pdf, "Idempotency-Key", "grant-file-1")
	wantStatus(t, again, http.StatusCreated)
	if again.Body.String() != w.Body.String() {
		t.Errorf("retry = %s, want %s", again.Body, w.Body)
	}
	// Refused: another type (naming the field), another founder, a reviewer.
	bad := f.grantUpload(t, gFounder, id, "notes.txt", []byte("plain text"))
	wantStatus(t, bad, http.StatusBadRequest)
	if _, _, fields := errorOf(t, bad.Body.String()); fields["file"] != pathway.FileTypeMessage {
		t.Errorf("fields = %v", fields)
	}
	wantStatus(t, f.grantUpload(t, gFounder2, id, "budget.pdf", pdf), http.StatusNotFound)
	wantStatus(t, f.grantUpload(t, gRev1, id, "budget.pdf", pdf), http.StatusForbidden)

	// Under review: reviewer 1 declares no conflict, reviewer 2 a conflict.
	f.moveTo(t, id, grants.StatusInReview)
	f.task(t, id, "review-"+id+"-1", grants.TaskReview, pathway.RoleFunder, gRev1)
	f.task(t, id, "review-"+id+"-2", grants.TaskReview, pathway.RoleFunder, gRev2)
	list := "/api/grant-applications/" + id + "/files"
	wantStatus(t, f.do(t, gRev1, "GET", list, ""), http.StatusForbidden) // declare first
	wantStatus(t, f.do(t, gRev1, "GET", "/api/files/"+up.ID, ""), http.StatusNotFound)
	wantStatus(t, f.do(t, gRev1, "POST", "/api/grant-applications/"+id+"/declarations", `{"conflict":false}`), http.StatusOK)
	wantStatus(t, f.do(t, gRev2, "POST", "/api/grant-applications/"+id+"/declarations", `{"conflict":true,"reason":"A founder is my neighbour."}`), http.StatusOK)

	for _, c := range []struct {
		user       string
		list, down int
	}{
		{gFounder, 200, 200}, {gAgent, 200, 200}, {gLead, 200, 200}, {gRev1, 200, 200},
		{gRev2, 404, 404}, {gFounder2, 404, 404},
	} {
		w := f.do(t, c.user, "GET", list, "")
		if w.Code != c.list || (c.list == 200 && strings.Count(w.Body.String(), `"id":`) != 1) {
			t.Errorf("%s lists: %d %s, want %d", c.user, w.Code, w.Body, c.list)
		}
		d := f.do(t, c.user, "GET", "/api/files/"+up.ID, "")
		if d.Code != c.down || (c.down == 200 && !bytes.Equal(d.Body.Bytes(), pdf)) {
			t.Errorf("%s downloads: %d, want %d", c.user, d.Code, c.down)
		}
	}
}
