// Package devauth holds the local server's sign-in: demo users sign in
// with signed tokens, as a bearer token or a session cookie.
package devauth

// It exists only in the local binary (infra/local): the Lambda build has no
// such routes and trusts the HTTP API's JWT authorizer and shared/cognito
// instead. A token is the user's ID, an expiry and a random session ID,
// signed with HMAC-SHA256 under a secret kept in the data directory, so
// tokens survive a restart of the local server but mean nothing to any
// other installation. Signing out revokes the session: its ID is kept, until
// the token would have expired, in a file beside the secret, so the token
// is refused from then on, after a restart too.

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localsecret"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// CookieName is the session cookie a browser sign-in sets.
const CookieName = "pathway_session"

// SecretFile is the name of the signing secret's file in the data directory.
const SecretFile = "devauth.secret"

// RevokedFile is the name of the file in the data directory that lists
// the sessions signed out before their tokens expired.
const RevokedFile = "devauth.revoked"

// DefaultTTL is how long a token stays valid.
const DefaultTTL = 12 * time.Hour

// Auth issues and checks demo sign-in tokens. It implements
// web.SessionAuthenticator.
type Auth struct {
	store   pathway.Store
	secret  []byte
	now     func() time.Time
	ttl     time.Duration
	revoked *revocations
}

// New returns an Auth whose signing secret and list of signed-out
// sessions live in dataDir; the secret is created on first use and read
// back on every later start.
func New(store pathway.Store, dataDir string) (*Auth, error) {
	secret, err := loadSecret(filepath.Join(dataDir, SecretFile))
	if err != nil {
		return nil, err
	}
	revoked, err := loadRevocations(filepath.Join(dataDir, RevokedFile), time.Now())
	if err != nil {
		return nil, err
	}
	return &Auth{store: store, secret: secret, now: time.Now, ttl: DefaultTTL, revoked: revoked}, nil
}

// SetClock replaces the clock; tests use it to expire tokens.
func (a *Auth) SetClock(now func() time.Time) { a.now = now }

// loadSecret reads the signing secret at path, or creates it.
func loadSecret(path string) ([]byte, error) { return localsecret.Load(path) }

// Token returns a signed token for the user, valid until the returned time
// unless its session is signed out first (Revoke).
func (a *Auth) Token(userID string) (string, time.Time) {
	exp := a.now().Add(a.ttl).Truncate(time.Second)
	sid := make([]byte, 16)
	_, _ = rand.Read(sid) // crypto/rand.Read never fails (Go 1.24+)
	payload := base64.RawURLEncoding.EncodeToString([]byte(userID)) + "." + strconv.FormatInt(exp.Unix(), 10) +
		"." + base64.RawURLEncoding.EncodeToString(sid)
	return payload + "." + a.sign(payload), exp
}

// sign returns the base64url HMAC-SHA256 of payload.
func (a *Auth) sign(payload string) string {
	m := hmac.New(sha256.New, a.secret)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// errSignIn is the answer to any token that is not good: which check failed
// is not the caller's business.
var errSignIn = pathway.Errorf(pathway.EUNAUTHORIZED, "Your sign-in is not valid or has expired. Sign in again.")

// session is what a good token says: who, until when, which sign-in.
type session struct {
	user string
	exp  time.Time
	id   string
}

// verify returns the user ID a token was issued for, if its signature is
// good, it has not expired and its session has not been signed out.
func (a *Auth) verify(token string) (string, error) {
	s, err := a.parse(token)
	if err != nil {
		return "", err
	}
	if a.revoked.has(s.id) {
		return "", errSignIn
	}
	return s.user, nil
}

// parse returns the session of a token whose signature is good and which
// has not expired.
func (a *Auth) parse(token string) (session, error) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return session{}, errSignIn
	}
	payload, sig := token[:i], token[i+1:]
	if !hmac.Equal([]byte(sig), []byte(a.sign(payload))) {
		return session{}, errSignIn
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 3 || parts[2] == "" {
		return session{}, errSignIn
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || !a.now().Before(time.Unix(exp, 0)) {
		return session{}, errSignIn
	}
	id, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || len(id) == 0 {
		return session{}, errSignIn
	}
	return session{user: string(id), exp: time.Unix(exp, 0), id: parts[2]}, nil
}

// Revoke signs out the session of a token: from now on, and after a
// restart too, the token is refused (401). A token that is not good
// (expired, tampered with) needs no revoking and is no error.
func (a *Auth) Revoke(token string) error {
	s, err := a.parse(token)
	if err != nil {
		return nil
	}
	return a.revoked.add(s.id, s.exp, a.now())
}

// Authenticate returns the user of the request's bearer token, or else of
// its session cookie, loaded from the store so a user removed since sign-in
// is refused.
func (a *Auth) Authenticate(r *http.Request) (*pathway.User, error) {
	token, err := requestToken(r)
	if err != nil {
		return nil, err
	}
	id, err := a.verify(token)
	if err != nil {
		return nil, err
	}
	u, err := a.store.GetUser(r.Context(), id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, errSignIn
	}
	return u, err
}

// SessionID returns the token the request signs in with, which the pages'
// CSRF tokens are bound to (web.SessionAuthenticator).
func (a *Auth) SessionID(r *http.Request) string {
	token, _ := requestToken(r)
	return token
}

// CSRFKey returns the key the pages' CSRF tokens are signed with
// (web.Config.CSRFKey): derived from the signing secret, so forms loaded
// before a restart of the local server still work after it.
func (a *Auth) CSRFKey() []byte {
	m := hmac.New(sha256.New, a.secret)
	m.Write([]byte("pathway csrf key"))
	return m.Sum(nil)
}

// requestToken finds the token: the Authorization header wins over the
// cookie, because an API client that sends one means it.
func requestToken(r *http.Request) (string, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return "", pathway.Errorf(pathway.EUNAUTHORIZED, "Send the token as: Authorization: Bearer <token>.")
		}
		return strings.TrimSpace(token), nil
	}
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
		return c.Value, nil
	}
	return "", pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue: POST /auth/dev-login with a user from /auth/dev-users.")
}
