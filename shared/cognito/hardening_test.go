package cognito_test

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cognito"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// signSegments signs the two base64url segments given as they are, RS256.
func signSegments(key *rsa.PrivateKey, header, claims string) string {
	input := header + "." + claims
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		panic(err)
	}
	return input + "." + b64(sig)
}

// signJSON signs header and claims given as JSON text, RS256.
func signJSON(key *rsa.PrivateKey, header, claims string) string {
	return signSegments(key, b64([]byte(header)), b64([]byte(claims)))
}

// hs256 makes a token MACed with HS256 under the secret.
func hs256(secret []byte, header, claims string) string {
	input := b64([]byte(header)) + "." + b64([]byte(claims))
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(input))
	return input + "." + b64(mac.Sum(nil))
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// nonCanonical returns another spelling of the same bytes as seg, which
// must end in a character with unused low bits: lenient decoders ignore
// them.
func nonCanonical(t *testing.T, seg string) string {
	t.Helper()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	if len(seg)%4 == 0 {
		t.Fatalf("segment of %d characters has no unused bits", len(seg))
	}
	i := strings.IndexByte(alphabet, seg[len(seg)-1])
	return seg[:len(seg)-1] + string(alphabet[i^1])
}

// padTo3 pads a JSON object's text with spaces before its closing brace
// until its length leaves unused bits in base64 (not a multiple of 3).
func padTo3(js string) string {
	for len(js)%3 == 0 {
		js = js[:len(js)-1] + " }"
	}
	return js
}

// signedOut asserts the token is answered "not signed in".
func signedOut(t *testing.T, f *fixture, token string) {
	t.Helper()
	u, err := f.authenticate(token)
	if pathway.ErrorCode(err) != pathway.EUNAUTHORIZED || u != nil {
		t.Errorf("got %+v, %v; want signed out (401)", u, err)
	}
}

