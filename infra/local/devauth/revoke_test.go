package devauth_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/shared/web"
)

// cookieLogin signs the user in through the sign-in form, as a browser,
// and returns the session cookie.
func (s *server) cookieLogin(t *testing.T, user string) *http.Cookie {
	t.Helper()
	csrf, token := s.csrf(t)
	res, _ := s.postForm(t, "/auth/dev-login", url.Values{"user": {user}, web.CSRFField: {token}}, csrf)
	for _, c := range res.Cookies() {
		if c.Name == devauth.CookieName && c.Value != "" {
			return c
		}
	}
	t.Fatalf("form login = %d, no session cookie", res.StatusCode)
	return nil
}

// getWithCookie fetches a co-op with the session cookie.
func (s *server) getWithCookie(t *testing.T, id string, c *http.Cookie) int {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+"/api/coops/"+id, nil)
	req.AddCookie(c)
	res, _ := do(t, req)
	return res.StatusCode
}

// TestSignOutRevokesTheSession: after signing out, the old session cookie
// (kept, say, by someone who copied it) gets 401, after a restart too;
// another sign-in of the same person is not affected.
func TestSignOutRevokesTheSession(t *testing.T) {
	s := newServer(t)
	session := s.cookieLogin(t, demo.UserFounderCalder)
	elsewhere := s.token(t, demo.UserFounderCalder)
	if got := s.getWithCookie(t, calder, session); got != 200 {
		t.Fatalf("signed in = %d, want 200", got)
	}
	csrf, token := s.csrf(t, session)
	res, _ := s.postForm(t, "/auth/dev-logout", url.Values{web.CSRFField: {token}}, csrf, session)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/auth/dev-users" {
		t.Fatalf("sign-out = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := s.getWithCookie(t, calder, session); got != 401 {
		t.Errorf("the signed-out cookie = %d, want 401", got)
	}
	req, _ := http.NewRequest("GET", s.URL+"/", nil)
	req.AddCookie(session)
	if res, _ := do(t, req); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/auth/dev-users" {
		t.Errorf("a page with the signed-out cookie = %d to %q, want 303 to the sign-in page", res.StatusCode, res.Header.Get("Location"))
	}
	if status, body := s.getCoop(t, calder, "Bearer "+elsewhere); status != 200 {
		t.Errorf("the same person's other sign-in = %d %s, want 200", status, body)
	}

	s.restart(t)
	if got := s.getWithCookie(t, calder, session); got != 401 {
		t.Errorf("the signed-out cookie after a restart = %d, want 401", got)
	}
	if status, _ := s.getCoop(t, calder, "Bearer "+elsewhere); status != 200 {
		t.Errorf("the other sign-in after a restart = %d, want 200", status)
	}
	info, err := os.Stat(filepath.Join(s.dir, devauth.RevokedFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("signed-out sessions file: %v, mode %v; want 0600", err, info.Mode())
	}
}

// TestSignOutRevokesABearerToken: an API client signs out with its token
// (a JSON post, 204), and the token gets 401 from then on.
func TestSignOutRevokesABearerToken(t *testing.T) {
	s := newServer(t)
	token := s.token(t, demo.UserAgencyPennine)
	if status, _ := s.getCoop(t, calder, "Bearer "+token); status != 200 {
		t.Fatalf("signed in = %d, want 200", status)
	}
	logout := func(authorization string) int {
		req, _ := http.NewRequest("POST", s.URL+"/auth/dev-logout", strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		res, _ := do(t, req)
		return res.StatusCode
	}
	if got := logout("Bearer " + token); got != http.StatusNoContent {
		t.Fatalf("sign-out = %d, want 204", got)
	}
	if status, body := s.getCoop(t, calder, "Bearer "+token); status != 401 {
		t.Errorf("the signed-out token = %d %s, want 401", status, body)
	}
	s.restart(t)
	if status, _ := s.getCoop(t, calder, "Bearer "+token); status != 401 {
		t.Errorf("the signed-out token after a restart = %d, want 401", status)
	}
	// Signing out again, or with nothing to sign out, is no error.
	for _, a := range []string{"Bearer " + token, "Bearer not-a-token", ""} {
		if got := logout(a); got != http.StatusNoContent {
			t.Errorf("sign-out with %q = %d, want 204", a, got)
		}
	}
}

// TestRevokedListForgetsExpiredSessions: a start drops the sessions whose
// tokens have expired since they were signed out (they are refused
// anyway) and keeps the rest.
func TestRevokedListForgetsExpiredSessions(t *testing.T) {
	s := newServer(t)
	token := s.token(t, demo.UserFounderCalder)
	if err := s.auth.Revoke(token); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.dir, devauth.RevokedFile)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString("expired-session " + strconv.FormatInt(time.Now().Add(-time.Minute).Unix(), 10) + "\ncut-short")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	s.restart(t)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 1 || strings.Contains(string(b), "expired-session") {
		t.Errorf("after a restart the list holds %q, want only the live session", b)
	}
	if status, _ := s.getCoop(t, calder, "Bearer "+token); status != 401 {
		t.Errorf("the signed-out token = %d, want 401", status)
	}
}

// TestCookieSignedInAPIWritesFromAnotherSiteAreRefused: the case,
// against the local sign-in: a POST /api/coops signed in by the session
// cookie, with no Content-Type and a foreign Origin, is a 403; the same
// request as JSON from the site's own pages, or with a bearer token, gets
// past the guard (to the application's own check of its empty body).
func TestCookieSignedInAPIWritesFromAnotherSiteAreRefused(t *testing.T) {
	s := newServer(t)
	session := s.cookieLogin(t, demo.UserFounderCalder)
	token := s.token(t, demo.UserFounderCalder)
	post := func(headers ...string) int {
		req, _ := http.NewRequest("POST", s.URL+"/api/coops", strings.NewReader("{}"))
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		if req.Header.Get("Authorization") == "" {
			req.AddCookie(session)
		}
		res, _ := do(t, req)
		return res.StatusCode
	}
	if got := post("Origin", "https://evil.example"); got != http.StatusForbidden {
		t.Errorf("cookie, no Content-Type, foreign Origin = %d, want 403", got)
	}
	if got := post("Content-Type", "application/json", "Origin", "https://evil.example"); got != http.StatusForbidden {
		t.Errorf("cookie, JSON, foreign Origin = %d, want 403", got)
	}
	if got := post("Content-Type", "application/json", "Origin", s.URL); got != http.StatusBadRequest {
		t.Errorf("cookie, JSON, this site's Origin = %d, want 400 (past the guard)", got)
	}
	if got := post("Authorization", "Bearer "+token, "Origin", "https://evil.example"); got != http.StatusBadRequest {
		t.Errorf("bearer token, foreign Origin = %d, want 400 (past the guard)", got)
	}
}
