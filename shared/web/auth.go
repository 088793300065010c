package web

import (
	"net/http"
	"strings"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Authenticator says who is calling. It returns an EUNAUTHORIZED error when
// the request carries no valid identity and EFORBIDDEN when the identity is
// valid but may not use the application.
type Authenticator interface {
	Authenticate(r *http.Request) (*pathway.User, error)
}

// Claims names of the Cognito ID token that the HTTP API's JWT authorizer
// passes on. The custom attributes are defined on the user pool in
// template.yaml.
const (
	ClaimSubject      = "sub"
	ClaimName         = "name"
	ClaimEmail        = "email"
	ClaimRole         = "custom:role"
	ClaimOrganisation = "custom:organisation"
	ClaimLead         = "custom:lead"
)

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
	gw, ok := core.GetAPIGatewayV2ContextFromContext(r.Context())
	if ok && gw.Authorizer != nil && gw.Authorizer.JWT != nil {
		return UserFromClaims(gw.Authorizer.JWT.Claims)
	}
	if a.Fallback != nil {
		return a.Fallback.Authenticate(r)
	}
	return nil, pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")
}

// UserFromClaims builds the caller from verified token claims. A token
// without a subject is not a sign-in (401); a signed-in user whose account
// has no usable role or organisation yet is refused (403) with a message
// saying whom to ask.
func UserFromClaims(claims map[string]string) (*pathway.User, error) {
	sub := strings.TrimSpace(claims[ClaimSubject])
	if sub == "" {
		return nil, pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")
	}
	u := &pathway.User{
		ID:           sub,
		Name:         firstNonEmpty(claims[ClaimName], claims[ClaimEmail], sub),
		Role:         claims[ClaimRole],
		Organisation: claims[ClaimOrganisation],
		Lead:         claims[ClaimLead] == "true",
	}
	switch u.Role {
	case pathway.RoleFounder:
		u.Organisation, u.Lead = "", false // founders act for co-ops, never an organisation
	case pathway.RoleAgency, pathway.RoleFunder, pathway.RoleCommissioner:
		if u.Organisation == "" {
			return nil, pathway.Errorf(pathway.EFORBIDDEN, "Your account is not linked to an organisation yet. Ask your administrator to set it up.")
		}
	default:
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Your account has no role yet. Ask your development agency to set it up.")
	}
	if err := u.Validate(); err != nil {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Your account details are incomplete. Ask your administrator to check them.")
	}
	return u, nil
}

// firstNonEmpty returns the first of vs that is not blank.
func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
