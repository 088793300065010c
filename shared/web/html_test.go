package web_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/syncbuf"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/web"
)

// sessionCookie is the sign-in cookie of sessionAuth.
const sessionCookie = "test_session"

// sessionAuth signs in whoever the session cookie names (a founder), and
// refuses "no-role" as an account that may not use the service.
type sessionAuth struct{}

func (sessionAuth) Authenticate(r *http.Request) (*pathway.User, error) {
	c, err := r.Cookie(sessionCookie)
	switch {
	case err != nil:
		return nil, pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")
	case c.Value == "no-role":
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Your account has no role yet.")
	}
	return &pathway.User{ID: "user-" + c.Value, Name: "Ash Example", Role: pathway.RoleFounder}, nil
}

func (sessionAuth) SessionID(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// fakePages renders the pages web asks for as one line saying what it
// was asked, or fails when broken.
type fakePages struct{ broken bool }

func (fakePages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.WriteString(w, "a page")
}
func (fakePages) Patterns() []string { return []string{"GET /a-page"} }
func (p fakePages) RenderError(w http.ResponseWriter, r *http.Request, v web.ErrorView) error {
	if p.broken {
		return errors.New("the layout is broken")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(v.Status)
	_, _ = io.WriteString(w, "<p>in the layout: "+v.Heading+" user="+userID(r)+"</p>")
	return nil
}
func (fakePages) RenderSignIn(w http.ResponseWriter, r *http.Request, v web.SignInView) error {
	_, _ = io.WriteString(w, "sign in to "+v.Action)
	return nil
}

func userID(r *http.Request) string {
	if u := web.UserFrom(r.Context()); u != nil {
		return u.ID
	}
	return ""
}

// formSite is web's handler with a form to post (its token at GET /form),
// a page behind the sign-in and routes failing in each way.
type formSite struct {
	t      *testing.T
	h      http.Handler
	posted int // successful posts to /form
	logs   *syncbuf.Buffer
}

func newFormSite(t *testing.T, cfg web.Config) *formSite {
	t.Helper()
	f := &formSite{t: t, logs: &syncbuf.Buffer{}}
	cfg.Store, cfg.Auth, cfg.Logger = testkit.Store(t), sessionAuth{}, slog.New(slog.NewJSONHandler(f.logs, nil))
	cfg.Mount = map[string]http.Handler{
		"GET /form": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, web.CSRFToken(w, r))
		}),
		"POST /form": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f.posted++
			_, _ = io.WriteString(w, "saved "+r.PostForm.Get("answer"))
		}),
		"GET /private": web.SignedIn(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "hello "+userID(r))
		}),
		"GET /fail": web.SignedIn(func(w http.ResponseWriter, r *http.Request) {
			code := r.URL.Query().Get("code")
			if code == "" {
				web.WriteErrorPage(w, r, errors.New("secret-db-detail"))
				return
			}
			web.WriteErrorPage(w, r, pathway.Errorf(code, "Message for %s.", code))
		}),
		"GET /boom": http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret-panic-detail") }),
		"GET /sign-in": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			web.WriteSignInPage(w, r, web.SignInView{Action: "/login", Users: []web.SignInUser{{ID: "user-a", Name: "Ash Example"}}})
		}),
	}
	f.h = web.New(cfg)
	return f
}

// request sends a request with the cookies (name, value pairs) and returns
// the recorded response.
func (f *formSite) request(r *http.Request, cookies ...string) *httptest.ResponseRecorder {
	for i := 0; i+1 < len(cookies); i += 2 {
		r.AddCookie(&http.Cookie{Name: cookies[i], Value: cookies[i+1]})
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, r)
	return rec
}

// token returns the CSRF token of a browser with the cookies.
func (f *formSite) token(cookies ...string) string {
	return f.request(httptest.NewRequest("GET", "/form", nil), cookies...).Body.String()
}

