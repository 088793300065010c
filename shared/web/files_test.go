package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localfiles"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/web"
)

// newFilesAPI is newAPI with disk storage for files, and its co-ops.
func newFilesAPI(t *testing.T) (*apiEnv, *localfiles.Files) {
	t.Helper()
	e := newAPI(t)
	blobs, err := localfiles.New(t.TempDir())
	must(t, err)
	now := func() time.Time { return testNow }
	svc := journey.New(e.store, e.wf, now).WithFiles(blobs)
	e.h = web.New(web.Config{Store: e.store, Workflows: e.wf, Journey: svc, Auth: headerAuth{}, Now: now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	seedTwo(e)
	return e, blobs
}

// upload posts a multipart body with the file as the user.
func (e *apiEnv) upload(path, user, name string, content []byte, headers ...string) reply {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	r := httptest.NewRequest("POST", path, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set(testUserHeadr, user)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	return reply{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func TestFilesAPI(t *testing.T) {
	e, blobs := newFilesAPI(t)
	items := "/api/coops/" + coopN + "/checklist/" + "ORG-LEGAL" + "/files"
	pdf := []byte("%PDF-1.7\ninvented policy\n")

	up := e.upload(items, founderA, "safeguarding.pdf", pdf)
	if up.status != 201 {
		t.Fatalf("upload = %d %s", up.status, up.body)
	}
	var f map[string]any
	up.decode(t, &f)
	for _, k := range []string{"id", "name", "size", "type", "sha256"} {
		if f[k] == nil || f[k] == "" {
			t.Errorf("upload answer lacks %q: %s", k, up.body)
		}
	}
	if f["name"] != "safeguarding.pdf" || f["type"] != "application/pdf" || f["size"] != float64(len(pdf)) {
		t.Errorf("upload answer = %s", up.body)
	}
	id := f["id"].(string)

	// With an Idempotency-Key, a retry gets the first answer, and no second file.
	first := e.upload(items, founderA, "retry.pdf", pdf, "Idempotency-Key", "retry-1")
	again := e.upload(items, founderA, "retry.pdf", pdf, "Idempotency-Key", "retry-1")
	if first.status != 201 || again.status != 201 || first.body != again.body {
		t.Errorf("retried upload = %d %s, then %d %s", first.status, first.body, again.status, again.body)
	}
	var retried map[string]any
	first.decode(t, &retried)

	// The agency cannot upload; a wrong type is refused naming "file".
	e.upload(items, staffNorth, "a.pdf", pdf).wantError(t, 403, "")
	e.upload(items, founderA, "a.pdf", []byte("<html>hi</html>")).wantError(t, 400, "file")
	e.do("POST", items, founderA, `{"file":"x"}`).wantError(t, 400, "")

	for _, u := range []string{founderA, staffNorth} {
		var list struct{ Files []web.FileJSON }
		e.do("GET", items, u, "").decode(t, &list)
		if len(list.Files) != 2 || list.Files[0].ID != id || list.Files[1].ID != retried["id"] {
			t.Errorf("list as %s = %+v", u, list)
		}
		got := e.do("GET", "/api/files/"+id, u, "")
		if got.status != 200 || got.body != string(pdf) || got.header.Get("Content-Type") != "application/pdf" ||
			got.header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(got.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download as %s = %d %v", u, got.status, got.header)
		}
	}
	// Whoever may not see the co-op gets the 404 of a missing one.
	for _, u := range []string{founderB, staffSouth, funderUser} {
		e.do("GET", items, u, "").wantError(t, 404, "")
		e.do("GET", "/api/files/"+id, u, "").wantError(t, 404, "")
		e.upload(items, u, "a.pdf", pdf).wantError(t, 404, "")
	}
	e.do("GET", "/api/files/"+id, "", "").wantError(t, 401, "")

	// A client posting straight to storage: the form, the post, the completion.
	formPath := "/api/coops/" + coopN + "/checklist/" + "ORG-LEGAL" + "/uploads"
	e.do("POST", formPath, staffNorth, "").wantError(t, 403, "")
	var form struct {
		URL    string
		Fields map[string]string
	}
	e.do("POST", formPath, founderA, "").decode(t, &form)
	if form.URL != localfiles.UploadPath || form.Fields["policy"] == "" {
		t.Fatalf("form = %+v", form)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range form.Fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "minutes.pdf")
	fw.Write(pdf)
	mw.Close()
	r := httptest.NewRequest("POST", form.URL, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	blobs.Handler().ServeHTTP(rec, r)
	if rec.Code != http.StatusNoContent {
		t.Fatalf("post to storage = %d %s", rec.Code, rec.Body)
	}
	key := strings.ReplaceAll(form.Fields["key"], "${filename}", "minutes.pdf")
	done, _ := json.Marshal(map[string]string{"key": key})
	first = e.do("POST", formPath+"/complete", founderA, string(done))
	again = e.do("POST", formPath+"/complete", founderA, string(done))
	if first.status != 201 || again.status != 201 || first.body != again.body {
		t.Errorf("completion = %d %s, again %d %s", first.status, first.body, again.status, again.body)
	}
	e.do("POST", formPath+"/complete", founderA, `{"key":"coops/x/y/z"}`).wantError(t, 400, "key")
}
