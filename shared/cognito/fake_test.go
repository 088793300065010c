package cognito_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// testKeys are two RSA keys made once per test binary (making them is the
// slow part of these tests).
var testKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
	var keys [2]*rsa.PrivateKey
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keys[i] = k
	}
	return keys
})

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// grant is an authorisation code the fake issued.
type grant struct {
	challenge, redirect string
	claims              map[string]any
}

// fakeCognito plays the user pool's hosted UI: the JWKS under /pool (the
// issuer) and the token endpoint, which checks the PKCE verifier against
// the challenge its code was issued for, like Cognito does.
type fakeCognito struct {
	*httptest.Server
	t        *testing.T
	clientID string
	clock    *clock

	mu        sync.Mutex
	published map[string]*rsa.PrivateKey // kid → key in the JWKS
	codes     map[string]grant
	jwksHits  int
	failing   bool          // the JWKS answers 500
	gate      chan struct{} // when set, the JWKS waits for it to close
	arrived   chan struct{} // when set, told of each JWKS request
	revoked   []string      // refresh tokens revoked, in order
}

func newFake(t *testing.T, clientID string, clk *clock) *fakeCognito {
	f := &fakeCognito{t: t, clientID: clientID, clock: clk,
		published: map[string]*rsa.PrivateKey{"key-1": testKeys()[0]}, codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pool/.well-known/jwks.json", f.jwks)
	mux.HandleFunc("POST /oauth2/token", f.token)
	mux.HandleFunc("POST /oauth2/revoke", f.revoke)
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

// issuer is the pool's issuer.
func (f *fakeCognito) issuer() string { return f.URL + "/pool" }

// publish adds a key to the JWKS, as Cognito does when it rotates keys.
func (f *fakeCognito) publish(kid string, k *rsa.PrivateKey) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.published[kid] = k
}

func (f *fakeCognito) hits() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.jwksHits
}

// unpublish removes a key from the JWKS.
func (f *fakeCognito) unpublish(kid string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.published, kid)
}

// setFailing makes the JWKS answer 500 (or stop doing so).
func (f *fakeCognito) setFailing(failing bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failing = failing
}

// hold makes JWKS requests wait until the function returned is called,
// and returns a channel told of each request as it arrives.
func (f *fakeCognito) hold() (arrived <-chan struct{}, release func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	gate, arr := make(chan struct{}), make(chan struct{}, 100)
	f.gate, f.arrived = gate, arr
	var once sync.Once
	release = func() { once.Do(func() { close(gate) }) }
	f.t.Cleanup(release) // before the server closes: cleanups run last first
	return arr, release
}

// revokedTokens returns the refresh tokens revoked.
func (f *fakeCognito) revokedTokens() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.revoked...)
}

func (f *fakeCognito) revoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("client_id") != f.clientID || r.PostForm.Get("token") == "" {
		w.WriteHeader(400)
		_, _ = w.Write([]byte(`{"error":"invalid_request"}`))
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revoked = append(f.revoked, r.PostForm.Get("token"))
}

func (f *fakeCognito) jwks(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.jwksHits++
	gate, arrived := f.gate, f.arrived
	f.mu.Unlock()
	if arrived != nil {
		arrived <- struct{}{}
	}
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var keys []map[string]string
	for kid, k := range f.published {
		keys = append(keys, map[string]string{
			"kid": kid, "kty": "RSA", "alg": "RS256", "use": "sig",
			"n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes()),
		})
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"keys": keys})
}

// authorize stands in for the person signing in on the hosted UI: it
// issues a code for the challenge and callback of a sign-in, to return
// the claims given.
func (f *fakeCognito) authorize(challenge, redirect string, claims map[string]any) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	code := "code-" + b64([]byte(challenge))[:12]
	f.codes[code] = grant{challenge: challenge, redirect: redirect, claims: claims}
	return code
}

func (f *fakeCognito) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, `{"error":"invalid_request"}`, 400)
		return
	}
	f.mu.Lock()
	g, ok := f.codes[r.PostForm.Get("code")]
	delete(f.codes, r.PostForm.Get("code")) // codes are single use
	f.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if !ok || r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("client_id") != f.clientID ||
		r.PostForm.Get("redirect_uri") != g.redirect || b64(sum[:]) != g.challenge {
		w.WriteHeader(400)
		_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id_token": sign(testKeys()[0], "key-1", g.claims), "access_token": "not-used",
		"token_type": "Bearer", "expires_in": 3600, "refresh_token": "refresh-" + r.PostForm.Get("code"),
	})
}

// claims returns good ID token claims for a user, issued now.
func (f *fakeCognito) claims(sub, role, org string) map[string]any {
	now := f.clock.Now()
	return map[string]any{
		"sub": sub, "name": "Ash Example", "email": "ash@example.org", "token_use": "id",
		"iss": f.issuer(), "aud": f.clientID, "iat": now.Unix(), "auth_time": now.Unix(),
		"exp": now.Add(time.Hour).Unix(), "custom:role": role, "custom:organisation": org,
		"jti": randomID(), "origin_jti": randomID(),
	}
}

// randomID returns a random token ID, as Cognito gives each token one.
func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return b64(b)
}

// sign makes an RS256 JWT of the claims with key, naming kid.
func sign(key *rsa.PrivateKey, kid string, claims map[string]any) string {
	return signWith(key, map[string]any{"alg": "RS256", "kid": kid, "typ": "JWT"}, claims)
}

// signWith makes a JWT with the header and claims given, signed RS256.
func signWith(key *rsa.PrivateKey, header, claims map[string]any) string {
	h, _ := json.Marshal(header)
	c, _ := json.Marshal(claims)
	input := b64(h) + "." + b64(c)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		panic(err)
	}
	return input + "." + b64(sig)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// with returns a copy of claims with the changes (nil deletes).
func with(claims map[string]any, changes map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range claims {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// cookieNamed returns the response's cookie with the name, or nil.
func cookieNamed(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// isPlainPage reports whether a body is one of the plain HTML pages.
func isPlainPage(res *http.Response, body string) bool {
	return strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") && strings.Count(body, "<h1>") == 1
}
