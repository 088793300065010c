package pages_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/web"
)

// TestCSRFTokenIsBoundToTheSession: a form's token is good only in the
// session whose page showed it. The same browser (the same CSRF cookie),
// signed in again as someone else, cannot post with the old token.
func TestCSRFTokenIsBoundToTheSession(t *testing.T) {
	v := newEnv(t)
	f := v.visit(founderID)
	old := f.csrf()
	form := url.Values{"programme": {programmeID}, web.CSRFField: {old}}
	if res := f.postRaw("/apply/about", form); res.status == http.StatusForbidden {
		t.Fatalf("POST with the session's token = 403: %s", res.body)
	}
	f.client.Jar.SetCookies(f.base, []*http.Cookie{v.cookie(founder2ID)})
	res := f.postRaw("/apply/about", form)
	if res.status != http.StatusForbidden || !strings.Contains(res.body, "could not accept that form") {
		t.Errorf("POST with the token of the session before = %d, want the 403 page", res.status)
	}
	if tok := f.csrf(); tok == old {
		t.Fatalf("the new session's pages show the old token")
	}
	if res := f.post("/apply/about", url.Values{"programme": {programmeID}}); res.status == http.StatusForbidden {
		t.Errorf("POST with the new session's token = 403: %s", res.body)
	}
}

// TestUnreadableFormIsAPage: a form the server cannot read (bad
// percent-encoding, or over 256 KiB) is answered with a 400 HTML page that
// says what to do, never plain text, and changes nothing.
func TestUnreadableFormIsAPage(t *testing.T) {
	v := newEnv(t)
	f := v.visit(founderID)
	tok := f.csrf()
	for name, tc := range map[string]struct{ body, says string }{
		"bad percent-encoding": {web.CSRFField + "=" + tok + "&name=Zephyrine&origin=%zz", "reload the page and try again"},
		"over 256 KiB":         {web.CSRFField + "=" + tok + "&name=Zephyrine&notes=" + strings.Repeat("a", web.MaxFormBytes), "at most 256 KiB"},
	} {
		req, _ := http.NewRequest("POST", f.base.String()+"/apply/about", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "text/html")
		res, err := f.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, res)
		if res.StatusCode != http.StatusBadRequest || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(body, "<h1>") || !strings.Contains(body, tc.says) || !strings.Contains(body, "Nothing was saved") ||
			strings.Contains(body, "Zephyrine") {
			t.Errorf("%s: POST = %d %q\n%s\nwant a 400 page saying what to do", name, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
	}
	// Nothing was kept: the draft the step would have saved is empty.
	if res := f.get("/apply/about"); strings.Contains(res.body, "Zephyrine") {
		t.Errorf("an unreadable form was saved:\n%s", res.body)
	}
}

// readAll returns a response's body and closes it.
func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
