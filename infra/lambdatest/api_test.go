package lambdatest_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/coopcarepathway/pathway/infra/lambdatest"
	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/oklog/ulid/v2"
)

// Invented records the API function is tested with.
const (
	apiAgency    = "org-heatherdown-cda"
	apiProgramme = "prog-heatherdown-start"
	apiCoop      = "coop-heatherdown-homecare"
	apiFounder   = "user-founder-perpetua"
	apiStranger  = "user-founder-lysander"
)

// seedAPI stores an agency, its programme and one co-op in the table.
func seedAPI(t *testing.T, st pathway.Store) {
	t.Helper()
	ctx := t.Context()
	now := time.Now().UTC()
	if err := st.PutOrganisation(ctx, &pathway.Organisation{ID: apiAgency, Name: "Heatherdown Co-op Development", Kind: pathway.OrgAgency}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutProgramme(ctx, &pathway.Programme{ID: apiProgramme, Name: "Heatherdown Start-up", Agency: apiAgency,
		Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 2}}); err != nil {
		t.Fatal(err)
	}
	c := &pathway.Coop{
		ID: apiCoop, Name: "Heatherdown Home Care Co-op", Programme: apiProgramme, LegalForm: pathway.FormCooperativeSociety,
		Origin: "new-start", LocalAuthority: "Westmoor", Services: []string{"home-care"}, RegulatedActivities: []string{"personal-care"},
		Members:  []pathway.Member{{Name: "Perpetua Gorseway", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Founders: []string{apiFounder}, Stage: pathway.StageApplied, StageEnteredAt: now, CreatedAt: now, UpdatedAt: now,
	}
	e := &pathway.Event{ID: ulid.Make().String(), Coop: apiCoop, At: now, Actor: apiFounder, Action: "application.submitted", Summary: "Applied.", To: pathway.StageApplied}
	if err := st.CreateCoop(ctx, c, e, nil); err != nil {
		t.Fatal(err)
	}
}

// httpEvent is what API Gateway's HTTP API sends the function for a
// request, with the JWT authorizer's claims when the route has one.
func httpEvent(method, path, route string, claims map[string]string) events.APIGatewayV2HTTPRequest {
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: route, RawPath: path,
		Headers: map[string]string{"accept": "application/json", "host": "abc123.execute-api.eu-west-2.amazonaws.com"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			AccountID: "123456789012", APIID: "abc123", Stage: "$default", RequestID: "req-" + path,
			DomainName: "abc123.execute-api.eu-west-2.amazonaws.com",
			HTTP:       events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, Protocol: "HTTP/1.1", SourceIP: "192.0.2.10"},
			TimeEpoch:  time.Now().UnixMilli(),
		},
	}
	if claims != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
		}
	}
	return ev
}

// TestAPIFunction runs the api function's Linux binary against DynamoDB
// Local, as Lambda would run it behind the HTTP API.
func TestAPIFunction(t *testing.T) {
	client, table := dynamotest.New(t) // skips without DynamoDB Local, fails in CI
	seedAPI(t, store.New(dynamo.New(client, table)))

	f := lambdatest.Start(t, lambdatest.Build(t, "api"),
		"TABLE_NAME="+table,
		"AWS_ENDPOINT_URL_DYNAMODB="+os.Getenv(dynamotest.EndpointEnv),
		"AWS_REGION="+dynamotest.Region,
		"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local",
		"AWS_EC2_METADATA_DISABLED=true",
		"APPLICATION_STATE_MACHINE_ARN=arn:aws:states:eu-west-2:123456789012:stateMachine:application",
		"REGISTRATION_STATE_MACHINE_ARN=arn:aws:states:eu-west-2:123456789012:stateMachine:registration",
	)
	founder := map[string]string{"sub": apiFounder, "name": "Perpetua Gorseway", "custom:role": "founder"}
	stranger := map[string]string{"sub": apiStranger, "name": "Lysander Quill", "custom:role": "founder"}
	agency := map[string]string{"sub": "user-agency-h", "name": "Hester Dunmore", "custom:role": "agency", "custom:organisation": apiAgency}
	coopPath := "/api/coops/" + apiCoop
	tests := []struct {
		name    string
		ev      events.APIGatewayV2HTTPRequest
		status  int
		bodyHas string
	}{
		{"health", httpEvent("GET", "/healthz", "GET /healthz", nil), 200, `"status":"ok"`},
		{"founder reads own co-op", httpEvent("GET", coopPath, "ANY /api/{proxy+}", founder), 200, `"id":"` + apiCoop + `"`},
		{"agency reads a co-op of its programme", httpEvent("GET", coopPath, "ANY /api/{proxy+}", agency), 200, `"name":"Heatherdown Home Care Co-op"`},
		{"another founder", httpEvent("GET", coopPath, "ANY /api/{proxy+}", stranger), 404, `"code":"not_found"`},
		{"missing co-op", httpEvent("GET", "/api/coops/coop-nowhere", "ANY /api/{proxy+}", founder), 404, `"code":"not_found"`},
		{"no claims", httpEvent("GET", coopPath, "ANY /api/{proxy+}", nil), 401, `"code":"unauthorized"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := f.Invoke(t.Context(), tc.ev)
			if err != nil {
				t.Fatal(err)
			}
			var res events.APIGatewayV2HTTPResponse
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatalf("response %s: %v", out, err)
			}
			if res.StatusCode != tc.status || !strings.Contains(res.Body, tc.bodyHas) {
				t.Errorf("status %d body %s; want %d with %s", res.StatusCode, res.Body, tc.status, tc.bodyHas)
			}
			if res.Headers["X-Content-Type-Options"] != "nosniff" {
				t.Errorf("headers %v lack nosniff", res.Headers)
			}
		})
	}
	// The sign-in routes of the local server do not exist in the Lambda build.
	out, err := f.Invoke(t.Context(), httpEvent("POST", "/auth/dev-login", "ANY /{proxy+}", nil))
	if err != nil {
		t.Fatal(err)
	}
	var res events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &res); err != nil || res.StatusCode != 404 {
		t.Errorf("POST /auth/dev-login = %d %s, want 404", res.StatusCode, res.Body)
	}
}

// TestAPIFunctionNeedsTable checks the composition root refuses to start
// without its table, saying which variable is missing.
func TestAPIFunctionNeedsTable(t *testing.T) {
	f := lambdatest.Start(t, lambdatest.Build(t, "api"), "AWS_EC2_METADATA_DISABLED=true")
	_, err := f.Invoke(t.Context(), httpEvent("GET", "/healthz", "GET /healthz", nil))
	if err == nil || !strings.Contains(err.Error(), "TABLE_NAME") {
		t.Errorf("invoke without TABLE_NAME: %v, want an exit naming TABLE_NAME", err)
	}
}
