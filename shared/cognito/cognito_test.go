package cognito_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cognito"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/web"
)

const (
	clientID = "pages-client-123"
	app      = "https://pathway.example" // where the browser reaches us
	callback = app + cognito.CallbackPath
)

// Client is what shared/web asks who is calling and what CSRF tokens are
// bound to, without importing it.
var _ web.SessionAuthenticator = (*cognito.Client)(nil)

// fixture is a Client over a fake Cognito, with its routes mounted on
// shared/web's handler as the function mounts them.
type fixture struct {
	fake   *fakeCognito
	clock  *clock
	client *cognito.Client
	mux    http.Handler
}

// tokenPath is a route the fixture adds to read the CSRF token the pages'
// forms would carry for a request's cookies.
const tokenPath = "/test/csrf-token"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	fake := newFake(t, clientID, clk)
	c, err := cognito.New(cognito.Config{Domain: fake.URL, ClientID: clientID, Issuer: fake.issuer(),
		HTTPClient: fake.Client(), Now: clk.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	mount := c.Routes()
	mount["GET "+tokenPath] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, web.CSRFToken(w, r))
	})
	h := web.New(web.Config{Store: testkit.Store(t), Auth: web.ClaimsAuthenticator{Fallback: c}, Mount: mount,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return &fixture{fake: fake, clock: clk, client: c, mux: h}
}

// serve sends a request to the routes and returns the response and body.
func (f *fixture) serve(req *http.Request) (*http.Response, string) {
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, req)
	res := rec.Result()
	return res, rec.Body.String()
}

// signIn starts a sign-in and returns the authorize URL's query and the
// state cookie.
func (f *fixture) signIn(t *testing.T) (url.Values, *http.Cookie) {
	t.Helper()
	res, _ := f.serve(httptest.NewRequest("GET", app+cognito.SignInPath, nil))
	loc, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("sign-in = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != f.fake.URL+"/oauth2/authorize" {
		t.Fatalf("sign-in sends the browser to %s, want the hosted UI's authorize endpoint", got)
	}
	state := cookieNamed(res, "pathway_signin")
	if state == nil || !state.HttpOnly || !state.Secure || state.SameSite != http.SameSiteLaxMode || state.MaxAge <= 0 || state.MaxAge > 900 {
		t.Fatalf("state cookie = %+v, want a short-lived HttpOnly Secure SameSite=Lax cookie", state)
	}
	return loc.Query(), state
}

// callback returns from the hosted UI with the query, sending the cookies.
func (f *fixture) callback(q url.Values, cookies ...*http.Cookie) (*http.Response, string) {
	req := httptest.NewRequest("GET", callback+"?"+q.Encode(), nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return f.serve(req)
}

// session signs in all the way as the claims' user and returns the
// session cookie.
func (f *fixture) session(t *testing.T, claims map[string]any) *http.Cookie {
	t.Helper()
	q, state := f.signIn(t)
	code := f.fake.authorize(q.Get("code_challenge"), q.Get("redirect_uri"), claims)
	res, body := f.callback(url.Values{"code": {code}, "state": {q.Get("state")}}, state)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("callback = %d to %q: %s", res.StatusCode, res.Header.Get("Location"), body)
	}
	s := cookieNamed(res, cognito.SessionCookie)
	if s == nil || s.Value == "" || !s.HttpOnly || !s.Secure || s.SameSite != http.SameSiteLaxMode || s.Path != "/" {
		t.Fatalf("session cookie = %+v, want HttpOnly, Secure, SameSite=Lax on /", s)
	}
	if !s.Expires.Equal(f.clock.Now().Add(time.Hour).Truncate(time.Second)) {
		t.Errorf("session cookie expires %v, want the token's expiry", s.Expires)
	}
	if c := cookieNamed(res, "pathway_signin"); c == nil || c.MaxAge >= 0 {
		t.Errorf("state cookie not cleared after use: %+v", c)
	}
	return s
}

// authenticate authenticates a page request carrying the cookie value.
func (f *fixture) authenticate(token string) (*pathway.User, error) {
	req := httptest.NewRequest("GET", app+"/", nil)
	req.AddCookie(&http.Cookie{Name: cognito.SessionCookie, Value: token})
	return f.client.Authenticate(req)
}

