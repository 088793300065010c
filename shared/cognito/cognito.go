// Package cognito holds the web pages' sign-in in AWS: the Cognito user
// pool's hosted sign-in page, and the session cookie that authenticates
// page requests.
package cognito

// Browsers send no Authorization header, so the HTTP API's JWT authorizer
// cannot guard the pages. Instead the pages route has no authorizer and this
// package runs the OAuth 2.0 authorisation-code flow with PKCE (RFC 7636)
// for a public app client (no secret):
//
//   - GET /auth/sign-in sends the browser to the hosted UI's
//     /oauth2/authorize, keeping a random state and the PKCE verifier in a
//     short-lived HttpOnly cookie;
//   - GET /auth/callback checks the state, swaps the code for tokens at
//     /oauth2/token, verifies the ID token and keeps it in the session
//     cookie (HttpOnly, Secure, SameSite=Lax);
//   - POST /auth/sign-out (whose CSRF token shared/web checks, as for every
//     form) revokes the session (see below), clears the cookies and sends
//     the browser to the hosted UI's /logout, which ends Cognito's own
//     session and returns to GET /auth/signed-out.
//
// Every request then proves itself with the cookie: Authenticate verifies
// the ID token again with github.com/golang-jwt/jwt/v5 (RS256 only against
// the pool's published keys; issuer, audience, expiry, issue time and
// not-before; strict base64 and JSON) and checks token_use itself, so any
// Lambda instance can serve any request. When the token expires (an hour,
// as template.yaml sets) the pages send the browser to sign in again; while
// Cognito's own session lasts that is a pair of redirects with no password
// asked. Client implements shared/web's SessionAuthenticator without
// importing it (nor the pages): the composition root hands it to web.New.
//
// Signing out revokes the session on the server: the ID token's jti and
// origin_jti go on a RevocationStore until the token expires, and
// Authenticate refuses a token on it. The default store is this instance's
// memory; a shared one (Config.Revoked) makes every instance refuse it.
// Where the browser holds the refresh token (a cookie sent only to the
// sign-out route), sign-out also revokes it at Cognito's /oauth2/revoke,
// which ends the tokens issued from it for Cognito's own checks.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Paths of the sign-in routes; CallbackPath and SignedOutPath must be the
// app client's callback and sign-out URLs in template.yaml.
const (
	SignInPath    = "/auth/sign-in"
	CallbackPath  = "/auth/callback"
	SignOutPath   = "/auth/sign-out"
	SignedOutPath = "/auth/signed-out"
)

// Cookie names.
const (
	// SessionCookie holds the verified ID token.
	SessionCookie = "pathway_id"
	// stateCookie holds the state and PKCE verifier of a sign-in under way.
	stateCookie = "pathway_signin"
	// refreshCookie holds the refresh token, sent only to the sign-out
	// route so that it can be revoked there.
	refreshCookie = "pathway_refresh"
)

// Config holds the user pool and app client the pages sign in with.
type Config struct {
	// Domain is the hosted UI's domain, "<prefix>.auth.<region>.amazoncognito.com";
	// an absolute URL is accepted too (tests give an http:// one).
	Domain string
	// Region and UserPoolID name the pool, whose issuer is
	// https://cognito-idp.<Region>.amazonaws.com/<UserPoolID>.
	Region, UserPoolID string
	// ClientID is the pages' app client: public, code flow, no secret.
	ClientID string
	// Issuer overrides the issuer built from Region and UserPoolID (tests
	// point it at a fake); the keys are at Issuer + "/.well-known/jwks.json".
	Issuer string
	// HTTPClient calls the token, revocation and key endpoints; nil means
	// a client with a 10-second timeout. A key set fetch is bounded to 2
	// seconds and a revocation to 5 whatever the client's timeout.
	HTTPClient *http.Client
	// Revoked remembers signed-out tokens; nil means this instance's
	// memory. Across Lambda instances a shared list is needed (one backed
	// by the table) for a revoked token to be refused by every instance.
	Revoked RevocationStore
	// Users, when set, keeps each person's record as they sign in
	// (pathway.RememberUser), so email notices can find them.
	Users pathway.UserStore
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Logger receives failed code exchanges; nil means slog.Default().
	Logger *slog.Logger
}

// ErrNotConfigured is returned by FromEnv when no Cognito setting is present.
var ErrNotConfigured = errors.New("cognito: not configured")

// Environment variables FromEnv reads.
var envNames = [...]string{"COGNITO_DOMAIN", "COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID", "AWS_REGION"}

