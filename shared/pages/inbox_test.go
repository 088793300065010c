package pages_test

import (
	"compress/gzip"
	"html"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestInboxPages: the inbox shows a page of tasks with a link to the
// next, the pages together show every open task once, and the page goes
// out gzipped to a browser that accepts it.
func TestInboxPages(t *testing.T) {
	h, cookie := boardServer(t, len(pathway.Stages)*4*30) // 30 open panel tasks
	get := func(path string) string {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(cookie)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("GET %s = %d, Content-Encoding %q", path, rec.Code, rec.Header().Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	task := regexp.MustCompile(`<a href="/tasks/([^"]+)">`)
	next := regexp.MustCompile(`<a href="(/tasks\?cursor=[^"]+)">Next page</a>`)
	seen := map[string]bool{}
	path := "/tasks"
	for page := 0; path != ""; page++ {
		if page > 3 {
			t.Fatal("the inbox's pages do not end")
		}
		body := get(path)
		rows := task.FindAllStringSubmatch(body, -1)
		if page == 0 && len(rows) != 25 {
			t.Errorf("the first page shows %d tasks, want 25", len(rows))
		}
		if page > 0 && !strings.Contains(body, `<a href="/tasks">First page</a>`) {
			t.Errorf("page %d has no link to the first", page)
		}
		if !strings.Contains(body, "Bench Care Co-op") {
			t.Errorf("page %d does not name the co-ops", page)
		}
		for _, r := range rows {
			if seen[r[1]] {
				t.Errorf("task %s is on two pages", r[1])
			}
			seen[r[1]] = true
		}
		path = ""
		if m := next.FindStringSubmatch(body); m != nil {
			path = html.UnescapeString(m[1])
		}
	}
	if len(seen) != 30 {
		t.Errorf("the pages show %d tasks, want 30", len(seen))
	}
}
