package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/coopcarepathway/pathway/infra/syncbuf"
	"github.com/coopcarepathway/pathway/shared/embedded"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/web"
	"github.com/oklog/ulid/v2"
)

// Invented fixtures: two agencies, a programme each, and one co-op in each.
const (
	agencyNorth = "org-fellgate-cda"
	agencySouth = "org-saltmarsh-cda"
	progNorth   = "prog-fellgate-start"
	progSouth   = "prog-saltmarsh-start"
	coopNorth   = "coop-fellgate-homecare"
	coopSouth   = "coop-saltmarsh-living"
	founderA    = "user-founder-aurelie"
	founderB    = "user-founder-bastian"
)

// fixture is a handler over a real embedded store with sample records.
type fixture struct {
	store *store.Store
	table *embedded.Table
	h     http.Handler
	logs  *syncbuf.Buffer
}

// newFixture opens an embedded store in a temporary directory, stores the
// fixtures and builds the handler with the AWS claims authenticator.
func newFixture(t *testing.T, mount map[string]http.Handler) *fixture {
	t.Helper()
	st, tbl := openStore(t, []*pathway.Organisation{
		{ID: agencyNorth, Name: "Fellgate Co-op Development", Kind: pathway.OrgAgency},
		{ID: agencySouth, Name: "Saltmarsh Co-op Development", Kind: pathway.OrgAgency},
	}, []*pathway.Programme{
		{ID: progNorth, Name: "Fellgate Start-up", Agency: agencyNorth, Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 2}},
		{ID: progSouth, Name: "Saltmarsh Start-up", Agency: agencySouth, Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 2}},
	})
	now := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct{ id, prog, founder string }{
		{coopNorth, progNorth, founderA},
		{coopSouth, progSouth, founderB},
	} {
		coop := &pathway.Coop{
			ID: c.id, Name: "Co-op " + c.id, Programme: c.prog, LegalForm: pathway.FormCooperativeSociety,
			Origin: "new-start", LocalAuthority: "Westmoor", Services: []string{"home-care"},
			Members:  []pathway.Member{{Name: "Ysolde Brackenridge", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
			Founders: []string{c.founder}, Stage: pathway.StageApplied, StageEnteredAt: now, CreatedAt: now, UpdatedAt: now,
		}
		ev := &pathway.Event{ID: ulid.Make().String(), Coop: c.id, At: now, Actor: c.founder, Action: "application.submitted", Summary: "Applied.", To: pathway.StageApplied}
		must(t, st.CreateCoop(t.Context(), coop, ev, nil))
	}
	logs := &syncbuf.Buffer{}
	svc := journey.New(st, nil, nil)
	h := web.New(web.Config{
		Store:   st,
		Journey: svc,
		Auth:    web.ClaimsAuthenticator{},
		Pages:   pages.New(pages.Config{Journey: svc}),
		Logger:  slog.New(slog.NewJSONHandler(logs, nil)),
		Mount:   mount,
	})
	return &fixture{store: st, table: tbl, h: h, logs: logs}
}

// openStore opens an embedded store in a temporary directory, closed when
// the test ends, holding the organisations and programmes a fixture needs.
func openStore(t *testing.T, orgs []*pathway.Organisation, progs []*pathway.Programme) (*store.Store, *embedded.Table) {
	t.Helper()
	st, tbl := testkit.Open(t, 0)
	for _, o := range orgs {
		must(t, st.PutOrganisation(t.Context(), o))
	}
	for _, p := range progs {
		must(t, st.PutProgramme(t.Context(), p))
	}
	return st, tbl
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// response is what the Lambda adapter returned.
type response struct {
	status  int
	headers map[string]string
	body    string
}

// call sends a request through aws-lambda-go-api-proxy, as API Gateway's
// HTTP API would, with claims as the JWT authorizer's output (nil: no
// authorizer ran, as on /healthz).
func (f *fixture) call(t *testing.T, method, path string, claims map[string]string, body string) response {
	t.Helper()
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RawPath: path, Body: body,
		Headers: map[string]string{"content-type": "application/json"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			DomainName: "api.example.test",
			HTTP:       events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, SourceIP: "192.0.2.1"},
		},
	}
	if claims != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
		}
	}
	res, err := httpadapter.NewV2(f.h).ProxyWithContext(context.Background(), ev)
	if err != nil {
		t.Fatalf("%s %s: adapter: %v", method, path, err)
	}
	return response{status: res.StatusCode, headers: res.Headers, body: res.Body}
}

