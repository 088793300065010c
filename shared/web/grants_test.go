package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/web"
	"github.com/oklog/ulid/v2"
)

// Invented grant fixtures: a funder with a lead and two reviewers, a co-op
// with its founder, another founder, and the co-op's agency.
const (
	gFund     = "org-larkspur-fund"
	gAgency   = "org-fellgate-cda"
	gDevProg  = "prog-fellgate-start"
	gCoop     = "coop-alder-care"
	gProg     = "gp-larkspur-start"
	gSmall    = "gp-larkspur-small"
	gClosed   = "gp-larkspur-old"
	gFounder  = "user-founder-aurelie"
	gFounder2 = "user-founder-bastian"
	gLead     = "user-funder-lead-elspeth"
	gRev1     = "user-funder-fenella"
	gRev2     = "user-funder-horace"
	gAgent    = "user-agency-cressida"
)

var gNow = time.Date(2027, 6, 1, 10, 0, 0, 0, time.UTC)

var gUsers = map[string]*pathway.User{
	gFounder:  {ID: gFounder, Name: "Aurelie Fenwright", Role: pathway.RoleFounder},
	gFounder2: {ID: gFounder2, Name: "Bastian Quarrie", Role: pathway.RoleFounder},
	gLead:     {ID: gLead, Name: "Elspeth Marrable", Role: pathway.RoleFunder, Organisation: gFund, Lead: true},
	gRev1:     {ID: gRev1, Name: "Fenella Ashcombe", Role: pathway.RoleFunder, Organisation: gFund},
	gRev2:     {ID: gRev2, Name: "Horace Wyndle", Role: pathway.RoleFunder, Organisation: gFund},
	gAgent:    {ID: gAgent, Name: "Cressida Holm", Role: pathway.RoleAgency, Organisation: gAgency},
}

// grantAuth authenticates by the X-Test-User header, for these tests.
type grantAuth struct{}

func (grantAuth) Authenticate(r *http.Request) (*pathway.User, error) {
	if u, ok := gUsers[r.Header.Get("X-Test-User")]; ok {
		return u, nil
	}
	return nil, pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")
}

type grantFixture struct {
	st *store.Store
	gs *grantstore.Store
	wf *testkit.Workflows
	h  http.Handler
}

