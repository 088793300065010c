package cognito

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// rememberUser stores or refreshes the signed-in person's record from
// their token's claims (name, role, organisation, lead, email), keeping
// their notice preference. A failure is logged and sign-in goes on: the
// record matters for email notices, not for using the site.
func (c *Client) rememberUser(r *http.Request, claims map[string]string) {
	if c.users == nil {
		return
	}
	u, err := pathway.UserFromClaims(claims)
	if err == nil {
		err = pathway.RememberUser(r.Context(), c.users, u)
	}
	if err != nil {
		c.log.ErrorContext(r.Context(), "cognito: keeping the user's record at sign-in", "err", err)
	}
}