// TestCraftedTokensAreRefused is the attack of the issue: crafted ID
// tokens against a local key set. Every one is "not signed in".
func TestCraftedTokensAreRefused(t *testing.T) {
	f := newFixture(t)
	keys := testKeys()
	good := f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside")
	goodToken := sign(keys[0], "key-1", good)
	if _, err := f.authenticate(goodToken); err != nil {
		t.Fatalf("good token refused: %v", err)
	}
	now := f.clock.Now()
	parts := strings.Split(goodToken, ".")
	goodJSON := jsonText(good)
	const rsHeader = `{"alg":"RS256","kid":"key-1"}`
	der, err := x509.MarshalPKIXPublicKey(&keys[0].PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	// The claims with one more name in front (JSON keeps the last).
	prepend := func(member string) string { return "{" + member + "," + goodJSON[1:] }
	big := func(n int) string {
		return sign(keys[0], "key-1", with(good, map[string]any{"padding": strings.Repeat("x", n)}))
	}
	if tok := big(5000); len(tok) >= cognito.MaxTokenBytes {
		t.Fatalf("a 5000-byte claim makes a %d-byte token", len(tok))
	} else if _, err := f.authenticate(tok); err != nil {
		t.Fatalf("a large token under the limit (%d bytes) is refused: %v", len(tok), err)
	}
	canonHeader := b64([]byte(padTo3(rsHeader)))
	canonClaims := b64([]byte(padTo3(goodJSON)))

	tests := []struct{ name, token string }{
		// Algorithm confusion.
		{"alg none, no signature", b64([]byte(`{"alg":"none","kid":"key-1"}`)) + "." + parts[1] + "."},
		{"alg none, a signature", b64([]byte(`{"alg":"none","kid":"key-1"}`)) + "." + parts[1] + "." + parts[2]},
		{"alg None", signJSON(keys[0], `{"alg":"None","kid":"key-1"}`, goodJSON)},
		{"HS256 with the public key (PEM) as secret", hs256(pemKey, `{"alg":"HS256","kid":"key-1"}`, goodJSON)},
		{"HS256 with the public key (DER) as secret", hs256(der, `{"alg":"HS256","kid":"key-1"}`, goodJSON)},
		{"HS256 with the modulus as secret", hs256(keys[0].N.Bytes(), `{"alg":"HS256","kid":"key-1"}`, goodJSON)},
		{"RS256 signature labelled HS256", signJSON(keys[0], `{"alg":"HS256","kid":"key-1"}`, goodJSON)},
		{"RS512 label", signJSON(keys[0], `{"alg":"RS512","kid":"key-1"}`, goodJSON)},
		// Foreign keys.
		{"unknown kid, foreign key", sign(keys[1], "key-2", good)},
		{"known kid, foreign key", sign(keys[1], "key-1", good)},
		{"foreign key embedded as jwk", signJSON(keys[1], jsonText(map[string]any{"alg": "RS256", "kid": "key-1",
			"jwk": map[string]any{"kty": "RSA", "n": b64(keys[1].N.Bytes()), "e": "AQAB"}}), goodJSON)},
		{"no kid", signJSON(keys[0], `{"alg":"RS256"}`, goodJSON)},
		{"kid a number", signJSON(keys[0], `{"alg":"RS256","kid":1}`, goodJSON)},
		{"crit extension", signJSON(keys[0], `{"alg":"RS256","kid":"key-1","crit":["exp"],"exp":1}`, goodJSON)},
		// Issuer, audience and token use.
		{"wrong issuer", sign(keys[0], "key-1", with(good, map[string]any{"iss": "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_other"}))},
		{"issuer with a trailing slash", sign(keys[0], "key-1", with(good, map[string]any{"iss": f.fake.issuer() + "/"}))},
		{"no issuer", sign(keys[0], "key-1", with(good, map[string]any{"iss": nil}))},
		{"wrong audience", sign(keys[0], "key-1", with(good, map[string]any{"aud": "api-client-456"}))},
		{"audience list without the client", sign(keys[0], "key-1", with(good, map[string]any{"aud": []string{"a", "b"}}))},
		{"audience a number", sign(keys[0], "key-1", with(good, map[string]any{"aud": 7}))},
		{"no audience", sign(keys[0], "key-1", with(good, map[string]any{"aud": nil}))},
		{"access token", sign(keys[0], "key-1", with(good, map[string]any{"token_use": "access"}))},
		{"token_use ID", sign(keys[0], "key-1", with(good, map[string]any{"token_use": "ID"}))},
		{"no token_use", sign(keys[0], "key-1", with(good, map[string]any{"token_use": nil}))},
		// Times.
		{"expired beyond the leeway", sign(keys[0], "key-1", with(good, map[string]any{"exp": now.Add(-cognito.Leeway - time.Second).Unix()}))},
		{"no expiry", sign(keys[0], "key-1", with(good, map[string]any{"exp": nil}))},
		{"expiry a string", sign(keys[0], "key-1", with(good, map[string]any{"exp": "9999999999"}))},
		{"not before, in the future", sign(keys[0], "key-1", with(good, map[string]any{"nbf": now.Add(cognito.Leeway + time.Minute).Unix()}))},
		{"not before a string", sign(keys[0], "key-1", with(good, map[string]any{"nbf": "0"}))},
		{"issued in the future", sign(keys[0], "key-1", with(good, map[string]any{"iat": now.Add(time.Hour).Unix()}))},
		{"issued-at a string", sign(keys[0], "key-1", with(good, map[string]any{"iat": "1795338000"}))},
		{"issued-at a boolean", sign(keys[0], "key-1", with(good, map[string]any{"iat": true}))},
		{"issued-at an object", sign(keys[0], "key-1", with(good, map[string]any{"iat": map[string]any{"n": 1}}))},
		{"no issued-at", sign(keys[0], "key-1", with(good, map[string]any{"iat": nil}))},
		{"jti a number", sign(keys[0], "key-1", with(good, map[string]any{"jti": 12}))},
		// Lenient parsing.
		{"trailing JSON after the header", signJSON(keys[0], rsHeader+`{"alg":"none"}`, goodJSON)},
		{"trailing JSON after the payload", signJSON(keys[0], rsHeader, goodJSON+`{"custom:role":"founder"}`)},
		{"trailing JSON after the payload, spaced", signJSON(keys[0], rsHeader, goodJSON+"\n"+`{"custom:role":"founder"}`)},
		{"trailing bracket after the payload", signJSON(keys[0], rsHeader, goodJSON+`]`)},
		{"duplicate alg in the header", signJSON(keys[0], `{"alg":"none","alg":"RS256","kid":"key-1"}`, goodJSON)},
		{"duplicate kid in the header", signJSON(keys[0], `{"alg":"RS256","kid":"key-2","kid":"key-1"}`, goodJSON)},
		{"duplicate claim", signJSON(keys[0], rsHeader, prepend(`"custom:role":"founder"`))},
		{"duplicate nested claim", signJSON(keys[0], rsHeader, prepend(`"address":{"street":"a","street":"b"}`))},
		{"ALG beside alg", signJSON(keys[0], `{"alg":"RS256","ALG":"none","kid":"key-1"}`, goodJSON)},
		{"Alg alone", signJSON(keys[0], `{"Alg":"RS256","kid":"key-1"}`, goodJSON)},
		{"KID beside kid", signJSON(keys[0], `{"alg":"RS256","kid":"key-1","KID":"key-2"}`, goodJSON)},
		{"Typ", signJSON(keys[0], `{"alg":"RS256","kid":"key-1","Typ":"JWT"}`, goodJSON)},
		{"case-folded claim", signJSON(keys[0], rsHeader, prepend(`"Custom:Role":"founder"`))},
		{"ISS beside iss", signJSON(keys[0], rsHeader, prepend(`"ISS":"https://elsewhere.example"`))},
		{"payload not an object", signJSON(keys[0], rsHeader, `["sub-1"]`)},
		{"payload invalid UTF-8", signJSON(keys[0], rsHeader, prepend("\"x\":\"\xff\""))},
		{"non-canonical base64 signature", parts[0] + "." + parts[1] + "." + nonCanonical(t, parts[2])},
		{"padded signature", parts[0] + "." + parts[1] + "." + parts[2] + "=="},
		{"standard base64 signature", parts[0] + "." + parts[1] + "." + strings.NewReplacer("-", "+", "_", "/").Replace(parts[2]) + "+/"},
		{"non-canonical base64 header", signSegments(keys[0], nonCanonical(t, canonHeader), canonClaims)},
		{"non-canonical base64 payload", signSegments(keys[0], canonHeader, nonCanonical(t, canonClaims))},
		{"over 8 KB", big(cognito.MaxTokenBytes)},
		// Malformed.
		{"tampered claims", parts[0] + "." + strings.Split(sign(keys[0], "key-1", with(good, map[string]any{"custom:organisation": "org-fenland"})), ".")[1] + "." + parts[2]},
		{"tampered signature", parts[0] + "." + parts[1] + "." + b64([]byte("not a signature"))},
		{"four parts", goodToken + "." + parts[2]},
		{"two parts", parts[0] + "." + parts[1]},
		{"garbage", "not-a-token"},
	}
	// Sanity: the non-canonical spellings decode to the same bytes, so
	// only the strictness refuses them; and the same token spelt
	// canonically is good.
	if tok := signSegments(keys[0], canonHeader, canonClaims); tok == "" {
		t.Fatal("no token")
	} else if _, err := f.authenticate(tok); err != nil {
		t.Fatalf("canonical spelling of the padded token refused: %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { signedOut(t, f, tc.token) })
	}
	if h := f.fake.hits(); h != 1 {
		t.Errorf("crafted tokens caused %d key set fetches in all, want the first only", h)
	}

	// Good tokens still pass.
	for name, claims := range map[string]map[string]any{
		"expired within the leeway":       with(good, map[string]any{"exp": now.Add(-cognito.Leeway / 2).Unix()}),
		"not before, past":                with(good, map[string]any{"nbf": now.Add(-time.Minute).Unix()}),
		"not before, within the leeway":   with(good, map[string]any{"nbf": now.Add(cognito.Leeway / 2).Unix()}),
		"issued within the leeway":        with(good, map[string]any{"iat": now.Add(cognito.Leeway / 2).Unix()}),
		"audience list naming the client": with(good, map[string]any{"aud": []string{"other", clientID}}),
		"no token IDs":                    with(good, map[string]any{"jti": nil, "origin_jti": nil}),
	} {
		if _, err := f.authenticate(sign(keys[0], "key-1", claims)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestSignOutRevokes: after signing out, the old token is refused (and any
// token of the same sign-in), the refresh token is revoked at Cognito, and
// other sessions go on.
func TestSignOutRevokes(t *testing.T) {
	f := newFixture(t)
	claims := f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside")
	q, state := f.signIn(t)
	code := f.fake.authorize(q.Get("code_challenge"), q.Get("redirect_uri"), claims)
	res, body := f.callback(url.Values{"code": {code}, "state": {q.Get("state")}}, state)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback = %d %s", res.StatusCode, body)
	}
	session, refresh := cookieNamed(res, cognito.SessionCookie), cookieNamed(res, "pathway_refresh")
	if refresh == nil || refresh.Value != "refresh-"+code || !refresh.HttpOnly || !refresh.Secure ||
		refresh.Path != cognito.SignOutPath || !refresh.Expires.Equal(session.Expires) {
		t.Fatalf("refresh cookie = %+v; want HttpOnly, Secure, only for %s, expiring with the session", refresh, cognito.SignOutPath)
	}
	other := f.session(t, f.fake.claims("sub-2", pathway.RoleAgency, "org-moorside"))
	// A token refreshed from the same sign-in: another jti, same origin.
	refreshed := sign(testKeys()[0], "key-1", with(claims, map[string]any{"jti": randomID()}))
	for _, tok := range []string{session.Value, refreshed, other.Value} {
		if _, err := f.authenticate(tok); err != nil {
			t.Fatalf("before sign-out: %v", err)
		}
	}

	res, _ = f.signOut(t, session, refresh)
	if c := cookieNamed(res, "pathway_refresh"); c == nil || c.MaxAge >= 0 || c.Path != cognito.SignOutPath {
		t.Errorf("refresh cookie not cleared: %+v", c)
	}
	if got := f.fake.revokedTokens(); len(got) != 1 || got[0] != refresh.Value {
		t.Errorf("Cognito revoked %q, want the session's refresh token", got)
	}
	signedOut(t, f, session.Value)
	signedOut(t, f, refreshed)
	if _, err := f.authenticate(other.Value); err != nil {
		t.Errorf("another session after a sign-out: %v", err)
	}
	// Signing out without the refresh cookie (a session from before it
	// was kept) still revokes the ID token.
	res, _ = f.signOut(t, other)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out = %d", res.StatusCode)
	}
	signedOut(t, f, other.Value)
	if got := f.fake.revokedTokens(); len(got) != 1 {
		t.Errorf("Cognito asked to revoke %d tokens, want 1", len(got))
	}
}

// signOut posts the sign-out form with its CSRF token and the cookies.
func (f *fixture) signOut(t *testing.T, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	csrf := &http.Cookie{Name: web.CSRFCookie, Value: b64(make([]byte, 32))}
	all := append([]*http.Cookie{csrf}, cookies...)
	req := httptest.NewRequest("GET", app+tokenPath, nil)
	for _, c := range all {
		req.AddCookie(c)
	}
	_, token := f.serve(req)
	req = httptest.NewRequest("POST", app+cognito.SignOutPath, strings.NewReader(url.Values{web.CSRFField: {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range all {
		req.AddCookie(c)
	}
	res, body := f.serve(req)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out = %d %s", res.StatusCode, body)
	}
	if c := cookieNamed(res, cognito.SessionCookie); c == nil || c.MaxAge >= 0 {
		t.Errorf("session cookie not cleared: %+v", c)
	}
	return res, body
}

// recordingStore is a RevocationStore as the composition root might pass
// one (the table's), recording its calls.
type recordingStore struct {
	mu      sync.Mutex
	revoked map[string]time.Time
	err     error
}

func (s *recordingStore) Revoke(_ context.Context, id string, until time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked[id] = until
	return nil
}

func (s *recordingStore) IsRevoked(_ context.Context, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.revoked[id]
	return ok, s.err
}

func TestSharedRevocationStore(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	fake := newFake(t, clientID, clk)
	store := &recordingStore{revoked: map[string]time.Time{}}
	newClient := func() *cognito.Client {
		c, err := cognito.New(cognito.Config{Domain: fake.URL, ClientID: clientID, Issuer: fake.issuer(), HTTPClient: fake.Client(),
			Now: clk.Now, Revoked: store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	one, two := newClient(), newClient() // two Lambda instances
	claims := fake.claims("sub-1", pathway.RoleAgency, "org-moorside")
	token := sign(testKeys()[0], "key-1", claims)
	auth := func(c *cognito.Client) error {
		req := httptest.NewRequest("GET", app+"/", nil)
		req.AddCookie(&http.Cookie{Name: cognito.SessionCookie, Value: token})
		_, err := c.Authenticate(req)
		return err
	}
	if err := auth(two); err != nil {
		t.Fatal(err)
	}
	// Instance one serves the sign-out (the CSRF check is web's, tested
	// elsewhere: here the route is called as web would after it).
	req := httptest.NewRequest("POST", app+cognito.SignOutPath, nil)
	req.AddCookie(&http.Cookie{Name: cognito.SessionCookie, Value: token})
	rec := httptest.NewRecorder()
	one.Routes()["POST "+cognito.SignOutPath].ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign-out = %d", rec.Code)
	}
	until := time.Unix(claims["exp"].(int64), 0).Add(cognito.Leeway)
	for _, id := range []string{claims["jti"].(string), claims["origin_jti"].(string)} {
		if got, ok := store.revoked[id]; !ok || !got.Equal(until) {
			t.Errorf("store has %s until %v, want until %v", id, got, until)
		}
	}
	if err := auth(two); pathway.ErrorCode(err) != pathway.EUNAUTHORIZED {
		t.Errorf("other instance after sign-out: %v, want 401", err)
	}
	// A store that cannot be read fails closed, as an internal error.
	store.err = errors.New("table unavailable")
	if err := auth(two); err == nil || pathway.ErrorCode(err) == pathway.EUNAUTHORIZED {
		t.Errorf("store unreadable: %v, want an internal error", err)
	}
}

// TestKeyCacheFailingServer: while the key set fails, forged key IDs cost
// one fetch a minute, and are answered 401, not 500.
func TestKeyCacheFailingServer(t *testing.T) {
	f := newFixture(t)
	keys := testKeys()
	good := sign(keys[0], "key-1", f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside"))
	if _, err := f.authenticate(good); err != nil {
		t.Fatal(err)
	}
	f.fake.setFailing(true)
	f.clock.Advance(2 * time.Minute)
	claims := f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside")
	forged := func() string { return sign(keys[1], "forged-"+randomID(), claims) }
	tokens := make([]string, 100)
	for i := range tokens {
		tokens[i] = forged()
	}
	var wg sync.WaitGroup
	errs := make([]error, len(tokens))
	for i, tok := range tokens {
		wg.Go(func() { _, errs[i] = f.authenticate(tok) })
	}
	wg.Wait()
	for i, err := range errs {
		if pathway.ErrorCode(err) != pathway.EUNAUTHORIZED {
			t.Errorf("forged request %d: %v, want 401", i, err)
		}
	}
	if h := f.fake.hits(); h != 2 {
		t.Errorf("100 forged key IDs with the key set failing: %d fetches after the first, want 1", h-1)
	}
	// The known key still works meanwhile, from the cache.
	if _, err := f.authenticate(sign(keys[0], "key-1", claims)); err != nil {
		t.Errorf("known key while the key set fails: %v", err)
	}
	// A minute on, one more attempt; then none again.
	f.clock.Advance(refetchAfter + time.Second)
	for range 10 {
		signedOut(t, f, forged())
	}
	if h := f.fake.hits(); h != 3 {
		t.Errorf("a minute later: %d fetches in all, want 3", h)
	}
}

// refetchAfter mirrors the package's limit of one key set fetch a minute.
const refetchAfter = time.Minute

// TestKeysUnreachableColdLimited: with no keys yet and the key set failing,
// the request whose fetch failed gets an internal error, and the requests
// of the next minute do not fetch again.
func TestKeysUnreachableColdLimited(t *testing.T) {
	f := newFixture(t)
	f.fake.setFailing(true)
	token := sign(testKeys()[0], "key-1", f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside"))
	if _, err := f.authenticate(token); err == nil || pathway.ErrorCode(err) == pathway.EUNAUTHORIZED {
		t.Errorf("first request: %v, want an internal error", err)
	}
	for range 20 {
		signedOut(t, f, sign(testKeys()[1], "forged-"+randomID(), f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside")))
	}
	if h := f.fake.hits(); h != 1 {
		t.Errorf("%d fetches within a minute, want 1", h)
	}
	f.fake.setFailing(false)
	f.clock.Advance(refetchAfter)
	if _, err := f.authenticate(sign(testKeys()[0], "key-1", f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside"))); err != nil {
		t.Errorf("after the key set recovers: %v", err)
	}
}

// TestKeyCacheSlowServer: a fetch in flight for one key ID holds up no
// request whose key is cached, concurrent misses share it, and it gives
// up within the fetch timeout.
func TestKeyCacheSlowServer(t *testing.T) {
	f := newFixture(t)
	keys := testKeys()
	claims := f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside")
	if _, err := f.authenticate(sign(keys[0], "key-1", claims)); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(2 * time.Minute)
	arrived, release := f.fake.hold()
	forgedErrs := make(chan error, 5)
	for range cap(forgedErrs) {
		go func() {
			_, err := f.authenticate(sign(keys[1], "forged-"+randomID(), claims))
			forgedErrs <- err
		}()
	}
	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("no key set fetch started")
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if _, err := f.authenticate(sign(keys[0], "key-1", claims)); err != nil {
				t.Errorf("known key %d during a fetch: %v", i, err)
			}
		})
	}
	wg.Wait()
	if d := time.Since(start); d > time.Second {
		t.Errorf("20 requests with a known key took %v behind a fetch in flight", d)
	}
	select {
	case err := <-forgedErrs:
		t.Fatalf("forged request answered (%v) before its fetch did", err)
	default:
	}
	release()
	for range cap(forgedErrs) {
		if err := <-forgedErrs; pathway.ErrorCode(err) != pathway.EUNAUTHORIZED {
			t.Errorf("forged key ID after the fetch: %v, want 401", err)
		}
	}
	if h := f.fake.hits(); h != 2 {
		t.Errorf("%d fetches, want the first and one shared by the concurrent misses", h)
	}
}

func TestKeyFetchTimesOut(t *testing.T) {
	f := newFixture(t) // the fake's HTTP client has no timeout of its own
	_, release := f.fake.hold()
	defer release()
	start := time.Now()
	_, err := f.authenticate(sign(testKeys()[0], "key-1", f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside")))
	if err == nil || pathway.ErrorCode(err) == pathway.EUNAUTHORIZED {
		t.Errorf("key set hanging: %v, want an internal error", err)
	}
	if d := time.Since(start); d < time.Second || d > 4*time.Second {
		t.Errorf("gave up after %v, want about 2 s", d)
	}
}

// TestRemovedKeyTrustedForADayAtMost: a key withdrawn from the set keeps
// working from the cache for at most a day; and a set a day old whose
// refetch fails is no longer trusted.
func TestRemovedKeyTrustedForADayAtMost(t *testing.T) {
	f := newFixture(t)
	keys := testKeys()
	f.fake.publish("key-2", keys[1])
	token := func(key *rsa.PrivateKey, kid string) string {
		return sign(key, kid, f.fake.claims("sub-1", pathway.RoleAgency, "org-moorside"))
	}
	if _, err := f.authenticate(token(keys[1], "key-2")); err != nil {
		t.Fatal(err)
	}
	f.fake.unpublish("key-2")
	f.clock.Advance(23 * time.Hour)
	if _, err := f.authenticate(token(keys[1], "key-2")); err != nil || f.fake.hits() != 1 {
		t.Errorf("within the day: %v after %d fetches; want the cached key", err, f.fake.hits())
	}
	f.clock.Advance(time.Hour)
	signedOut(t, f, token(keys[1], "key-2"))
	if _, err := f.authenticate(token(keys[0], "key-1")); err != nil {
		t.Errorf("key still published, after the day: %v", err)
	}
	if h := f.fake.hits(); h != 2 {
		t.Errorf("%d fetches, want one more after the day", h)
	}

	// A day on again, with the key set failing: its keys are not trusted.
	f.clock.Advance(24 * time.Hour)
	f.fake.setFailing(true)
	for range 3 {
		if u, err := f.authenticate(token(keys[0], "key-1")); err == nil || u != nil {
			t.Errorf("key from a set over a day old, refetch failing: %+v accepted", u)
		}
	}
	if h := f.fake.hits(); h != 3 {
		t.Errorf("%d fetches, want one more", h)
	}
}