func newGrantFixture(t *testing.T) *grantFixture {
	t.Helper()
	st := testkit.Store(t)
	ctx := t.Context()
	f := &grantFixture{st: st, gs: grantstore.New(st.Table()), wf: &testkit.Workflows{}}
	must(t, st.PutOrganisation(ctx, &pathway.Organisation{ID: gFund, Name: "Larkspur Care Fund", Kind: pathway.OrgFunder, GivingPrefix: "360G-larkspurfund", OrgID: "GB-CHC-999999902"}))
	must(t, st.PutOrganisation(ctx, &pathway.Organisation{ID: gAgency, Name: "Fellgate Co-op Development", Kind: pathway.OrgAgency}))
	must(t, st.PutProgramme(ctx, &pathway.Programme{ID: gDevProg, Name: "Fellgate Start-up", Agency: gAgency, Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	for _, u := range gUsers {
		must(t, st.PutUser(ctx, u))
	}
	c := &pathway.Coop{
		ID: gCoop, Name: "Alder Care Co-operative", Programme: gDevProg, LegalForm: pathway.FormCooperativeSociety,
		Origin: pathway.OriginNewStart, LocalAuthority: "Leeds", Services: []string{"home-care"}, RegisterNumber: "7654R",
		Members:  []pathway.Member{{Name: "Ysolde Brackenridge", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Founders: []string{gFounder}, Stage: pathway.StageCQCPreparing, StageEnteredAt: gNow, CreatedAt: gNow, UpdatedAt: gNow,
	}
	must(t, st.CreateCoop(ctx, c, &pathway.Event{ID: ulid.Make().String(), Coop: gCoop, At: gNow, Actor: gFounder, Action: "application.submitted", Summary: "Applied.", To: c.Stage}, nil))
	for _, p := range []*grants.Programme{gProgramme(gProg, "2027-04-01", "2027-09-30", 10_000_000), gProgramme(gSmall, "2027-04-01", "2027-09-30", 700_000), gProgramme(gClosed, "2026-01-01", "2026-03-31", 10_000_000)} {
		must(t, f.gs.PutProgramme(ctx, p, gNow))
	}
	f.h = web.New(web.Config{Store: st, Workflows: f.wf, Auth: grantAuth{}, Now: func() time.Time { return gNow }})
	return f
}

func gProgramme(id, opens, closes string, budget int64) *grants.Programme {
	return &grants.Programme{
		ID: id, Name: "Programme " + id, Funder: gFund, Budget: budget, MinAward: 200_000, MaxAward: 600_000,
		OpensOn: opens, ClosesOn: closes,
		Criteria: []grants.Criterion{{ID: "need", Name: "Need", Weight: 60}, {ID: "team", Name: "Team", Weight: 40}},
		Scale:    grants.DefaultScale, ReviewersPerApplication: 2,
		Schedule: []grants.ScheduleShare{{Share: 50, Trigger: grants.TriggerAgreement}, {Share: 50, Trigger: grants.TriggerCQCRegistered}},
	}
}

// do sends a request as the user (empty: nobody) and returns the recorder.
func (f *grantFixture) do(t *testing.T, user, method, path, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if user != "" {
		r.Header.Set("X-Test-User", user)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

func wantStatus(t *testing.T, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status = %d, want %d: %s", w.Code, status, w.Body.String())
	}
}

const gApplication = `{"programme":"gp-larkspur-start","coop":"coop-alder-care","title":"Training our first carers",
"purpose":"Pay for training.","amount":500000,"budget":[{"item":"Training","amount":300000},{"item":"Manager time","amount":200000}],"timeline":"June to December"}`

// applyAPI sends the founder's application and returns its ID.
func (f *grantFixture) applyAPI(t *testing.T, body string, header ...string) string {
	t.Helper()
	w := f.do(t, gFounder, "POST", "/api/grant-applications", body, header...)
	wantStatus(t, w, http.StatusCreated)
	var v struct{ ID string }
	must(t, json.Unmarshal(w.Body.Bytes(), &v))
	return v.ID
}

// moveTo moves an application through the status table, as the workflow would.
func (f *grantFixture) moveTo(t *testing.T, id string, path ...string) {
	t.Helper()
	for _, to := range path {
		a, err := f.gs.GetApplication(t.Context(), id)
		must(t, err)
		must(t, grants.Move(a, to, gNow))
		must(t, f.gs.UpdateApplication(t.Context(), a, nil))
	}
}

func (f *grantFixture) task(t *testing.T, app, id, kind, role, user string) {
	t.Helper()
	_, err := f.st.PutTask(t.Context(), &pathway.Task{
		ID: id, Kind: kind, Subject: grants.Subject(app), Coop: gCoop, Organisation: gFund, Role: role, User: user,
		Title: "Task " + kind, Due: gNow.Add(72 * time.Hour), Token: "token-" + id, Status: pathway.TaskOpen, CreatedAt: gNow,
	})
	must(t, err)
}

func TestGrantProgrammesAPI(t *testing.T) {
	f := newGrantFixture(t)
	w := f.do(t, gFounder, "GET", "/api/grant-programmes", "")
	wantStatus(t, w, http.StatusOK)
	var list struct {
		Programmes []struct {
			ID    string `json:"id"`
			Open  bool   `json:"open"`
			Coops []struct {
				Coop     string `json:"coop"`
				Eligible bool   `json:"eligible"`
			} `json:"coops"`
			Budget int64 `json:"budget"`
		} `json:"programmes"`
	}
	must(t, json.Unmarshal(w.Body.Bytes(), &list))
	if len(list.Programmes) != 2 || !list.Programmes[0].Open || len(list.Programmes[0].Coops) != 1 || !list.Programmes[0].Coops[0].Eligible {
		t.Errorf("founder's programmes = %s", w.Body)
	}
	w = f.do(t, gRev1, "GET", "/api/grant-programmes", "")
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), gClosed) || strings.Contains(w.Body.String(), `"coops"`) {
		t.Errorf("funder's programmes = %s", w.Body)
	}
	wantStatus(t, f.do(t, "", "GET", "/api/grant-programmes", ""), http.StatusUnauthorized)
	wantStatus(t, f.do(t, gFounder, "GET", "/api/grant-programmes/"+gClosed, ""), http.StatusNotFound)
	wantStatus(t, f.do(t, gRev1, "GET", "/api/grant-programmes/"+gClosed, ""), http.StatusOK)

	body, _ := json.Marshal(gProgramme("gp-larkspur-new", "2027-07-01", "2027-12-31", 3_000_000))
	wantStatus(t, f.do(t, gRev1, "POST", "/api/grant-programmes", string(body)), http.StatusForbidden)
	w = f.do(t, gLead, "POST", "/api/grant-programmes", string(body))
	wantStatus(t, w, http.StatusCreated)
	if w.Header().Get("Location") != "/api/grant-programmes/gp-larkspur-new" || !strings.Contains(w.Body.String(), `"version":1`) {
		t.Errorf("created: %v %s", w.Header(), w.Body)
	}
	w = f.do(t, gLead, "POST", "/api/grant-programmes", `{"name":"x","budgett":1}`)
	wantStatus(t, w, http.StatusBadRequest)
	if _, _, fields := errorOf(t, w.Body.String()); fields["budgett"] == "" {
		t.Errorf("fields = %v", fields)
	}
	bad := gProgramme("gp-larkspur-bad", "2027-07-01", "2027-12-31", 3_000_000)
	bad.MaxAward = 9_000_000
	body, _ = json.Marshal(bad)
	w = f.do(t, gLead, "POST", "/api/grant-programmes", string(body))
	wantStatus(t, w, http.StatusBadRequest)
	if _, _, fields := errorOf(t, w.Body.String()); fields["maxAward"] == "" {
		t.Errorf("fields = %v", fields)
	}

	upd := gProgramme("", "2027-04-01", "2027-09-30", 12_000_000)
	body, _ = json.Marshal(upd)
	wantStatus(t, f.do(t, gLead, "PUT", "/api/grant-programmes/"+gProg, string(body), "If-Match", `"5"`), http.StatusConflict)
	wantStatus(t, f.do(t, gRev1, "PUT", "/api/grant-programmes/"+gProg, string(body)), http.StatusForbidden)
	w = f.do(t, gLead, "PUT", "/api/grant-programmes/"+gProg, string(body), "If-Match", `"1"`)
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"version":2`) || !strings.Contains(w.Body.String(), `"budget":12000000`) {
		t.Errorf("updated = %s", w.Body)
	}

	w = f.do(t, gRev1, "GET", "/api/grant-programmes/"+gProg+"/budget", "")
	wantStatus(t, w, http.StatusOK)
	if strings.TrimSpace(w.Body.String()) != `{"budget":12000000,"awarded":0,"paid":0,"remaining":12000000}` {
		t.Errorf("budget = %s", w.Body)
	}
	wantStatus(t, f.do(t, gFounder, "GET", "/api/grant-programmes/"+gProg+"/budget", ""), http.StatusNotFound)
}

func TestGrantApplyAPI(t *testing.T) {
	f := newGrantFixture(t)
	key := []string{"Idempotency-Key", "apply-0001"}
	w := f.do(t, gFounder, "POST", "/api/grant-applications", gApplication, key...)
	wantStatus(t, w, http.StatusCreated)
	var v struct {
		ID, Status string
		Amount     int64
	}
	must(t, json.Unmarshal(w.Body.Bytes(), &v))
	if w.Header().Get("Location") != "/api/grant-applications/"+v.ID || v.Status != grants.StatusSubmitted || v.Amount != 500_000 {
		t.Fatalf("created: %v %s", w.Header(), w.Body)
	}
	if !strings.Contains(w.Body.String(), `"applicant":"`+gFounder+`"`) || !strings.Contains(w.Body.String(), `"coopSummary":{"name":"Alder Care Co-operative"`) {
		t.Errorf("created body = %s", w.Body)
	}
	// A retry gets the same response and starts nothing more.
	again := f.do(t, gFounder, "POST", "/api/grant-applications", gApplication, key...)
	wantStatus(t, again, http.StatusCreated)
	if again.Body.String() != w.Body.String() || again.Header().Get("Location") != w.Header().Get("Location") {
		t.Errorf("retry differs:\n%s\n%s", again.Body, w.Body)
	}
	if starts := f.wf.Starts(); len(starts) != 1 || starts[0].Name != "grant-"+v.ID || starts[0].Machine != pathway.WorkflowGrant {
		t.Errorf("starts = %+v", starts)
	}
	other := strings.Replace(gApplication, "Training our first carers", "Something else", 1)
	wantStatus(t, f.do(t, gFounder, "POST", "/api/grant-applications", other, key...), http.StatusConflict)
	// Without a key, another application.
	if id := f.applyAPI(t, gApplication); id == v.ID {
		t.Error("a keyless application reused the ID")
	}
	w = f.do(t, gFounder, "POST", "/api/grant-applications", strings.Replace(gApplication, `"amount":500000`, `"amount":400000`, 1))
	wantStatus(t, w, http.StatusBadRequest)
	if _, _, fields := errorOf(t, w.Body.String()); fields["budget"] == "" {
		t.Errorf("fields = %v", fields)
	}
	w = f.do(t, gFounder2, "POST", "/api/grant-applications", gApplication)
	wantStatus(t, w, http.StatusBadRequest)
	if _, _, fields := errorOf(t, w.Body.String()); fields["coop"] == "" {
		t.Errorf("fields = %v", fields)
	}
	wantStatus(t, f.do(t, gRev1, "POST", "/api/grant-applications", gApplication), http.StatusForbidden)

	// Reading it.
	wantStatus(t, f.do(t, gFounder, "GET", "/api/grant-applications/"+v.ID, ""), http.StatusOK)
	wantStatus(t, f.do(t, gAgent, "GET", "/api/grant-applications/"+v.ID, ""), http.StatusOK)
	wantStatus(t, f.do(t, gFounder2, "GET", "/api/grant-applications/"+v.ID, ""), http.StatusNotFound)
	wantStatus(t, f.do(t, gFounder, "GET", "/api/grant-applications/ga-nothing", ""), http.StatusNotFound)
	w = f.do(t, gFounder, "GET", "/api/grant-applications/"+v.ID+"/events", "")
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), grants.ActionSubmitted) {
		t.Errorf("events = %s", w.Body)
	}
	wantStatus(t, f.do(t, gFounder2, "GET", "/api/grant-applications/"+v.ID+"/events", ""), http.StatusNotFound)

	// Lists.
	w = f.do(t, gLead, "GET", "/api/grant-applications?programme="+gProg+"&status=submitted", "")
	wantStatus(t, w, http.StatusOK)
	var page struct {
		Applications []struct{ ID string } `json:"applications"`
	}
	must(t, json.Unmarshal(w.Body.Bytes(), &page))
	if len(page.Applications) != 2 {
		t.Errorf("list = %s", w.Body)
	}
	w = f.do(t, gLead, "GET", "/api/grant-applications?programme="+gProg, "")
	wantStatus(t, w, http.StatusBadRequest)
	if _, _, fields := errorOf(t, w.Body.String()); fields["status"] == "" {
		t.Errorf("fields = %v", fields)
	}
	wantStatus(t, f.do(t, gFounder, "GET", "/api/grant-applications?programme="+gProg+"&status=submitted", ""), http.StatusForbidden)
	w = f.do(t, gFounder, "GET", "/api/grant-applications?coop="+gCoop, "")
	wantStatus(t, w, http.StatusOK)
	must(t, json.Unmarshal(w.Body.Bytes(), &page))
	if len(page.Applications) != 2 {
		t.Errorf("co-op's list = %s", w.Body)
	}
	wantStatus(t, f.do(t, gFounder2, "GET", "/api/grant-applications?coop="+gCoop, ""), http.StatusNotFound)
}

func TestGrantReviewAPI(t *testing.T) {
	f := newGrantFixture(t)
	id := f.applyAPI(t, gApplication)
	f.moveTo(t, id, grants.StatusInReview)
	f.task(t, id, "review-"+id+"-1", grants.TaskReview, pathway.RoleFunder, gRev1)
	f.task(t, id, "review-"+id+"-2", grants.TaskReview, pathway.RoleFunder, gRev2)

	// Each reviewer's inbox holds their own review, not a colleague's.
	w := f.do(t, gRev1, "GET", "/api/tasks", "")
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "review-"+id+"-1") || strings.Contains(w.Body.String(), "review-"+id+"-2") || !strings.Contains(w.Body.String(), `"kind":"grant-application"`) {
		t.Errorf("reviewer 1's inbox = %s", w.Body)
	}

	// Before declaring: names only.
	w = f.do(t, gRev1, "GET", "/api/grant-applications/"+id, "")
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"limited":true`) || strings.Contains(w.Body.String(), "Training our first carers") || !strings.Contains(w.Body.String(), "Ysolde Brackenridge") {
		t.Errorf("names-only view = %s", w.Body)
	}
	w = f.do(t, gRev1, "POST", "/api/grant-applications/"+id+"/declarations", `{"conflict":true}`)
	wantStatus(t, w, http.StatusBadRequest)
	if _, _, fields := errorOf(t, w.Body.String()); fields["reason"] == "" {
		t.Errorf("fields = %v", fields)
	}
	wantStatus(t, f.do(t, gLead, "POST", "/api/grant-applications/"+id+"/declarations", `{"conflict":false,"extra":1}`), http.StatusBadRequest)
	wantStatus(t, f.do(t, gFounder, "POST", "/api/grant-applications/"+id+"/declarations", `{"conflict":false}`), http.StatusNotFound)

	// Reviewer 1 declares a conflict and is shut out for good.
	w = f.do(t, gRev1, "POST", "/api/grant-applications/"+id+"/declarations", `{"conflict":true,"reason":"A founder is my neighbour."}`)
	wantStatus(t, w, http.StatusOK)
	if answers := f.wf.Answers(); len(answers) != 1 || !strings.Contains(string(answers[0].Output), `"conflict":true`) {
		t.Errorf("answers = %+v", answers)
	}
	for _, path := range []string{"/api/grant-applications/" + id, "/api/grant-applications/" + id + "/events"} {
		w = f.do(t, gRev1, "GET", path, "")
		wantStatus(t, w, http.StatusNotFound)
		if strings.Contains(w.Body.String(), "Alder") {
			t.Errorf("404 discloses: %s", w.Body)
		}
	}
	wantStatus(t, f.do(t, gRev1, "POST", "/api/grant-applications/"+id+"/declarations", `{"conflict":false}`), http.StatusNotFound)

	// Reviewer 2 declares none, sees it whole and reviews through the tasks route.
	w = f.do(t, gRev2, "POST", "/api/grant-applications/"+id+"/declarations", `{"conflict":false}`)
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "Training our first carers") {
		t.Errorf("after no conflict = %s", w.Body)
	}
	review := `{"scores":{"need":4,"team":3},"comments":{"need":"Good evidence."},"recommendation":"award"}`
	wantStatus(t, f.do(t, gRev1, "POST", "/api/tasks/review-"+id+"-2/decision", review), http.StatusNotFound)
	w = f.do(t, gRev2, "POST", "/api/tasks/review-"+id+"-2/decision", `{"scores":{"need":7},"recommendation":"award"}`)
	wantStatus(t, w, http.StatusBadRequest)
	if _, _, fields := errorOf(t, w.Body.String()); fields["scores.need"] == "" || fields["scores.team"] == "" {
		t.Errorf("fields = %v", fields)
	}
	w = f.do(t, gRev2, "POST", "/api/tasks/review-"+id+"-2/decision", review)
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"status":"completed"`) {
		t.Errorf("answered = %s", w.Body)
	}
	wantStatus(t, f.do(t, gRev2, "POST", "/api/tasks/review-"+id+"-2/decision", review), http.StatusConflict)
}

func TestGrantDecisionAPI(t *testing.T) {
	f := newGrantFixture(t)
	body := strings.Replace(gApplication, gProg, gSmall, 1)
	first, second := f.applyAPI(t, body), f.applyAPI(t, body)
	for _, id := range []string{first, second} {
		f.moveTo(t, id, grants.StatusInReview, grants.StatusAwaitingDecision)
		f.task(t, id, "decision-"+id, grants.TaskDecision, pathway.RoleFunderLead, "")
	}
	w := f.do(t, gLead, "GET", "/api/tasks", "")
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "decision-"+first) {
		t.Errorf("lead's inbox = %s", w.Body)
	}
	if w = f.do(t, gRev1, "GET", "/api/tasks", ""); strings.Contains(w.Body.String(), "decision-") {
		t.Errorf("a reviewer's inbox shows the lead's decisions: %s", w.Body)
	}
	award := `{"outcome":"award","amount":400000,"conditions":["Report at six months"],"tranches":[{"amount":200000,"trigger":"agreement"},{"amount":200000,"trigger":"cqc-registered"}],"feedback":"Strong."}`
	wantStatus(t, f.do(t, gRev1, "POST", "/api/tasks/decision-"+first+"/decision", award), http.StatusForbidden)
	wantStatus(t, f.do(t, gLead, "POST", "/api/tasks/decision-"+first+"/decision", `{"outcome":"award","feedback":"x"}`), http.StatusBadRequest)
	wantStatus(t, f.do(t, gLead, "POST", "/api/tasks/decision-"+first+"/decision", award), http.StatusOK)
	// £7,000 budget: a second £4,000 award would overspend it.
	w = f.do(t, gLead, "POST", "/api/tasks/decision-"+second+"/decision", award)
	wantStatus(t, w, http.StatusConflict)
	if _, msg, fields := errorOf(t, w.Body.String()); !strings.Contains(fields["amount"], "overspend") || !strings.Contains(msg, "£3,000 left") {
		t.Errorf("refusal = %s", w.Body)
	}
	w = f.do(t, gLead, "GET", "/api/grant-programmes/"+gSmall+"/budget", "")
	if strings.TrimSpace(w.Body.String()) != `{"budget":700000,"awarded":400000,"paid":0,"remaining":300000}` {
		t.Errorf("budget = %s", w.Body)
	}
	// A co-op task still goes to the journey.
	wantStatus(t, f.do(t, gLead, "POST", "/api/tasks/no-such-task/decision", award), http.StatusNotFound)
}

func TestGiving360API(t *testing.T) {
	f := newGrantFixture(t)
	wantStatus(t, f.do(t, gLead, "GET", "/api/funders/"+gFund+"/360giving.json", ""), http.StatusNotFound) // nothing awarded yet
	id := f.applyAPI(t, gApplication)
	f.moveTo(t, id, grants.StatusInReview, grants.StatusAwaitingDecision)
	f.task(t, id, "decision-"+id, grants.TaskDecision, pathway.RoleFunderLead, "")
	award := `{"outcome":"award","amount":400000,"tranches":[{"amount":400000,"trigger":"agreement"}],"feedback":"Strong."}`
	wantStatus(t, f.do(t, gLead, "POST", "/api/tasks/decision-"+id+"/decision", award), http.StatusOK)

	w := f.do(t, gRev1, "GET", "/api/funders/"+gFund+"/360giving.json", "")
	wantStatus(t, w, http.StatusOK)
	var pkg struct {
		Grants []struct {
			ID                    string                `json:"id"`
			AmountAwarded         json.Number           `json:"amountAwarded"`
			RecipientOrganization []struct{ ID string } `json:"recipientOrganization"`
		} `json:"grants"`
	}
	must(t, json.Unmarshal(w.Body.Bytes(), &pkg))
	if len(pkg.Grants) != 1 || pkg.Grants[0].ID != "360G-larkspurfund-"+id || pkg.Grants[0].AmountAwarded != "4000" ||
		pkg.Grants[0].RecipientOrganization[0].ID != "GB-MPR-7654R" {
		t.Errorf("package = %s", w.Body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	w = f.do(t, gRev1, "GET", "/api/funders/"+gFund+"/360giving.csv", "")
	wantStatus(t, w, http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
	must(t, err)
	if len(rows) != 2 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
		t.Errorf("csv = %q", w.Body)
	}
	wantStatus(t, f.do(t, gFounder, "GET", "/api/funders/"+gFund+"/360giving.json", ""), http.StatusNotFound)
	wantStatus(t, f.do(t, gAgent, "GET", "/api/funders/"+gFund+"/360giving.csv", ""), http.StatusNotFound)
}

func TestFoundersInboxHoldsTheirGrantTasks(t *testing.T) {
	f := newGrantFixture(t)
	id := f.applyAPI(t, gApplication)
	f.moveTo(t, id, grants.StatusInReview, grants.StatusAwaitingDecision)
	f.task(t, id, "decision-"+id, grants.TaskDecision, pathway.RoleFunderLead, "")
	award := `{"outcome":"award","amount":400000,"tranches":[{"amount":400000,"trigger":"agreement"}],"feedback":"Strong."}`
	wantStatus(t, f.do(t, gLead, "POST", "/api/tasks/decision-"+id+"/decision", award), http.StatusOK)
	_, err := f.st.PutTask(t.Context(), &pathway.Task{
		ID: "agreement-" + id, Kind: grants.TaskAgreement, Subject: grants.Subject(id), Coop: gCoop, Role: pathway.RoleFounder,
		Title: "Accept the award", Due: gNow.Add(72 * time.Hour), Token: "token-agreement", Status: pathway.TaskOpen, CreatedAt: gNow,
	})
	must(t, err)
	w := f.do(t, gFounder, "GET", "/api/tasks", "")
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"id":"agreement-`+id+`"`) || !strings.Contains(w.Body.String(), `"canAct":true`) {
		t.Errorf("founder's inbox = %s", w.Body)
	}
	if w = f.do(t, gFounder2, "GET", "/api/tasks", ""); strings.Contains(w.Body.String(), "agreement-") {
		t.Errorf("another founder's inbox = %s", w.Body)
	}
	wantStatus(t, f.do(t, gFounder, "POST", "/api/tasks/agreement-"+id+"/decision", `{"outcome":"accept"}`), http.StatusOK)
	w = f.do(t, gFounder, "GET", "/api/grant-applications/"+id, "")
	if !strings.Contains(w.Body.String(), `"status":"active"`) {
		t.Errorf("after accepting = %s", w.Body)
	}
}
