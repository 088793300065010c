package localmail_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localmail"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestBoxWritesFilesAndListsNewestFirst(t *testing.T) {
	data := t.TempDir()
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	box, err := localmail.New(data, func() time.Time { at = at.Add(time.Second); return at })
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"First", "Second <b>", "Third"} {
		if err := box.Send(t.Context(), pathway.Mail{To: "ada@example.org", Subject: s, Body: "Hello,\n\n" + s}); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(data, localmail.Dir, "*.json"))
	if len(files) != 3 {
		t.Fatalf("%d files written, want 3", len(files))
	}
	if tmp, _ := filepath.Glob(filepath.Join(data, localmail.Dir, ".mail-*")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	// A restarted server lists what an earlier one wrote.
	again, _ := localmail.New(data, nil)
	rec := httptest.NewRecorder()
	again.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/local/mail", nil))
	var got struct {
		Mails []struct{ To, Subject, Body, SentAt string } `json:"mails"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("JSON %q: %v", rec.Body.String(), err)
	}
	if len(got.Mails) != 3 || got.Mails[0].Subject != "Third" || got.Mails[2].Subject != "First" ||
		got.Mails[0].To != "ada@example.org" || got.Mails[0].Body != "Hello,\n\nThird" || got.Mails[0].SentAt != "2027-03-01T09:00:03Z" {
		t.Errorf("mails %+v, want three newest first", got.Mails)
	}
	page := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/local/mail", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	again.ServeHTTP(page, req)
	body := page.Body.String()
	if !strings.HasPrefix(page.Header().Get("Content-Type"), "text/html") || !strings.Contains(body, "Second &lt;b&gt;") ||
		strings.Index(body, "Third") > strings.Index(body, "First") {
		t.Errorf("page:\n%s", body)
	}
}

func TestBoxEmpty(t *testing.T) {
	box, err := localmail.New(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	box.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/local/mail", nil))
	if strings.TrimSpace(rec.Body.String()) != `{"mails":[]}` {
		t.Errorf("empty box = %s", rec.Body.String())
	}
}
