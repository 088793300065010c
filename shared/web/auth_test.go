package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// cookieAuth stands in for shared/cognito's session cookie: it answers
// for any request and records that it was asked.
type cookieAuth struct{ asked bool }

func (c *cookieAuth) Authenticate(*http.Request) (*pathway.User, error) {
	c.asked = true
	return &pathway.User{ID: "user-cookie", Name: "Ash Example", Role: pathway.RoleFounder}, nil
}

// withClaims returns a request carrying the JWT authorizer's claims, as
// aws-lambda-go-api-proxy delivers an /api/ request.
func withClaims(t *testing.T, claims map[string]string) *http.Request {
	t.Helper()
	var acc core.RequestAccessorV2
	r, err := acc.EventToRequestWithContext(t.Context(), events.APIGatewayV2HTTPRequest{
		Version: "2.0", RawPath: "/api/tasks",
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			DomainName: "abc123.execute-api.eu-west-2.amazonaws.com",
			HTTP:       events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: "/api/tasks"},
			Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
				JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestClaimsAuthenticatorFallback(t *testing.T) {
	agency := map[string]string{"sub": "user-agency", "name": "Rowan Example", "custom:role": pathway.RoleAgency, "custom:organisation": "org-moorside"}

	// Claims win, and the fallback is never asked: a cookie cannot
	// override what the authorizer verified.
	fb := &cookieAuth{}
	u, err := web.ClaimsAuthenticator{Fallback: fb}.Authenticate(withClaims(t, agency))
	if err != nil || u.ID != "user-agency" || u.Organisation != "org-moorside" || fb.asked {
		t.Errorf("with claims: %+v, %v, fallback asked %v", u, err, fb.asked)
	}
	// Claims that refuse the caller are final too.
	noRole := map[string]string{"sub": "user-new"}
	if _, err := (web.ClaimsAuthenticator{Fallback: fb}).Authenticate(withClaims(t, noRole)); pathway.ErrorCode(err) != pathway.EFORBIDDEN || fb.asked {
		t.Errorf("claims without a role: %v, fallback asked %v; want forbidden from the claims", err, fb.asked)
	}
	// A page request (no authorizer ran) goes to the fallback.
	page := httptest.NewRequest("GET", "/", nil)
	if u, err := (web.ClaimsAuthenticator{Fallback: fb}).Authenticate(page); err != nil || u.ID != "user-cookie" || !fb.asked {
		t.Errorf("page request: %+v, %v", u, err)
	}
	// Without a fallback it is not signed in.
	if _, err := (web.ClaimsAuthenticator{}).Authenticate(page); pathway.ErrorCode(err) != pathway.EUNAUTHORIZED {
		t.Errorf("no fallback: %v, want unauthorized", err)
	}
}