func TestSignInRedirect(t *testing.T) {
	f := newFixture(t)
	q, state := f.signIn(t)
	want := map[string]string{"response_type": "code", "client_id": clientID, "redirect_uri": callback, "code_challenge_method": "S256"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if scopes := strings.Fields(q.Get("scope")); len(scopes) != 3 || scopes[0] != "openid" {
		t.Errorf("scope = %q, want openid email profile", q.Get("scope"))
	}
	if len(q.Get("state")) < 43 || len(q.Get("code_challenge")) != 43 {
		t.Errorf("state %q, challenge %q: want 32 random bytes and a SHA-256 in base64url", q.Get("state"), q.Get("code_challenge"))
	}
	// The cookie keeps the state and the verifier, never the challenge:
	// the verifier stays on our side until the code exchange.
	if !strings.HasPrefix(state.Value, q.Get("state")+".") || strings.Contains(state.Value, q.Get("code_challenge")) {
		t.Errorf("state cookie %q does not hold the state and a verifier", state.Value)
	}
	// Each sign-in gets its own state.
	if q2, _ := f.signIn(t); q2.Get("state") == q.Get("state") || q2.Get("code_challenge") == q.Get("code_challenge") {
		t.Error("two sign-ins share a state or challenge")
	}
	// Behind a proxy that says https, the callback is https too.
	req := httptest.NewRequest("GET", cognito.SignInPath, nil)
	req.Host = "abc123.execute-api.eu-west-2.amazonaws.com"
	req.Header.Set("X-Forwarded-Proto", "https")
	res, _ := f.serve(req)
	loc, _ := url.Parse(res.Header.Get("Location"))
	if got := loc.Query().Get("redirect_uri"); got != "https://abc123.execute-api.eu-west-2.amazonaws.com/auth/callback" {
		t.Errorf("redirect_uri behind a proxy = %q", got)
	}
}

func TestFullFlowAuthenticates(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, role, org, wantOrg string
	}{
		{"agency worker", pathway.RoleAgency, "org-moorside", "org-moorside"},
		{"founder (never acts for an organisation)", pathway.RoleFounder, "org-moorside", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := f.session(t, f.fake.claims("sub-"+tc.role, tc.role, tc.org))
			u, err := f.authenticate(s.Value)
			if err != nil {
				t.Fatal(err)
			}
			if u.ID != "sub-"+tc.role || u.Role != tc.role || u.Organisation != tc.wantOrg || u.Name != "Ash Example" {
				t.Errorf("user = %+v", u)
			}
		})
	}
	// A signed-in account without a role is refused with a reason, not
	// treated as signed out (that would loop through the sign-in).
	s := f.session(t, with(f.fake.claims("sub-new", "", ""), map[string]any{"custom:role": nil}))
	if _, err := f.authenticate(s.Value); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
		t.Errorf("account without a role: %v, want forbidden", err)
	}
	// No cookie at all is signed out.
	if _, err := f.client.Authenticate(httptest.NewRequest("GET", app+"/", nil)); pathway.ErrorCode(err) != pathway.EUNAUTHORIZED {
		t.Errorf("no cookie: %v, want unauthorized", err)
	}
}

func TestCallbackRefusals(t *testing.T) {
	f := newFixture(t)
	q, state := f.signIn(t)
	claims := f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside")
	code := f.fake.authorize(q.Get("code_challenge"), q.Get("redirect_uri"), claims)
	otherQ, _ := f.signIn(t)
	otherCode := f.fake.authorize(otherQ.Get("code_challenge"), otherQ.Get("redirect_uri"), claims)
	tests := []struct {
		name    string
		query   url.Values
		cookies []*http.Cookie
		status  int
	}{
		{"wrong state", url.Values{"code": {code}, "state": {otherQ.Get("state")}}, []*http.Cookie{state}, 400},
		{"no state cookie (another browser)", url.Values{"code": {code}, "state": {q.Get("state")}}, nil, 400},
		{"no code", url.Values{"state": {q.Get("state")}}, []*http.Cookie{state}, 400},
		{"hosted UI reports an error", url.Values{"error": {"access_denied"}, "state": {q.Get("state")}}, []*http.Cookie{state}, 400},
		// A code issued for another sign-in's challenge fails PKCE at the
		// token endpoint: a stolen code is useless without its verifier.
		{"code of another sign-in", url.Values{"code": {otherCode}, "state": {q.Get("state")}}, []*http.Cookie{state}, 502},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := f.callback(tc.query, tc.cookies...)
			if res.StatusCode != tc.status || !isPlainPage(res, body) {
				t.Fatalf("callback = %d %s, want %d with a plain page", res.StatusCode, body, tc.status)
			}
			if c := cookieNamed(res, cognito.SessionCookie); c != nil {
				t.Errorf("refused callback set a session cookie %+v", c)
			}
		})
	}
	// The good code still works once (nothing above used it) ...
	res, body := f.callback(url.Values{"code": {code}, "state": {q.Get("state")}}, state)
	if res.StatusCode != http.StatusSeeOther || cookieNamed(res, cognito.SessionCookie) == nil {
		t.Fatalf("good callback = %d %s", res.StatusCode, body)
	}
	// ... and only once.
	if res, _ := f.callback(url.Values{"code": {code}, "state": {q.Get("state")}}, state); res.StatusCode != 502 {
		t.Errorf("replayed code = %d, want 502", res.StatusCode)
	}
}

