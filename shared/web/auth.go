package web

import (
	"context"
	"net/http"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Authenticator says who is calling. It returns an EUNAUTHORIZED error when
// the request carries no valid identity and EFORBIDDEN when the identity is
// valid but may not use the application. shared/cognito (in AWS) and
// infra/local/devauth (locally) implement it without importing this
// package.
type Authenticator interface {
	Authenticate(r *http.Request) (*pathway.User, error)
}

// SessionAuthenticator is an Authenticator whose browser sign-in lives in a
// cookie. SessionID returns the session credential the request carries (""
// when it has none). CSRF tokens are bound to it, so a token issued in one
// session is refused in any other.
type SessionAuthenticator interface {
	Authenticator
	SessionID(r *http.Request) string
}

// ClaimsAuthenticator reads the caller from the JWT claims that API
// Gateway's HTTP API authorizer verified and aws-lambda-go-api-proxy put in
// the request context. It trusts them because only API Gateway can invoke
// the function (the authorizer has already checked signature, issuer,
// audience and expiry).
//
// Browsers send no Authorization header, so the page routes have no
// authorizer and their requests carry no claims: Fallback, when set,
// authenticates those (in AWS, shared/cognito's session cookie). A request
// with claims never reaches Fallback, so a cookie cannot override the
// authorizer's verdict on an /api/ route.
type ClaimsAuthenticator struct {
	// Fallback authenticates requests without authorizer claims; nil
	// answers them 401.
	Fallback Authenticator
}

// Authenticate returns the user the claims describe, or else Fallback's.
func (a ClaimsAuthenticator) Authenticate(r *http.Request) (*pathway.User, error) {
	if claims, ok := authorizerClaims(r); ok {
		return pathway.UserFromClaims(claims)
	}
	if a.Fallback != nil {
		return a.Fallback.Authenticate(r)
	}
	return nil, pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")
}

// SessionID returns Fallback's session credential for a request without
// authorizer claims (a page request), and "" otherwise: a request the
// authorizer let in carries a bearer token, not a cookie a forged form
// could ride on.
func (a ClaimsAuthenticator) SessionID(r *http.Request) string {
	if _, ok := authorizerClaims(r); ok {
		return ""
	}
	if s, ok := a.Fallback.(SessionAuthenticator); ok {
		return s.SessionID(r)
	}
	return ""
}

// authorizerClaims returns the JWT authorizer's claims of a request API
// Gateway delivered, if it has any.
func authorizerClaims(r *http.Request) (map[string]string, bool) {
	gw, ok := core.GetAPIGatewayV2ContextFromContext(r.Context())
	if ok && gw.Authorizer != nil && gw.Authorizer.JWT != nil {
		return gw.Authorizer.JWT.Claims, true
	}
	return nil, false
}

// userKey keys the authenticated caller in a request's context.
type userKey struct{}

// UserFrom returns the authenticated caller: on an /api/ route and on a
// page that needs sign-in (SignedIn), the signed-in user; elsewhere nil.
func UserFrom(ctx context.Context) *pathway.User {
	u, _ := ctx.Value(userKey{}).(*pathway.User)
	return u
}

// WithUser returns ctx carrying the authenticated caller. Handlers outside
// this package (and tests) use it to call code that reads UserFrom.
func WithUser(ctx context.Context, u *pathway.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}
