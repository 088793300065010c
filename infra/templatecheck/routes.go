package templatecheck

import (
	"fmt"
	"strings"
)

// TypeRoute is an HTTP API route.
const TypeRoute = "AWS::ApiGatewayV2::Route"

// PublicRoutes are the route keys that may skip the JWT authorizer: the
// health check, the sign-in routes, and the web pages, which browsers reach
// without an Authorization header and the function authenticates by their
// session cookie. Every other route, /api/ above all, needs the authorizer.
var PublicRoutes = map[string]bool{
	"GET /healthz":       true,
	"ANY /auth/{proxy+}": true,
	"ANY /{proxy+}":      true,
	"ANY /":              true,
}

// checkRoutes requires every route outside PublicRoutes to name a JWT
// authorizer, so that adding a route cannot quietly open the API.
func (t *Template) checkRoutes() []string {
	var problems []string
	for _, id := range t.OfType(TypeRoute) {
		props := Get(t.Resources[id], "Properties")
		key := strings.Join(strings.Fields(str(Get(props, "RouteKey"))), " ")
		if key == "" {
			problems = append(problems, fmt.Sprintf("%s: no RouteKey", id))
			continue
		}
		if PublicRoutes[key] {
			continue
		}
		if str(Get(props, "AuthorizationType")) != "JWT" || Get(props, "AuthorizerId") == nil {
			problems = append(problems, fmt.Sprintf("%s: route %q has no JWT authorizer (only %s may be open)", id, key, publicList()))
		}
	}
	return problems
}

// publicList names the public routes for a message.
func publicList() string {
	return "GET /healthz, ANY /auth/{proxy+}, ANY /{proxy+} and ANY /"
}