// FromEnv reads the configuration from COGNITO_DOMAIN, COGNITO_USER_POOL_ID,
// COGNITO_CLIENT_ID and AWS_REGION. It returns ErrNotConfigured when none of
// the three COGNITO_ variables is set (a deployment serving the API only),
// and an error naming the first missing variable when only some are: half a
// configuration is a deployment mistake to report, not to guess around.
func FromEnv(getenv func(string) string) (Config, error) {
	vals := make([]string, len(envNames))
	anyCognito := false
	for i, name := range envNames {
		vals[i] = strings.TrimSpace(getenv(name))
		anyCognito = anyCognito || (vals[i] != "" && strings.HasPrefix(name, "COGNITO_"))
	}
	if !anyCognito {
		return Config{}, ErrNotConfigured
	}
	for i, name := range envNames {
		if vals[i] == "" {
			return Config{}, fmt.Errorf("cognito: %s is not set (the other Cognito settings are)", name)
		}
	}
	return Config{Domain: vals[0], UserPoolID: vals[1], ClientID: vals[2], Region: vals[3]}, nil
}

// Client signs people in with the hosted UI and authenticates requests by
// their session cookie. It implements web.SessionAuthenticator.
type Client struct {
	domain   *url.URL
	clientID string
	http     *http.Client
	now      func() time.Time
	log      *slog.Logger
	verifier *verifier
	revoked  RevocationStore
	users    pathway.UserStore
}

// New checks the configuration and returns a Client. Keys are fetched on
// first use, so New makes no network call.
func New(cfg Config) (*Client, error) {
	if cfg.Domain == "" || cfg.ClientID == "" {
		return nil, errors.New("cognito: Config.Domain and Config.ClientID are required")
	}
	if cfg.Issuer == "" {
		if cfg.Region == "" || cfg.UserPoolID == "" {
			return nil, errors.New("cognito: Config.Region and Config.UserPoolID are required")
		}
		cfg.Issuer = "https://cognito-idp." + cfg.Region + ".amazonaws.com/" + cfg.UserPoolID
	}
	raw := cfg.Domain
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	domain, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || domain.Host == "" {
		return nil, fmt.Errorf("cognito: Config.Domain %q is not a domain", cfg.Domain)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Revoked == nil {
		cfg.Revoked = newMemoryRevocations(cfg.Now)
	}
	keys := &keySet{url: cfg.Issuer + "/.well-known/jwks.json", client: cfg.HTTPClient, now: cfg.Now}
	return &Client{
		domain: domain, clientID: cfg.ClientID, http: cfg.HTTPClient, now: cfg.Now, log: cfg.Logger,
		verifier: newVerifier(cfg.Issuer, cfg.ClientID, cfg.Now, keys), revoked: cfg.Revoked, users: cfg.Users,
	}, nil
}

// errSignedOut is the answer to a request without a good session: the
// pages send such a visitor to sign in.
var errSignedOut = pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")

// Authenticate returns the user whose ID token is in the session cookie.
// A missing, oversized, expired, revoked or otherwise bad token is "not
// signed in" (401). Only a failure to fetch the pool's keys while no key
// set can be trusted is an internal error, so an outage at Cognito does not
// look like a sign-out; a key ID the trusted keys lack is a bad token when
// the once-a-minute fetch is spent or fails.
func (c *Client) Authenticate(r *http.Request) (*pathway.User, error) {
	ck, err := r.Cookie(SessionCookie)
	if err != nil || ck.Value == "" || len(ck.Value) > MaxTokenBytes {
		return nil, errSignedOut
	}
	tok, err := c.verify(r.Context(), ck.Value)
	if errors.Is(err, errBadToken) {
		return nil, errSignedOut
	}
	if err != nil {
		return nil, err
	}
	return pathway.UserFromClaims(tok.claims)
}

// verify verifies an ID token and refuses it if it was revoked. A failure
// to read the revocation list is an internal error: it fails closed.
func (c *Client) verify(ctx context.Context, token string) (*idToken, error) {
	tok, err := c.verifier.verify(ctx, token)
	if err != nil {
		return nil, err
	}
	for _, id := range tok.ids {
		revoked, err := c.revoked.IsRevoked(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("cognito: read revoked sessions: %w", err)
		}
		if revoked {
			return nil, errBadToken
		}
	}
	return tok, nil
}

// SessionID returns the session cookie's ID token, which the pages' CSRF
// tokens are bound to.
func (c *Client) SessionID(r *http.Request) string {
	ck, err := r.Cookie(SessionCookie)
	return cookieValue(ck, err)
}

// endpoint returns the hosted UI's address for path with the query.
func (c *Client) endpoint(path string, q url.Values) string {
	u := *c.domain
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = q.Encode()
	return u.String()
}

// ownURL returns the absolute address of path on this server as the
// browser reached it. Behind API Gateway the proxy builds the request URL
// as https://<domain name>/…; the local binary and tests see a bare path,
// so the scheme comes from TLS or X-Forwarded-Proto. A forged Host header
// gains nothing: Cognito sends the browser only to the callback and
// sign-out URLs registered on the app client.
func ownURL(r *http.Request, path string) string {
	scheme := r.URL.Scheme
	if scheme == "" {
		scheme = "http"
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return scheme + "://" + host + path
}