// founder, agency and funder return the claims Cognito would put in an ID token.
func founder(id string) map[string]string {
	return map[string]string{"sub": id, "name": "Founder " + id, "custom:role": "founder"}
}

func staff(role, org string) map[string]string {
	return map[string]string{"sub": "user-" + role + "-" + org, "name": "Staff", "custom:role": role, "custom:organisation": org}
}

// errorOf decodes an error envelope.
func errorOf(t *testing.T, body string) (code, msg string, fields map[string]string) {
	t.Helper()
	var env struct {
		Error struct {
			Code    string            `json:"code"`
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil || env.Error.Code == "" {
		t.Fatalf("not an error envelope: %q (%v)", body, err)
	}
	return env.Error.Code, env.Error.Message, env.Error.Fields
}

func TestHealthz(t *testing.T) {
	f := newFixture(t, nil)
	res := f.call(t, "GET", "/healthz", nil, "")
	if res.status != 200 || !strings.Contains(res.body, `"ok"`) {
		t.Fatalf("healthz = %d %s, want 200 ok", res.status, res.body)
	}
	// A store that no longer answers makes the check fail.
	f.table.Close()
	res = f.call(t, "GET", "/healthz", nil, "")
	if res.status != http.StatusServiceUnavailable {
		t.Fatalf("healthz on a closed store = %d %s, want 503", res.status, res.body)
	}
	if code, _, _ := errorOf(t, res.body); code != "unavailable" {
		t.Errorf("code = %q, want unavailable", code)
	}
}

func TestGetCoopVisibility(t *testing.T) {
	f := newFixture(t, nil)
	missing := f.call(t, "GET", "/api/coops/coop-does-not-exist", founder(founderA), "")
	if missing.status != 404 {
		t.Fatalf("missing co-op = %d %s, want 404", missing.status, missing.body)
	}
	tests := []struct {
		name   string
		claims map[string]string
		coop   string
		want   int
	}{
		{"founder of the co-op", founder(founderA), coopNorth, 200},
		{"founder of another co-op", founder(founderB), coopNorth, 404},
		{"agency running the programme", staff("agency", agencyNorth), coopNorth, 200},
		{"another agency", staff("agency", agencySouth), coopNorth, 404},
		{"agency of the other co-op", staff("agency", agencySouth), coopSouth, 200},
		{"a funder", staff("funder", agencyNorth), coopNorth, 404},
		{"a commissioner", staff("commissioner", "org-westmoor"), coopNorth, 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := f.call(t, "GET", "/api/coops/"+tc.coop, tc.claims, "")
			if res.status != tc.want {
				t.Fatalf("status = %d %s, want %d", res.status, res.body, tc.want)
			}
			if tc.want == 404 {
				// Byte for byte the answer for a co-op that does not exist.
				if res.body != missing.body {
					t.Errorf("hidden co-op body %q differs from missing co-op body %q", res.body, missing.body)
				}
				return
			}
			var c pathway.Coop
			if err := json.Unmarshal([]byte(res.body), &c); err != nil {
				t.Fatal(err)
			}
			if c.ID != tc.coop || c.Version != 1 || c.Stage != pathway.StageApplied {
				t.Errorf("got co-op %+v", c)
			}
			if res.headers["Cache-Control"] != "private, no-store" {
				t.Errorf("Cache-Control = %q", res.headers["Cache-Control"])
			}
		})
	}
}

func TestAPIRequiresCaller(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		name   string
		path   string
		claims map[string]string
		want   int
		code   string
	}{
		{"no authorizer", "/api/coops/" + coopNorth, nil, 401, pathway.EUNAUTHORIZED},
		{"no subject", "/api/coops/" + coopNorth, map[string]string{"custom:role": "founder"}, 401, pathway.EUNAUTHORIZED},
		{"no role", "/api/coops/" + coopNorth, map[string]string{"sub": founderA}, 403, pathway.EFORBIDDEN},
		{"unknown role", "/api/coops/" + coopNorth, map[string]string{"sub": founderA, "custom:role": "admin"}, 403, pathway.EFORBIDDEN},
		{"staff without organisation", "/api/coops/" + coopNorth, map[string]string{"sub": "u1", "custom:role": "agency"}, 403, pathway.EFORBIDDEN},
		{"unknown api path without caller", "/api/nothing-here", nil, 401, pathway.EUNAUTHORIZED},
		{"unknown api path with caller", "/api/nothing-here", founder(founderA), 404, pathway.ENOTFOUND},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := f.call(t, "GET", tc.path, tc.claims, "")
			if res.status != tc.want {
				t.Fatalf("status = %d %s, want %d", res.status, res.body, tc.want)
			}
			if code, _, _ := errorOf(t, res.body); code != tc.code {
				t.Errorf("code = %q, want %q", code, tc.code)
			}
			if tc.want == 401 && res.headers["Www-Authenticate"] == "" {
				t.Errorf("401 without WWW-Authenticate: %v", res.headers)
			}
		})
	}
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	f := newFixture(t, nil)
	// Without a sign-in page to send visitors to, the home page needs a caller.
	if res := f.call(t, "GET", "/", nil, ""); res.status != 401 {
		t.Errorf("anonymous home = %d, want 401", res.status)
	}
	if res := f.call(t, "GET", "/", founder(founderA), ""); res.status != 200 || !strings.Contains(res.body, `href="/coops/`+coopNorth+`"`) || strings.Contains(res.body, coopSouth) {
		t.Errorf("founder's home = %d %s, want a link to their co-op only", res.status, res.body)
	}
	res := f.call(t, "GET", "/no/such/page", nil, "")
	if res.status != 404 {
		t.Fatalf("status = %d, want 404", res.status)
	}
	if code, _, _ := errorOf(t, res.body); code != pathway.ENOTFOUND {
		t.Errorf("code = %q", code)
	}
	res = f.call(t, "DELETE", "/api/coops/"+coopNorth, founder(founderA), "")
	if res.status != 405 || !strings.Contains(res.headers["Allow"], "GET") {
		t.Fatalf("DELETE = %d Allow=%q %s, want 405 allowing GET", res.status, res.headers["Allow"], res.body)
	}
	if code, _, _ := errorOf(t, res.body); code != "method_not_allowed" {
		t.Errorf("code = %q", code)
	}
	// A wrong method under /api/ needs a caller too.
	if res := f.call(t, "DELETE", "/api/coops/"+coopNorth, nil, ""); res.status != 401 {
		t.Errorf("anonymous DELETE = %d, want 401", res.status)
	}
}