func TestBadTokensAreSignedOut(t *testing.T) {
	f := newFixture(t)
	keys := testKeys()
	good := f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside")
	goodToken := sign(keys[0], "key-1", good)
	if _, err := f.authenticate(goodToken); err != nil {
		t.Fatalf("good token refused: %v", err)
	}
	now := f.clock.Now()
	parts := strings.Split(goodToken, ".")
	forged := sign(keys[0], "key-1", with(good, map[string]any{"custom:organisation": "org-fenland"}))
	tests := []struct{ name, token string }{
		{"tampered claims", parts[0] + "." + strings.Split(forged, ".")[1] + "." + parts[2]},
		{"tampered signature", parts[0] + "." + parts[1] + "." + b64([]byte("not a signature"))},
		{"expired beyond the leeway", sign(keys[0], "key-1", with(good, map[string]any{"exp": now.Add(-cognito.Leeway - time.Second).Unix()}))},
		{"no expiry", sign(keys[0], "key-1", with(good, map[string]any{"exp": nil}))},
		{"issued in the future", sign(keys[0], "key-1", with(good, map[string]any{"iat": now.Add(time.Hour).Unix()}))},
		{"wrong audience", sign(keys[0], "key-1", with(good, map[string]any{"aud": "api-client-456"}))},
		{"wrong issuer", sign(keys[0], "key-1", with(good, map[string]any{"iss": "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_other"}))},
		{"access token", sign(keys[0], "key-1", with(good, map[string]any{"token_use": "access"}))},
		{"unknown kid", sign(keys[1], "key-2", good)},
		{"known kid, other key", sign(keys[1], "key-1", good)},
		{"alg none", b64([]byte(`{"alg":"none","kid":"key-1"}`)) + "." + parts[1] + "."},
		{"alg HS256", signWith(keys[0], map[string]any{"alg": "HS256", "kid": "key-1"}, good)},
		{"two parts", parts[0] + "." + parts[1]},
		{"garbage", "not-a-token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := f.authenticate(tc.token)
			if pathway.ErrorCode(err) != pathway.EUNAUTHORIZED || u != nil {
				t.Errorf("got %+v, %v; want signed out", u, err)
			}
		})
	}
	// Within the leeway an expired token still counts: clocks differ.
	late := sign(keys[0], "key-1", with(good, map[string]any{"exp": now.Add(-cognito.Leeway / 2).Unix()}))
	if _, err := f.authenticate(late); err != nil {
		t.Errorf("token expired within the leeway: %v", err)
	}
	// An audience list naming the client is accepted too.
	listed := sign(keys[0], "key-1", with(good, map[string]any{"aud": []string{"other", clientID}}))
	if _, err := f.authenticate(listed); err != nil {
		t.Errorf("aud list naming the client: %v", err)
	}
}

