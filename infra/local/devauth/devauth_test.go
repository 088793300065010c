package devauth_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/web"
)

const calder = "coop-riverside-companions" // a Pennine start-up co-op of Nell in the demo data (a seeded one: these tests run no workflows)

// server is the local handler: shared/web with devauth mounted, over an
// embedded store seeded with the demo data.
type server struct {
	*httptest.Server
	auth *devauth.Auth
	dir  string
	st   pathway.Store
}

func newServer(t *testing.T) *server {
	t.Helper()
	dir := t.TempDir()
	st := testkit.Store(t)
	if err := demo.Seed(t.Context(), st, time.Now()); err != nil {
		t.Fatal(err)
	}
	s := &server{dir: dir, st: st}
	s.restart(t)
	return s
}

// restart builds a new Auth over the server's data directory and serves
// it, as a restarted local server would.
func (s *server) restart(t *testing.T) {
	t.Helper()
	a, err := devauth.New(s.st, s.dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Server != nil {
		s.Close()
	}
	svc := journey.New(s.st, nil, nil)
	s.Server = httptest.NewServer(web.New(web.Config{
		Store: s.st, Journey: svc, Auth: a, Mount: a.Routes(), SignInURL: "/auth/dev-users", SignOutURL: "/auth/dev-logout",
		Pages:   pages.New(pages.Config{Journey: svc}),
		CSRFKey: a.CSRFKey(),
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	t.Cleanup(s.Close)
	s.auth = a
}

// Auth is what shared/web asks who is calling and what CSRF tokens are
// bound to, without importing it.
var _ web.SessionAuthenticator = (*devauth.Auth)(nil)

// noRedirect is a client that returns redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// do sends a request and returns the status, response and body.
func do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (s *server) login(t *testing.T, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.URL+"/auth/dev-login", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

// token signs in as the user through the JSON route.
func (s *server) token(t *testing.T, user string) string {
	t.Helper()
	res, body := s.login(t, `{"user":"`+user+`"}`)
	if res.StatusCode != 200 {
		t.Fatalf("login %s = %d %s", user, res.StatusCode, body)
	}
	var out struct{ Token string }
	if err := json.Unmarshal([]byte(body), &out); err != nil || out.Token == "" {
		t.Fatalf("login body %q: %v", body, err)
	}
	return out.Token
}

// getCoop fetches a co-op with the Authorization header value.
func (s *server) getCoop(t *testing.T, id, authorization string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+"/api/coops/"+id, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, body := do(t, req)
	return res.StatusCode, body
}

func TestDevUsers(t *testing.T) {
	s := newServer(t)
	req, _ := http.NewRequest("GET", s.URL+"/auth/dev-users", nil)
	res, body := do(t, req)
	if res.StatusCode != 200 {
		t.Fatalf("dev-users = %d %s", res.StatusCode, body)
	}
	var list []map[string]string
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != len(demo.Users) {
		t.Fatalf("listed %d users, want the %d demo users", len(list), len(demo.Users))
	}
	byID := map[string]map[string]string{}
	for _, u := range list {
		for _, k := range []string{"id", "name", "role", "organisation"} {
			if _, ok := u[k]; !ok {
				t.Errorf("user %v lacks %q", u, k)
			}
		}
		byID[u["id"]] = u
	}
	for _, u := range demo.Users {
		got := byID[u.ID]
		if got["name"] != u.Name || got["role"] != u.Role || got["organisation"] != u.Organisation {
			t.Errorf("listed %v, want %+v", got, *u)
		}
	}
	// A browser gets a page with a sign-in form per user.
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	res, body = do(t, req)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || strings.Count(body, `action="/auth/dev-login"`) != len(demo.Users) {
		t.Errorf("HTML listing: %s\n%s", res.Header.Get("Content-Type"), body)
	}
	// Staff are listed with their organisation's name, not its ID.
	if !strings.Contains(body, demo.Organisations[0].Name) {
		t.Errorf("HTML listing does not name %q", demo.Organisations[0].Name)
	}
}

func TestBearerTokens(t *testing.T) {
	s := newServer(t)
	founder := s.token(t, demo.UserFounderCalder)
	other := s.token(t, demo.UserFounderTogether)
	agency := s.token(t, demo.UserAgencyPennine)
	otherAgency := s.token(t, demo.UserAgencyWessex)
	tests := []struct {
		name, auth string
		want       int
	}{
		{"founder of the co-op", "Bearer " + founder, 200},
		{"scheme in lower case", "bearer " + founder, 200},
		{"another founder", "Bearer " + other, 404},
		{"agency running the programme", "Bearer " + agency, 200},
		{"another agency", "Bearer " + otherAgency, 404},
		{"no token", "", 401},
		{"another scheme", "Basic " + founder, 401},
		{"empty bearer", "Bearer ", 401},
		{"tampered signature", "Bearer " + founder[:len(founder)-2] + "xx", 401},
		{"garbage", "Bearer not-a-token", 401},
		{"another user's ID with a founder's signature", "Bearer " + swapUser(founder, other), 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := s.getCoop(t, calder, tc.auth)
			if status != tc.want {
				t.Fatalf("status = %d %s, want %d", status, body, tc.want)
			}
			if status == 200 && !strings.Contains(body, `"id":"`+calder+`"`) {
				t.Errorf("body %s lacks the co-op", body)
			}
		})
	}
}

// swapUser returns token with its user part taken from other, signature kept.
func swapUser(token, other string) string {
	_, rest, _ := strings.Cut(token, ".")
	otherID, _, _ := strings.Cut(other, ".")
	return otherID + "." + rest
}

func TestTokenLifetime(t *testing.T) {
	s := newServer(t)
	token := s.token(t, demo.UserFounderCalder)

	// The secret lives in the data directory: a restarted server accepts
	// the token it issued before.
	s.restart(t)
	if status, body := s.getCoop(t, calder, "Bearer "+token); status != 200 {
		t.Fatalf("after restart = %d %s, want 200", status, body)
	}
	info, err := os.Stat(filepath.Join(s.dir, devauth.SecretFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("secret file: %v, mode %v; want 0600", err, info.Mode())
	}

	// Past its expiry it is refused.
	s.auth.SetClock(func() time.Time { return time.Now().Add(devauth.DefaultTTL + time.Minute) })
	if status, _ := s.getCoop(t, calder, "Bearer "+token); status != 401 {
		t.Errorf("expired token = %d, want 401", status)
	}

	// Another installation (another data directory) does not accept it.
	other := newServer(t)
	if status, _ := other.getCoop(t, calder, "Bearer "+token); status != 401 {
		t.Errorf("token from another data dir = %d, want 401", status)
	}
}

func TestTokenOfUnknownUser(t *testing.T) {
	s := newServer(t)
	// Correctly signed, but for a user the store does not have.
	ghost, _ := s.auth.Token("user-nobody-here")
	if status, body := s.getCoop(t, calder, "Bearer "+ghost); status != 401 {
		t.Errorf("unknown user = %d %s, want 401", status, body)
	}
}

func TestLoginErrors(t *testing.T) {
	s := newServer(t)
	tests := []struct{ name, body, field string }{
		{"unknown user", `{"user":"user-nobody-here"}`, "user"},
		{"no user", `{"user":""}`, "user"},
		{"unknown field", `{"user":"` + demo.UserFunder + `","role":"agency"}`, "role"},
		{"malformed", `{"user":`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := s.login(t, tc.body)
			if res.StatusCode != 400 {
				t.Fatalf("status = %d %s, want 400", res.StatusCode, body)
			}
			var env struct {
				Error struct {
					Code   string
					Fields map[string]string
				}
			}
			if err := json.Unmarshal([]byte(body), &env); err != nil || env.Error.Code != pathway.EINVALID {
				t.Fatalf("body %s (%v)", body, err)
			}
			if tc.field != "" && env.Error.Fields[tc.field] == "" {
				t.Errorf("fields %v do not name %q", env.Error.Fields, tc.field)
			}
		})
	}
	// GET is not how one signs in.
	req, _ := http.NewRequest("GET", s.URL+"/auth/dev-login", nil)
	if res, _ := do(t, req); res.StatusCode != 405 {
		t.Errorf("GET dev-login = %d, want 405", res.StatusCode)
	}
}

// csrf fetches a page as a browser with the cookies given (the sign-in
// page without a session, the home page with one) and returns the CSRF
// cookie it holds or sets and the token its forms repeat, which is bound
// to that cookie and the session.
func (s *server) csrf(t *testing.T, cookies ...*http.Cookie) (*http.Cookie, string) {
	t.Helper()
	path := "/auth/dev-users"
	for _, c := range cookies {
		if c.Name == devauth.CookieName {
			path = "/"
		}
	}
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	req.Header.Set("Accept", "text/html")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, body := do(t, req)
	var cookie *http.Cookie
	for _, c := range append(res.Cookies(), cookies...) {
		if c.Name == web.CSRFCookie && cookie == nil {
			cookie = c
		}
	}
	_, rest, _ := strings.Cut(body, `name="`+web.CSRFField+`" value="`)
	token, _, _ := strings.Cut(rest, `"`)
	if cookie == nil || token == "" || token == cookie.Value {
		t.Fatalf("%s sets no CSRF cookie or its forms repeat no token bound to it: %v\n%s", path, res.Cookies(), body)
	}
	return cookie, token
}

// postForm posts form as a browser would, with the cookies given.
func (s *server) postForm(t *testing.T, path string, form url.Values, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return do(t, req)
}

func TestFormPostsNeedCSRFToken(t *testing.T) {
	s := newServer(t)
	csrf, token := s.csrf(t)
	other := base64.RawURLEncoding.EncodeToString(make([]byte, 32)) // well formed, but not the cookie's
	tests := []struct {
		name    string
		path    string
		form    url.Values
		cookies []*http.Cookie
	}{
		{"login without token or cookie", "/auth/dev-login", url.Values{"user": {demo.UserFounderCalder}}, nil},
		{"login with cookie, no field", "/auth/dev-login", url.Values{"user": {demo.UserFounderCalder}}, []*http.Cookie{csrf}},
		{"login with field, no cookie", "/auth/dev-login", url.Values{"user": {demo.UserFounderCalder}, web.CSRFField: {token}}, nil},
		{"login with another token", "/auth/dev-login", url.Values{"user": {demo.UserFounderCalder}, web.CSRFField: {other}}, []*http.Cookie{csrf}},
		{"login with the cookie's value as the token", "/auth/dev-login", url.Values{"user": {demo.UserFounderCalder}, web.CSRFField: {csrf.Value}}, []*http.Cookie{csrf}},
		{"logout without token", "/auth/dev-logout", nil, []*http.Cookie{csrf}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := s.postForm(t, tc.path, tc.form, tc.cookies...)
			if res.StatusCode != http.StatusForbidden || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "<h1>") {
				t.Fatalf("status = %d (%s) %s, want 403 with a plain page", res.StatusCode, res.Header.Get("Content-Type"), body)
			}
			for _, c := range res.Cookies() {
				if c.Name == devauth.CookieName {
					t.Errorf("refused post still set the session cookie %+v", c)
				}
			}
		})
	}
	// A text/plain body (which a cross-site form can send) is not JSON:
	// it needs the token too.
	req, _ := http.NewRequest("POST", s.URL+"/auth/dev-login", strings.NewReader(`{"user":"`+demo.UserFounderCalder+`"}`))
	req.Header.Set("Content-Type", "text/plain")
	if res, body := do(t, req); res.StatusCode != http.StatusForbidden {
		t.Errorf("text/plain login = %d %s, want 403", res.StatusCode, body)
	}
}

func TestCookieLogin(t *testing.T) {
	s := newServer(t)
	csrf, token := s.csrf(t)
	res, _ := s.postForm(t, "/auth/dev-login", url.Values{"user": {demo.UserFounderCalder}, web.CSRFField: {token}}, csrf)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("form login = %d to %q, want 303 to /", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == devauth.CookieName {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.Value == "" {
		t.Fatalf("session cookie = %+v", session)
	}

	get := func(c *http.Cookie) int {
		req, _ := http.NewRequest("GET", s.URL+"/api/coops/"+calder, nil)
		req.AddCookie(c)
		res, _ := do(t, req)
		return res.StatusCode
	}
	if got := get(session); got != 200 {
		t.Errorf("with the cookie = %d, want 200", got)
	}
	// The page the browser lands on knows who signed in.
	req, _ := http.NewRequest("GET", s.URL+"/", nil)
	req.AddCookie(session)
	if res, body := do(t, req); res.StatusCode != 200 || !strings.Contains(body, "Nell Ashworthy") || !strings.Contains(body, `href="/coops/`+calder+`"`) {
		t.Errorf("home with the cookie = %d %s", res.StatusCode, body)
	}
	req, _ = http.NewRequest("GET", s.URL+"/", nil)
	if res, _ := do(t, req); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/auth/dev-users" {
		t.Errorf("home without a cookie = %d to %q, want 303 to the sign-in page", res.StatusCode, res.Header.Get("Location"))
	}
	if got := get(&http.Cookie{Name: devauth.CookieName, Value: session.Value + "x"}); got != 401 {
		t.Errorf("with a tampered cookie = %d, want 401", got)
	}

	// A form with an unknown user is refused, naming the field.
	res, body := s.postForm(t, "/auth/dev-login", url.Values{"user": {"user-nobody-here"}, web.CSRFField: {token}}, csrf)
	if res.StatusCode != 400 || !strings.Contains(body, `"user"`) {
		t.Errorf("form with unknown user = %d %s", res.StatusCode, body)
	}

	// Signing out (the layout's form, with its token) clears the cookie.
	// The token of the page before sign-in is no good for it: tokens are
	// bound to the session.
	if res, _ := s.postForm(t, "/auth/dev-logout", url.Values{web.CSRFField: {token}}, csrf, session); res.StatusCode != http.StatusForbidden {
		t.Errorf("logout with the signed-out page's token = %d, want 403", res.StatusCode)
	}
	_, token = s.csrf(t, csrf, session)
	res, _ = s.postForm(t, "/auth/dev-logout", url.Values{web.CSRFField: {token}}, csrf, session)
	cleared := false
	for _, c := range res.Cookies() {
		cleared = cleared || (c.Name == devauth.CookieName && c.MaxAge < 0)
	}
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/auth/dev-users" || !cleared {
		t.Errorf("logout = %d to %q, cookies %v", res.StatusCode, res.Header.Get("Location"), res.Cookies())
	}
}

// TestSessionCookieSecureOverHTTPS: a sign-in that reached the server over
// HTTPS (through a proxy saying so in X-Forwarded-Proto) sets the session
// cookie Secure, so the browser never sends it over plain HTTP; over plain
// HTTP (the local server as it runs) it cannot be.
func TestSessionCookieSecureOverHTTPS(t *testing.T) {
	s := newServer(t)
	csrf, token := s.csrf(t)
	for _, https := range []bool{true, false} {
		req, _ := http.NewRequest("POST", s.URL+"/auth/dev-login",
			strings.NewReader(url.Values{"user": {demo.UserFounderCalder}, web.CSRFField: {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if https {
			req.Header.Set("X-Forwarded-Proto", "https")
		}
		req.AddCookie(csrf)
		res, body := do(t, req)
		var session *http.Cookie
		for _, c := range res.Cookies() {
			if c.Name == devauth.CookieName {
				session = c
			}
		}
		if res.StatusCode != http.StatusSeeOther || session == nil || session.Secure != https {
			t.Errorf("login over HTTPS %v = %d, session cookie %+v, want Secure %v\n%s", https, res.StatusCode, session, https, body)
		}
	}
}