func TestSecurityHeadersAndLog(t *testing.T) {
	f := newFixture(t, nil)
	for _, path := range []string{"/healthz", "/api/coops/" + coopNorth, "/missing"} {
		res := f.call(t, "GET", path, founder(founderA), "")
		for k, v := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "no-referrer",
		} {
			if res.headers[k] != v {
				t.Errorf("%s: %s = %q, want %q", path, k, res.headers[k], v)
			}
		}
		if !strings.HasPrefix(res.headers["Content-Type"], "application/json") {
			t.Errorf("%s: Content-Type = %q", path, res.headers["Content-Type"])
		}
	}
	logs := f.logs.String()
	if !strings.Contains(logs, `"path":"/api/coops/`+coopNorth+`","status":200`) || !strings.Contains(logs, `"user":"`+founderA+`"`) {
		t.Errorf("request log lacks the co-op request and its caller:\n%s", logs)
	}
}

func TestPanicAndInternalErrorsAreHidden(t *testing.T) {
	f := newFixture(t, map[string]http.Handler{
		"GET /boom": http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret-panic-detail") }),
		"GET /fail": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			web.WriteError(w, r, errors.New("secret-db-detail"))
		}),
		"GET /fail-coded": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			web.WriteError(w, r, pathway.Errorf(pathway.EINTERNAL, "secret-coded-detail"))
		}),
	})
	for path, secret := range map[string]string{"/boom": "secret-panic-detail", "/fail": "secret-db-detail", "/fail-coded": "secret-coded-detail"} {
		res := f.call(t, "GET", path, nil, "")
		if res.status != 500 {
			t.Errorf("%s = %d, want 500", path, res.status)
		}
		if code, _, _ := errorOf(t, res.body); code != pathway.EINTERNAL || strings.Contains(res.body, secret) {
			t.Errorf("%s body = %s: internal detail shown or wrong code", path, res.body)
		}
		if !strings.Contains(f.logs.String(), secret) {
			t.Errorf("%s: internal detail %q not logged", path, secret)
		}
	}
}

