package pathway

import "strings"

// Claims of a verified identity token (the Cognito user pool's ID token)
// that say who a user is. The custom attributes are defined on the user
// pool in template.yaml. Both ways a token reaches the application read
// them here: the HTTP API's JWT authorizer (shared/web) and the pages'
// session cookie (shared/cognito).
const (
	ClaimSubject      = "sub"
	ClaimName         = "name"
	ClaimEmail        = "email"
	ClaimRole         = "custom:role"
	ClaimOrganisation = "custom:organisation"
	ClaimLead         = "custom:lead"
)

// UserFromClaims builds the caller from verified token claims. A token
// without a subject is not a sign-in (EUNAUTHORIZED); a signed-in user whose
// account has no usable role or organisation yet is refused (EFORBIDDEN)
// with a message saying whom to ask.
func UserFromClaims(claims map[string]string) (*User, error) {
	sub := strings.TrimSpace(claims[ClaimSubject])
	if sub == "" {
		return nil, Errorf(EUNAUTHORIZED, "Sign in to continue.")
	}
	u := &User{
		ID:           sub,
		Name:         firstNonBlank(claims[ClaimName], claims[ClaimEmail], sub),
		Role:         claims[ClaimRole],
		Organisation: claims[ClaimOrganisation],
		Lead:         claims[ClaimLead] == "true",
		Email:        strings.TrimSpace(claims[ClaimEmail]),
	}
	switch u.Role {
	case RoleFounder:
		u.Organisation, u.Lead = "", false // founders act for co-ops, never an organisation
	case RoleAgency, RoleFunder, RoleCommissioner:
		if u.Organisation == "" {
			return nil, Errorf(EFORBIDDEN, "Your account is not linked to an organisation yet. Ask your administrator to set it up.")
		}
	default:
		return nil, Errorf(EFORBIDDEN, "Your account has no role yet. Ask your development agency to set it up.")
	}
	if u.Email != "" && u.Validate() != nil {
		u.Email = "" // an address we could not write to is no address
	}
	if err := u.Validate(); err != nil {
		return nil, Errorf(EFORBIDDEN, "Your account details are incomplete. Ask your administrator to check them.")
	}
	return u, nil
}

// firstNonBlank returns the first of vs that is not blank.
func firstNonBlank(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
