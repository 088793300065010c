package web_test

import (
	"encoding/json"
	"github.com/coopcarepathway/pathway/shared/store"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
	"github.com/oklog/ulid/v2"
)

// Callers of the API tests, one per role and organisation, all invented.
const (
	agencyFund    = "org-dalebrook-fund"
	councilWest   = "org-westmoor-council"
	progClosed    = "prog-fellgate-closed"
	staffNorth    = "user-staff-north"
	leadNorth     = "user-lead-north"
	staffSouth    = "user-staff-south"
	funderUser    = "user-funder"
	commissioner  = "user-commissioner"
	testUserHeadr = "X-Test-User"
)

// testNow is the API's clock in these tests: a fixed Wednesday in March.
var testNow = time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)

// testUsers are the callers the test authenticator knows.
var testUsers = map[string]*pathway.User{
	founderA:     {ID: founderA, Name: "Ash Example", Role: pathway.RoleFounder},
	founderB:     {ID: founderB, Name: "Bay Example", Role: pathway.RoleFounder},
	staffNorth:   {ID: staffNorth, Name: "Cal Example", Role: pathway.RoleAgency, Organisation: agencyNorth},
	leadNorth:    {ID: leadNorth, Name: "Dee Example", Role: pathway.RoleAgency, Organisation: agencyNorth, Lead: true},
	staffSouth:   {ID: staffSouth, Name: "Eli Example", Role: pathway.RoleAgency, Organisation: agencySouth},
	funderUser:   {ID: funderUser, Name: "Fen Example", Role: pathway.RoleFunder, Organisation: agencyFund},
	commissioner: {ID: commissioner, Name: "Gil Example", Role: pathway.RoleCommissioner, Organisation: councilWest},
}

// headerAuth authenticates the caller named in a test header: the API
// tests are about what each user may do, not about tokens (web_test.go
// covers the claims authenticator).
type headerAuth struct{}

func (headerAuth) Authenticate(r *http.Request) (*pathway.User, error) {
	u, ok := testUsers[r.Header.Get(testUserHeadr)]
	if !ok {
		return nil, pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")
	}
	cp := *u
	return &cp, nil
}

// apiEnv is the handler over an embedded store in a temporary directory,
// with a recording workflow service.
type apiEnv struct {
	t     *testing.T
	store *store.Store
	wf    *recorder
	h     http.Handler
}