func TestMountUnderAPIRequiresCaller(t *testing.T) {
	f := newFixture(t, map[string]http.Handler{
		"GET /api/extra": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			web.WriteJSON(w, 200, map[string]string{"user": web.UserFrom(r.Context()).ID})
		}),
	})
	if res := f.call(t, "GET", "/api/extra", nil, ""); res.status != 401 {
		t.Errorf("anonymous = %d, want 401", res.status)
	}
	if res := f.call(t, "GET", "/api/extra", founder(founderA), ""); res.status != 200 || !strings.Contains(res.body, founderA) {
		t.Errorf("signed in = %d %s", res.status, res.body)
	}
}

func TestStatusOf(t *testing.T) {
	for code, want := range map[string]int{
		pathway.EINVALID: 400, pathway.EUNAUTHORIZED: 401, pathway.EFORBIDDEN: 403,
		pathway.ENOTFOUND: 404, pathway.ECONFLICT: 409, pathway.EUNAVAILABLE: 503, pathway.EINTERNAL: 500, "something-new": 500,
	} {
		if got := web.StatusOf(code); got != want {
			t.Errorf("StatusOf(%q) = %d, want %d", code, got, want)
		}
	}
}

// decodeTarget is a request body for the DecodeJSON tests.
type decodeTarget struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Tags  []string `json:"tags"`
}

func TestDecodeJSON(t *testing.T) {
	decode := func(contentType, body string) (*httptest.ResponseRecorder, decodeTarget) {
		var got decodeTarget
		rec := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/x", strings.NewReader(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		if err := web.DecodeJSON(rec, r, &got); err != nil {
			web.WriteError(rec, r, err)
		} else {
			rec.WriteHeader(204)
		}
		return rec, got
	}
	rec, got := decode("application/json", `{"name":"Hollin Bank","count":3,"tags":["a"]}`)
	if rec.Code != 204 || got.Name != "Hollin Bank" || got.Count != 3 || len(got.Tags) != 1 {
		t.Fatalf("valid body: %d %+v", rec.Code, got)
	}
	if rec, _ := decode("", `{"name":"x"}`); rec.Code != 204 {
		t.Errorf("body without content type = %d, want accepted", rec.Code)
	}
	tests := []struct {
		name, ctype, body string
		field, inMsg      string
	}{
		{"unknown field", "application/json", `{"name":"x","colour":"red"}`, "colour", ""},
		{"wrong type", "application/json", `{"count":"three"}`, "count", ""},
		{"wrong nested type", "application/json", `{"tags":[1]}`, "tags", ""},
		{"trailing value", "application/json", `{"name":"x"} {"name":"y"}`, "", "single JSON value"},
		{"trailing garbage", "application/json", `{"name":"x"}x`, "", "single JSON value"},
		{"malformed", "application/json", `{"name": x}`, "", "not valid JSON at byte"},
		{"truncated", "application/json", `{"name": "x"`, "", "ends too early"},
		{"empty", "application/json", ``, "", "empty"},
		{"not an object", "application/json", `[1,2]`, "", "must be an object"},
		{"too large", "application/json", `{"name":"` + strings.Repeat("a", web.MaxBodyBytes) + `"}`, "", "64 KiB"},
		{"form content type", "application/x-www-form-urlencoded", `name=x`, "", "application/json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, _ := decode(tc.ctype, tc.body)
			if rec.Code != 400 {
				t.Fatalf("status = %d %s, want 400", rec.Code, rec.Body)
			}
			code, msg, fields := errorOf(t, rec.Body.String())
			if code != pathway.EINVALID {
				t.Errorf("code = %q", code)
			}
			if tc.field != "" && fields[tc.field] == "" {
				t.Errorf("fields %v do not name %q", fields, tc.field)
			}
			if tc.inMsg != "" && !strings.Contains(msg, tc.inMsg) {
				t.Errorf("message %q does not contain %q", msg, tc.inMsg)
			}
		})
	}
}
