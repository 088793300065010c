package lambdatest_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/coopcarepathway/pathway/infra/lambdatest"
)

// Invented Cognito settings, as template.yaml would set them.
const (
	signInDomain = "pathway-dev-123456789012.auth.eu-west-2.amazoncognito.com"
	apiDomain    = "abc123.execute-api.eu-west-2.amazonaws.com"
)

// apiEnv is the environment of an api function that reaches no AWS service
// (the sign-in redirects below touch neither the table nor Cognito).
func apiEnv(extra ...string) []string {
	return append([]string{
		"TABLE_NAME=pathway-unused", "AWS_REGION=eu-west-2",
		"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_EC2_METADATA_DISABLED=true",
	}, extra...)
}

// invokeHTTP sends an HTTP API event and returns the function's response.
func invokeHTTP(t *testing.T, f *lambdatest.Function, ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	out, err := f.Invoke(t.Context(), ev)
	if err != nil {
		t.Fatal(err)
	}
	var res events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("response %s: %v", out, err)
	}
	return res
}

// TestAPIFunctionSignIn runs the compiled function with the Cognito
// settings: the pages' routes send a browser to the hosted sign-in, with a
// callback built from the API's own domain as API Gateway delivers it.
func TestAPIFunctionSignIn(t *testing.T) {
	f := lambdatest.Start(t, lambdatest.Build(t, "api"), apiEnv(
		"COGNITO_DOMAIN="+signInDomain, "COGNITO_USER_POOL_ID=eu-west-2_Example1", "COGNITO_CLIENT_ID=pagesclient1")...)

	res := invokeHTTP(t, f, httpEvent("GET", "/auth/sign-in", "ANY /auth/{proxy+}", nil))
	loc, err := url.Parse(res.Headers["Location"])
	if res.StatusCode != 302 || err != nil || loc.Host != signInDomain || loc.Path != "/oauth2/authorize" {
		t.Fatalf("sign-in = %d to %q, want 302 to the hosted UI", res.StatusCode, res.Headers["Location"])
	}
	q := loc.Query()
	if q.Get("client_id") != "pagesclient1" || q.Get("redirect_uri") != "https://"+apiDomain+"/auth/callback" || q.Get("code_challenge_method") != "S256" {
		t.Errorf("authorize query %v", q)
	}
	if !strings.Contains(strings.Join(res.Cookies, ";")+res.Headers["Set-Cookie"], "pathway_signin=") {
		t.Errorf("no state cookie: cookies %v, headers %v", res.Cookies, res.Headers)
	}

	// A page without a session, or with a bad one, goes to sign in.
	for _, cookie := range []string{"", "pathway_id=not-a-token"} {
		ev := httpEvent("GET", "/", "ANY /", nil)
		if cookie != "" {
			ev.Cookies = []string{cookie}
		}
		res = invokeHTTP(t, f, ev)
		if res.StatusCode != 303 || res.Headers["Location"] != "/auth/sign-in" {
			t.Errorf("page with cookie %q = %d to %q, want 303 to /auth/sign-in", cookie, res.StatusCode, res.Headers["Location"])
		}
	}
}

// TestAPIFunctionWithoutCognito checks the API-only deployment: the page
// sign-in explains itself, and half a configuration stops the function.
func TestAPIFunctionWithoutCognito(t *testing.T) {
	f := lambdatest.Start(t, lambdatest.Build(t, "api"), apiEnv()...)
	res := invokeHTTP(t, f, httpEvent("GET", "/auth/sign-in", "ANY /auth/{proxy+}", nil))
	if res.StatusCode != 503 || !strings.Contains(res.Body, "COGNITO_DOMAIN") {
		t.Errorf("sign-in without Cognito = %d %s", res.StatusCode, res.Body)
	}

	half := lambdatest.Start(t, lambdatest.Build(t, "api"), apiEnv("COGNITO_DOMAIN="+signInDomain, "COGNITO_USER_POOL_ID=eu-west-2_Example1")...)
	_, err := half.Invoke(t.Context(), httpEvent("GET", "/healthz", "GET /healthz", nil))
	if err == nil || !strings.Contains(err.Error(), "COGNITO_CLIENT_ID") {
		t.Errorf("invoke with half the Cognito settings: %v, want an exit naming COGNITO_CLIENT_ID", err)
	}
}