// post posts the form body with the content type and cookies.
func (f *formSite) post(contentType, body string, cookies ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/form", strings.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	return f.request(r, cookies...)
}

// browserValue is a well-formed CSRF cookie value (32 bytes in base64url).
func browserValue(c byte) string { return strings.Repeat(string(c), 43) }

func TestCSRFTokensAreBoundToBrowserAndSession(t *testing.T) {
	f := newFormSite(t, web.Config{})
	a, b := browserValue('A'), browserValue('B')
	tok := f.token(web.CSRFCookie, a, sessionCookie, "s1")
	if tok == "" || tok == a {
		t.Fatalf("token %q: want an HMAC, not the cookie's value", tok)
	}
	if again := f.token(web.CSRFCookie, a, sessionCookie, "s1"); again != tok {
		t.Errorf("the same browser and session got another token: %q, then %q", tok, again)
	}
	form := func(token string) string { return url.Values{web.CSRFField: {token}, "answer": {"yes"}}.Encode() }
	refused := []struct {
		name, body string
		cookies    []string
	}{
		{"another session", form(tok), []string{web.CSRFCookie, a, sessionCookie, "s2"}},
		{"signed out since", form(tok), []string{web.CSRFCookie, a}},
		{"another browser", form(tok), []string{web.CSRFCookie, b, sessionCookie, "s1"}},
		{"no CSRF cookie", form(tok), []string{sessionCookie, "s1"}},
		{"the cookie's value as the token", form(a), []string{web.CSRFCookie, a, sessionCookie, "s1"}},
		{"no token", url.Values{"answer": {"yes"}}.Encode(), []string{web.CSRFCookie, a, sessionCookie, "s1"}},
	}
	for _, tc := range refused {
		rec := f.post("application/x-www-form-urlencoded", tc.body, tc.cookies...)
		if rec.Code != http.StatusForbidden || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
			!strings.Contains(rec.Body.String(), "<h1>Sorry, we could not accept that form</h1>") {
			t.Errorf("%s: POST = %d %q %s, want the 403 page", tc.name, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
	}
	// A text/plain body, which a form on another site can send, is checked
	// too; a JSON one, which it cannot, is left to the route.
	if rec := f.post("text/plain", form(tok), web.CSRFCookie, a, sessionCookie, "s1"); rec.Code != http.StatusForbidden {
		t.Errorf("text/plain post = %d, want 403", rec.Code)
	}
	if f.posted != 0 {
		t.Fatalf("%d refused posts reached the route", f.posted)
	}
	if rec := f.post("application/json", `{}`); rec.Code != http.StatusOK {
		t.Errorf("JSON post = %d, want it passed to the route", rec.Code)
	}
	if rec := f.post("application/x-www-form-urlencoded", form(tok), web.CSRFCookie, a, sessionCookie, "s1"); rec.Code != 200 || rec.Body.String() != "saved yes" {
		t.Errorf("POST with the token = %d %s", rec.Code, rec.Body)
	}

	// Every instance sharing the key accepts the token; another key does not.
	key := []byte("a key every instance shares, 32b")
	one, two, other := newFormSite(t, web.Config{CSRFKey: key}), newFormSite(t, web.Config{CSRFKey: key}), newFormSite(t, web.Config{})
	tok = one.token(web.CSRFCookie, a, sessionCookie, "s1")
	if rec := two.post("application/x-www-form-urlencoded", form(tok), web.CSRFCookie, a, sessionCookie, "s1"); rec.Code != 200 {
		t.Errorf("another instance with the key = %d, want 200", rec.Code)
	}
	if rec := other.post("application/x-www-form-urlencoded", form(tok), web.CSRFCookie, a, sessionCookie, "s1"); rec.Code != http.StatusForbidden {
		t.Errorf("an instance with another key = %d, want 403", rec.Code)
	}
}

func TestCSRFCookieIsSecureOverHTTPS(t *testing.T) {
	f := newFormSite(t, web.Config{})
	for name, tc := range map[string]struct {
		req    *http.Request
		secure bool
	}{
		"plain HTTP":          {httptest.NewRequest("GET", "http://pathway.example/form", nil), false},
		"TLS":                 {httptest.NewRequest("GET", "https://pathway.example/form", nil), true},
		"API Gateway's HTTPS": {func() *http.Request { r := httptest.NewRequest("GET", "/form", nil); r.URL.Scheme = "https"; return r }(), true},
		"X-Forwarded-Proto https": {func() *http.Request {
			r := httptest.NewRequest("GET", "/form", nil)
			r.Header.Set("X-Forwarded-Proto", "https")
			return r
		}(), true},
	} {
		rec := f.request(tc.req)
		var c *http.Cookie
		for _, k := range rec.Result().Cookies() {
			if k.Name == web.CSRFCookie {
				c = k
			}
		}
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tc.secure {
			t.Errorf("%s: CSRF cookie %+v, want HttpOnly, SameSite=Lax, Secure %v", name, c, tc.secure)
		}
	}
}

func TestUnreadableFormIsAPageSayingWhatToDo(t *testing.T) {
	f := newFormSite(t, web.Config{})
	a := browserValue('A')
	tok := f.token(web.CSRFCookie, a)
	for name, tc := range map[string]struct{ body, says string }{
		"bad percent-encoding": {web.CSRFField + "=" + tok + "&answer=%zz", "Go back, reload the page and try again."},
		"over 256 KiB":         {web.CSRFField + "=" + tok + "&answer=" + strings.Repeat("a", web.MaxFormBytes), "A form can hold at most 256 KiB"},
	} {
		rec := f.post("application/x-www-form-urlencoded", tc.body, web.CSRFCookie, a)
		body := rec.Body.String()
		if rec.Code != http.StatusBadRequest || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
			!strings.Contains(body, "<h1>") || !strings.Contains(body, tc.says) || !strings.Contains(body, "Nothing was saved") {
			t.Errorf("%s: POST = %d %q %s, want a 400 page saying what to do", name, rec.Code, rec.Header().Get("Content-Type"), body)
		}
	}
	if f.posted != 0 {
		t.Errorf("an unreadable form reached the route")
	}
}

func TestSignedIn(t *testing.T) {
	get := func(f *formSite, path string, cookies ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Accept", "text/html")
		return f.request(r, cookies...)
	}
	f := newFormSite(t, web.Config{SignInURL: "/sign-in"})
	if rec := get(f, "/private"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/sign-in" {
		t.Errorf("signed out = %d to %q, want 303 to the sign-in page", rec.Code, rec.Header().Get("Location"))
	}
	if rec := get(f, "/private", sessionCookie, "s1"); rec.Code != 200 || rec.Body.String() != "hello user-s1" ||
		rec.Header().Get("Cache-Control") != "private, no-store" {
		t.Errorf("signed in = %d %s (Cache-Control %q)", rec.Code, rec.Body, rec.Header().Get("Cache-Control"))
	}
	if rec := get(f, "/private", sessionCookie, "no-role"); rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "no role yet") {
		t.Errorf("an account without a role = %d %s, want the 403 page saying why", rec.Code, rec.Body)
	}
	if !strings.Contains(f.logs.String(), `"user":"user-s1"`) {
		t.Errorf("the request log does not name the signed-in user:\n%s", f.logs)
	}
	// Without a sign-in page it is a 401 page.
	f = newFormSite(t, web.Config{})
	if rec := get(f, "/private"); rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "<h1>Sign in to continue</h1>") {
		t.Errorf("signed out, no sign-in page = %d %s", rec.Code, rec.Body)
	}
}

