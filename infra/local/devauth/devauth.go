// Package devauth holds the local server's sign-in: demo users sign in
// with signed tokens, as a bearer token or a session cookie.
package devauth

// It exists only in the local binary (infra/local): the Lambda build has no
// such routes and trusts the HTTP API's JWT authorizer and shared/cognito
// instead. A token is the user's ID and an expiry, signed with HMAC-SHA256
// under a secret kept in the data directory, so tokens survive a restart of
// the local server but mean nothing to any other installation.

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// CookieName is the session cookie a browser sign-in sets.
const CookieName = "pathway_session"

// SecretFile is the name of the signing secret's file in the data directory.
const SecretFile = "devauth.secret"

// DefaultTTL is how long a token stays valid.
const DefaultTTL = 12 * time.Hour

// Auth issues and checks demo sign-in tokens. It implements
// web.SessionAuthenticator.
type Auth struct {
	store  pathway.Store
	secret []byte
	now    func() time.Time
	ttl    time.Duration
}

// New returns an Auth whose signing secret lives in dataDir; the secret is
// created on first use and read back on every later start.
func New(store pathway.Store, dataDir string) (*Auth, error) {
	secret, err := loadSecret(filepath.Join(dataDir, SecretFile))
	if err != nil {
		return nil, err
	}
	return &Auth{store: store, secret: secret, now: time.Now, ttl: DefaultTTL}, nil
}

// SetClock replaces the clock; tests use it to expire tokens.
func (a *Auth) SetClock(now func() time.Time) { a.now = now }

// loadSecret reads the secret at path, or creates it with 32 random bytes.
// O_EXCL makes two servers starting at once agree on one secret.
func loadSecret(path string) ([]byte, error) {
	for range 2 {
		b, err := os.ReadFile(path)
		if err == nil {
			secret, derr := hex.DecodeString(strings.TrimSpace(string(b)))
			if derr != nil || len(secret) < 32 {
				return nil, fmt.Errorf("devauth: %s is not a secret this server wrote; delete it to make a new one", path)
			}
			return secret, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("devauth: read secret: %w", err)
		}
		secret := make([]byte, 32)
		_, _ = rand.Read(secret) // crypto/rand.Read never fails (Go 1.24+)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue // another process won the race: read its secret
		} else if err != nil {
			return nil, fmt.Errorf("devauth: create secret: %w", err)
		}
		_, werr := f.WriteString(hex.EncodeToString(secret) + "\n")
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, fmt.Errorf("devauth: write secret: %w", werr)
		}
		return secret, nil
	}
	return nil, fmt.Errorf("devauth: could not read or create %s", path)
}

// Token returns a signed token for the user, valid until the returned time.
func (a *Auth) Token(userID string) (string, time.Time) {
	exp := a.now().Add(a.ttl).Truncate(time.Second)
	payload := base64.RawURLEncoding.EncodeToString([]byte(userID)) + "." + strconv.FormatInt(exp.Unix(), 10)
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

// verify returns the user ID a token was issued for, if its signature is
// good and it has not expired.
func (a *Auth) verify(token string) (string, error) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return "", errSignIn
	}
	payload, sig := token[:i], token[i+1:]
	if !hmac.Equal([]byte(sig), []byte(a.sign(payload))) {
		return "", errSignIn
	}
	idPart, expPart, ok := strings.Cut(payload, ".")
	if !ok {
		return "", errSignIn
	}
	exp, err := strconv.ParseInt(expPart, 10, 64)
	if err != nil || !a.now().Before(time.Unix(exp, 0)) {
		return "", errSignIn
	}
	id, err := base64.RawURLEncoding.DecodeString(idPart)
	if err != nil || len(id) == 0 {
		return "", errSignIn
	}
	return string(id), nil
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