// newAPI stores two agencies with a programme each (and a closed one),
// and no co-ops.
func newAPI(t *testing.T) *apiEnv {
	t.Helper()
	st, _ := openStore(t, []*pathway.Organisation{
		{ID: agencyNorth, Name: "Fellgate Co-op Development", Kind: pathway.OrgAgency},
		{ID: agencySouth, Name: "Saltmarsh Co-op Development", Kind: pathway.OrgAgency},
		{ID: agencyFund, Name: "Dalebrook Fund", Kind: pathway.OrgFunder},
		{ID: councilWest, Name: "Westmoor Council", Kind: pathway.OrgCouncil},
	}, []*pathway.Programme{
		{ID: progNorth, Name: "Fellgate Start-up", Agency: agencyNorth, Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14,
			Eligibility: pathway.Eligibility{MinFounders: 2, EnglandOnly: true, Services: []string{"home-care", "supported-living"}}},
		{ID: progSouth, Name: "Saltmarsh Start-up", Agency: agencySouth, Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14,
			Eligibility: pathway.Eligibility{MinFounders: 1}},
		{ID: progClosed, Name: "Fellgate 2025", Agency: agencyNorth, Pathway: pathway.PathwayGrowth, Open: false, PanelDays: 14,
			Eligibility: pathway.Eligibility{MinFounders: 2}},
	})
	wf := &recorder{}
	h := web.New(web.Config{
		Store: st, Workflows: wf, Auth: headerAuth{}, Now: func() time.Time { return testNow },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	return &apiEnv{t: t, store: st, wf: wf, h: h}
}

// reply is an API response.
type reply struct {
	status int
	header http.Header
	body   string
}

// do sends a request as the user ("" for nobody) with optional headers
// given as name, value pairs.
func (e *apiEnv) do(method, path, user, body string, headers ...string) reply {
	e.t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		r.Header.Set(testUserHeadr, user)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	return reply{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

// concurrently sends n requests at once, request(i) making the i-th, and
// returns their replies in order: concurrent writers must lose nothing.
func concurrently(n int, request func(i int) reply) []reply {
	replies := make([]reply, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { replies[i] = request(i) })
	}
	wg.Wait()
	return replies
}

// decode decodes a successful reply's body into v.
func (rp reply) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(rp.body), v); err != nil {
		t.Fatalf("body %q: %v", rp.body, err)
	}
}

// wantError checks an error reply's status, code and, when field is not
// empty, that the envelope names the field.
func (rp reply) wantError(t *testing.T, status int, field string) {
	t.Helper()
	if rp.status != status {
		t.Fatalf("status = %d %s, want %d", rp.status, rp.body, status)
	}
	code, msg, fields := errorOf(t, rp.body)
	if code == "" || msg == "" {
		t.Errorf("error without code or message: %s", rp.body)
	}
	if field != "" && fields[field] == "" {
		t.Errorf("fields %v do not name %q", fields, field)
	}
}

// seedCoop stores a co-op of the programme, founded by the founder, in the
// stage, entered at the time.
func (e *apiEnv) seedCoop(id, prog, founder, stage string, entered time.Time) *pathway.Coop {
	e.t.Helper()
	c := &pathway.Coop{
		ID: id, Name: "Co-op " + id, Programme: prog, LegalForm: pathway.FormCooperativeSociety,
		Origin: pathway.OriginNewStart, LocalAuthority: "Cumberland", Services: []string{"home-care"},
		RegulatedActivities: []string{pathway.ActivityPersonalCare},
		Members: []pathway.Member{
			{Name: "Ira Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
			{Name: "Jo Example", Class: pathway.ClassServiceUser, Role: pathway.MemberRegisteredManager},
		},
		Founders: []string{founder}, Stage: stage, StageEnteredAt: entered, CreatedAt: entered, UpdatedAt: entered,
	}
	ev := &pathway.Event{ID: ulid.Make().String(), Coop: id, At: entered, Actor: founder, Action: "application.submitted", Summary: "Applied.", To: stage}
	must(e.t, e.store.CreateCoop(e.t.Context(), c, ev, nil))
	return c
}

// seedTask stores an open task holding the token.
func (e *apiEnv) seedTask(id, kind, coop, org, role, token string, due time.Time) *pathway.Task {
	e.t.Helper()
	t, err := e.store.PutTask(e.t.Context(), &pathway.Task{
		ID: id, Kind: kind, Coop: coop, Organisation: org, Role: role, Title: "Task " + id,
		Due: due, Token: token, Status: pathway.TaskOpen, CreatedAt: testNow.AddDate(0, 0, -1),
	})
	must(e.t, err)
	return t
}

// seedChecklist stores a small checklist: two required items and one
// optional item, all not started.
func (e *apiEnv) seedChecklist(coop string) {
	e.t.Helper()
	var items []*pathway.ChecklistItem
	for _, it := range []struct {
		id       string
		required bool
	}{{"ORG-LEGAL", true}, {"FIN-BP", true}, {"POL-EXTRA", false}} {
		items = append(items, &pathway.ChecklistItem{Coop: coop, ID: it.id, Group: pathway.GroupOrganisation,
			Title: "Item " + it.id, Required: it.required, Status: pathway.ItemNotStarted})
	}
	must(e.t, e.store.PutChecklist(e.t.Context(), items))
}

// events returns the actions of a co-op's audit trail, oldest first.
func (e *apiEnv) events(coop string) []string {
	e.t.Helper()
	page, err := e.store.ListEvents(e.t.Context(), pathway.CoopSubject(coop), "", pathway.MaxPageSize)
	must(e.t, err)
	var out []string
	for _, ev := range page.Events {
		out = append(out, ev.Action)
	}
	return out
}

// hasAction reports whether actions include a.
func hasAction(actions []string, a string) bool {
	for _, x := range actions {
		if x == a {
			return true
		}
	}
	return false
}

// everyone lists a caller of each kind, for the "every role against every
// other organisation" tables.
var everyone = []string{founderA, founderB, staffNorth, leadNorth, staffSouth, funderUser, commissioner}