func TestErrorPages(t *testing.T) {
	get := func(f *formSite, path string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Accept", "text/html,application/xhtml+xml")
		return f.request(r, sessionCookie, "s1")
	}
	f := newFormSite(t, web.Config{})
	for code, want := range map[string]struct {
		status  int
		heading string
	}{
		pathway.EINVALID:      {400, "There is a problem"},
		pathway.ENOTFOUND:     {404, "Page not found"},
		pathway.EFORBIDDEN:    {403, "You cannot do this"},
		pathway.ECONFLICT:     {409, "This has already changed"},
		pathway.EUNAVAILABLE:  {503, "Sorry, the service is busy"},
		pathway.EUNAUTHORIZED: {401, "Sign in to continue"},
		pathway.EINTERNAL:     {500, "Sorry, there is a problem with the service"},
	} {
		rec := get(f, "/fail?code="+code)
		body := rec.Body.String()
		if rec.Code != want.status || rec.Code != web.StatusOf(code) || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
			!strings.Contains(body, "<h1>"+want.heading+"</h1>") {
			t.Errorf("%s: %d %q %s, want %d with %q", code, rec.Code, rec.Header().Get("Content-Type"), body, want.status, want.heading)
		}
		if code == pathway.EUNAVAILABLE && rec.Header().Get("Retry-After") == "" {
			t.Errorf("503 page without Retry-After")
		}
		if code == pathway.EINTERNAL && strings.Contains(body, "Message for") {
			t.Errorf("an internal error's message reached the page: %s", body)
		}
	}
	// An error that is not an application error is logged and hidden; so is
	// a panic, which a browser sees as the same page.
	for path, secret := range map[string]string{"/fail": "secret-db-detail", "/boom": "secret-panic-detail"} {
		rec := get(f, path)
		if rec.Code != 500 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || strings.Contains(rec.Body.String(), secret) {
			t.Errorf("%s = %d %s, want the 500 page without details", path, rec.Code, rec.Body)
		}
		if !strings.Contains(f.logs.String(), secret) {
			t.Errorf("%s: %q not logged", path, secret)
		}
	}
	// A browser using a page with the wrong method gets a page too.
	r := httptest.NewRequest("DELETE", "/private", nil)
	r.Header.Set("Accept", "text/html")
	if rec := f.request(r); rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") == "" ||
		!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(rec.Body.String(), "<h1>") {
		t.Errorf("DELETE a page = %d %q %s, want the 405 page", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	// A browser asking for no page gets the 404 page, showing who is
	// signed in when the pages render it.
	f = newFormSite(t, web.Config{Pages: fakePages{}})
	if rec := get(f, "/no/such/page"); rec.Code != 404 || rec.Body.String() != "<p>in the layout: Page not found user=user-s1</p>" {
		t.Errorf("404 through the pages = %d %s", rec.Code, rec.Body)
	}
	if rec := get(f, "/a-page"); rec.Code != 200 || rec.Body.String() != "a page" {
		t.Errorf("page route = %d %s", rec.Code, rec.Body)
	}
	if rec := get(f, "/sign-in"); rec.Body.String() != "sign in to /login" {
		t.Errorf("sign-in page through the pages = %s", rec.Body)
	}
	// When the pages cannot render, the plain page stands in.
	f = newFormSite(t, web.Config{Pages: fakePages{broken: true}})
	if rec := get(f, "/fail?code="+pathway.ECONFLICT); rec.Code != 409 || !strings.Contains(rec.Body.String(), "<h1>This has already changed</h1>") {
		t.Errorf("broken pages = %d %s, want the plain 409 page", rec.Code, rec.Body)
	}
	// Without pages the sign-in page is plain, its forms carrying the token.
	f = newFormSite(t, web.Config{})
	rec := get(f, "/sign-in")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `action="/login"`) || !strings.Contains(rec.Body.String(), `name="`+web.CSRFField+`" value="`) {
		t.Errorf("plain sign-in page = %d %s", rec.Code, rec.Body)
	}
}