func TestKeyRotation(t *testing.T) {
	f := newFixture(t)
	keys := testKeys()
	claims := f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside")
	if _, err := f.authenticate(sign(keys[0], "key-1", claims)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.authenticate(sign(keys[0], "key-1", claims)); err != nil || f.fake.hits() != 1 {
		t.Fatalf("second request: %v after %d key fetches; want the cached keys", err, f.fake.hits())
	}
	// Cognito rotates: a token under a new key arrives. Within a minute
	// of the last fetch an unknown kid is refused without asking again,
	// so forged kids cannot make every request call Cognito.
	f.fake.publish("key-2", keys[1])
	rotated := sign(keys[1], "key-2", claims)
	if _, err := f.authenticate(rotated); pathway.ErrorCode(err) != pathway.EUNAUTHORIZED || f.fake.hits() != 1 {
		t.Fatalf("unknown kid within a minute: %v after %d fetches", err, f.fake.hits())
	}
	f.clock.Advance(2 * time.Minute)
	if _, err := f.authenticate(rotated); err != nil || f.fake.hits() != 2 {
		t.Errorf("after a minute the new key is fetched: %v after %d fetches", err, f.fake.hits())
	}
}

func TestKeysUnreachableIsNotSignedOut(t *testing.T) {
	f := newFixture(t)
	token := sign(testKeys()[0], "key-1", f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside"))
	f.fake.Close()
	_, err := f.authenticate(token)
	if err == nil || pathway.ErrorCode(err) == pathway.EUNAUTHORIZED {
		t.Errorf("keys unreachable: %v; want an internal error, not a sign-out", err)
	}
}

func TestSignOut(t *testing.T) {
	f := newFixture(t)
	session := f.session(t, f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside"))
	csrf := &http.Cookie{Name: web.CSRFCookie, Value: b64(make([]byte, 32))}
	// The token the layout's sign-out form carries for this browser's
	// cookies; one of a browser without the session will not do.
	token := func(cookies ...*http.Cookie) string {
		req := httptest.NewRequest("GET", app+tokenPath, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		_, body := f.serve(req)
		return body
	}
	post := func(form url.Values, cookies ...*http.Cookie) (*http.Response, string) {
		req := httptest.NewRequest("POST", app+cognito.SignOutPath, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		return f.serve(req)
	}
	// Without the form's CSRF token another site could sign people out.
	res, body := post(nil, session, csrf)
	if res.StatusCode != http.StatusForbidden || cookieNamed(res, cognito.SessionCookie) != nil {
		t.Errorf("sign-out without token = %d %s", res.StatusCode, body)
	}
	for name, tok := range map[string]string{"the cookie's value": csrf.Value, "a token of no session": token(csrf)} {
		if res, body := post(url.Values{web.CSRFField: {tok}}, session, csrf); res.StatusCode != http.StatusForbidden || cookieNamed(res, cognito.SessionCookie) != nil {
			t.Errorf("sign-out with %s as the token = %d %s", name, res.StatusCode, body)
		}
	}
	res, _ = post(url.Values{web.CSRFField: {token(csrf, session)}}, session, csrf)
	if c := cookieNamed(res, cognito.SessionCookie); res.StatusCode != http.StatusSeeOther || c == nil || c.MaxAge >= 0 {
		t.Fatalf("sign-out = %d, session cookie %+v; want 303 clearing it", res.StatusCode, c)
	}
	loc, _ := url.Parse(res.Header.Get("Location"))
	if loc.Scheme+"://"+loc.Host+loc.Path != f.fake.URL+"/logout" || loc.Query().Get("client_id") != clientID ||
		loc.Query().Get("logout_uri") != app+cognito.SignedOutPath {
		t.Errorf("sign-out sends the browser to %s, want the hosted UI's logout returning to %s", loc, cognito.SignedOutPath)
	}
	res, body = f.serve(httptest.NewRequest("GET", app+cognito.SignedOutPath, nil))
	if res.StatusCode != 200 || !isPlainPage(res, body) || !strings.Contains(body, `href="`+cognito.SignInPath+`"`) {
		t.Errorf("signed-out page = %d %s", res.StatusCode, body)
	}
}

func TestFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	all := map[string]string{"COGNITO_DOMAIN": "pathway-dev.auth.eu-west-2.amazoncognito.com",
		"COGNITO_USER_POOL_ID": "eu-west-2_abc", "COGNITO_CLIENT_ID": "pages-1", "AWS_REGION": "eu-west-2"}
	cfg, err := cognito.FromEnv(env(all))
	if err != nil || cfg.Domain != all["COGNITO_DOMAIN"] || cfg.UserPoolID != "eu-west-2_abc" || cfg.ClientID != "pages-1" || cfg.Region != "eu-west-2" {
		t.Fatalf("FromEnv = %+v, %v", cfg, err)
	}
	if _, err := cognito.New(cfg); err != nil {
		t.Errorf("New(FromEnv) = %v", err)
	}
	if _, err := cognito.FromEnv(env(map[string]string{"AWS_REGION": "eu-west-2"})); !errors.Is(err, cognito.ErrNotConfigured) {
		t.Errorf("no Cognito settings: %v, want ErrNotConfigured", err)
	}
	partial := with2(all, "COGNITO_CLIENT_ID")
	if _, err := cognito.FromEnv(env(partial)); err == nil || !strings.Contains(err.Error(), "COGNITO_CLIENT_ID") {
		t.Errorf("missing client ID: %v, want an error naming it", err)
	}
	if _, err := cognito.New(cognito.Config{Domain: "x.example", ClientID: "c"}); err == nil {
		t.Error("New without region or pool accepted")
	}
}

// with2 returns a copy of m without the key.
func with2(m map[string]string, drop string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if k != drop {
			out[k] = v
		}
	}
	return out
}

func TestNotConfigured(t *testing.T) {
	mux := http.NewServeMux()
	for p, h := range cognito.NotConfigured() {
		mux.Handle(p, h)
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", cognito.SignInPath, nil))
	res := rec.Result()
	if res.StatusCode != http.StatusServiceUnavailable || !isPlainPage(res, rec.Body.String()) || !strings.Contains(rec.Body.String(), "COGNITO_DOMAIN") {
		t.Errorf("sign-in when not configured = %d %s", res.StatusCode, rec.Body.String())
	}
}
