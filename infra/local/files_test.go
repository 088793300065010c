package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// send makes a request with a bearer token and returns status and body.
func send(t *testing.T, method, url, token, contentType string, body io.Reader) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// multipartBody returns fields then the file, as a browser sends a form.
func multipartBody(fields map[string]string, name string, content []byte) (string, *bytes.Buffer) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	return mw.FormDataContentType(), &body
}

// TestServeFiles: the local server keeps evidence files under --data,
// takes them through the API and through its S3-style upload route, and
// gives the same bytes back.
func TestServeFiles(t *testing.T) {
	base, stop := start(t, "--data", t.TempDir(), "--demo")
	defer stop()
	token := login(t, base, demo.UserFounderCalder)
	coop := base + "/api/coops/" + demo.CalderdeneID()
	_, body := get(t, coop+"/checklist", token)
	var cl struct{ Items []pathway.ChecklistItem }
	if err := json.Unmarshal([]byte(body), &cl); err != nil {
		t.Fatal(err)
	}
	item := ""
	for _, it := range cl.Items {
		if it.Status != pathway.ItemVerified {
			item = it.ID
			break
		}
	}
	if item == "" {
		t.Fatal("no open item in the demo co-op")
	}
	files := coop + "/checklist/" + item + "/files"
	pdf := []byte("%PDF-1.7\ninvented demo evidence\n")
	ct, mb := multipartBody(nil, "plan.pdf", pdf)
	if status, body := send(t, "POST", files, token, ct, mb); status != 201 || !strings.Contains(body, `"type":"application/pdf"`) {
		t.Fatalf("API upload = %d %s", status, body)
	}

	status, body := send(t, "POST", coop+"/checklist/"+item+"/uploads", token, "", nil)
	var form pathway.UploadForm
	if err := json.Unmarshal([]byte(body), &form); err != nil || status != 200 || form.URL != "/local/files/upload" {
		t.Fatalf("upload form = %d %s", status, body)
	}
	ct, mb = multipartBody(form.Fields, "minutes.pdf", pdf)
	if status, body := send(t, "POST", base+form.URL, "", ct, mb); status != 204 {
		t.Fatalf("post to the upload route = %d %s", status, body)
	}
	key, _ := json.Marshal(map[string]string{"key": strings.ReplaceAll(form.Fields["key"], "${filename}", "minutes.pdf")})
	status, body = send(t, "POST", coop+"/checklist/"+item+"/uploads/complete", token, "application/json", bytes.NewReader(key))
	var f struct{ ID string }
	if err := json.Unmarshal([]byte(body), &f); err != nil || status != 201 {
		t.Fatalf("completion = %d %s", status, body)
	}
	if status, got := get(t, base+"/api/files/"+f.ID, token); status != 200 || got != string(pdf) {
		t.Errorf("download = %d %q", status, got)
	}
	if _, list := get(t, files, token); strings.Count(list, `"id"`) != 2 {
		t.Errorf("list = %s, want both files", list)
	}
}
