package localfiles

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// post sends fields then the file as a browser sends the form: the file
// part last, with its file name.
func post(t *testing.T, h http.Handler, fields map[string]string, name string, content []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, k := range []string{"key", "policy", "signature", "success_action_redirect"} {
		if v, ok := fields[k]; ok {
			_ = mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, UploadPath, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestUpload(t *testing.T) {
	f, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 3, 4, 10, 0, 0, 0, time.UTC)
	f.SetClock(func() time.Time { return now })
	const max = 1000
	form, err := f.UploadForm(t.Context(), "coops/c1/SOP-02/01J0000000000000000000000A/", max, "/coops/c1/items/SOP-02/uploaded")
	if err != nil {
		t.Fatal(err)
	}
	if form.URL != UploadPath {
		t.Errorf("URL = %q", form.URL)
	}
	pdf := []byte("%PDF-1.7 invented statement of purpose")
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range form.Fields {
			m[a] = b
		}
		m[k] = v
		return m
	}
	refused := []struct {
		name    string
		fields  map[string]string
		content []byte
		status  int
	}{
		{"forged signature", with("signature", strings.Repeat("0", 64)), pdf, http.StatusForbidden},
		{"forged policy", with("policy", form.Fields["policy"]+"x"), pdf, http.StatusForbidden},
		{"wrong prefix", with("key", "coops/other/SOP-02/x/${filename}"), pdf, http.StatusForbidden},
		{"another redirect", with("success_action_redirect", "https://elsewhere.example.test/"), pdf, http.StatusForbidden},
		{"too big", form.Fields, bytes.Repeat([]byte("a"), max+1), http.StatusBadRequest},
		{"empty", form.Fields, nil, http.StatusBadRequest},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			w := post(t, f.Handler(), c.fields, "plan.pdf", c.content)
			if w.Code != c.status {
				t.Errorf("status = %d, want %d (%s)", w.Code, c.status, w.Body)
			}
			if _, _, err := f.Open(t.Context(), "coops/c1/SOP-02/01J0000000000000000000000A/plan.pdf"); err == nil {
				t.Error("a refused upload was stored")
			}
		})
	}

	w := post(t, f.Handler(), form.Fields, "plan.pdf", pdf)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status = %d, want 303 (%s)", w.Code, w.Body)
	}
	loc, _ := url.Parse(w.Header().Get("Location"))
	key := loc.Query().Get("key")
	if loc.Path != "/coops/c1/items/SOP-02/uploaded" || key != "coops/c1/SOP-02/01J0000000000000000000000A/plan.pdf" {
		t.Fatalf("redirect = %s", loc)
	}
	rc, size, err := f.Open(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, pdf) || size != int64(len(pdf)) {
		t.Errorf("stored %q (%d bytes), want the upload", got, size)
	}

	now = now.Add(PolicyTTL)
	if w := post(t, f.Handler(), form.Fields, "plan.pdf", pdf); w.Code != http.StatusForbidden {
		t.Errorf("expired form: status = %d, want 403", w.Code)
	}
	if err := f.Delete(t.Context(), key); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Open(t.Context(), key); err == nil {
		t.Error("Open after Delete found the file")
	}
	// Another server over the same directory signs with the same secret.
	g, err := New(f.dir)
	if err != nil || g.sign("x") != f.sign("x") {
		t.Errorf("a second server over the directory does not share the secret (%v)", err)
	}
}
