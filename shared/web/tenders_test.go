package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localfiles"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/web"
	"github.com/oklog/ulid/v2"
)

// Invented tender fixtures: a council with a lead, two evaluators and
// other staff, another council's lead, and two registered co-ops with a
// founder each.
const (
	tCouncil  = "org-westmoor-council"
	tOther    = "org-eastfold-council"
	tAgency   = "org-fellgate-cda"
	tDevProg  = "prog-fellgate-start"
	tCoopA    = "coop-alder-care"
	tCoopB    = "coop-birch-care"
	tFounderA = "user-founder-aurelie"
	tFounderB = "user-founder-bastian"
	tLead     = "user-council-lead-kezia"
	tEval1    = "user-council-lorcan"
	tEval2    = "user-council-maren"
	tStaff    = "user-council-nye"
	tOtherLd  = "user-council-lead-ottilie"
	// The bid's response and price: neither may reach a council user
	// before the deadline, nor an excluded evaluator ever.
	tSecret = "SEALED-RESPONSE-OF-ALDER"
	tPrice  = "4321987"
)

var tStart = time.Date(2027, 6, 1, 10, 0, 0, 0, time.UTC)

var tUsers = map[string]*pathway.User{
	tFounderA: {ID: tFounderA, Name: "Aurelie Fenwright", Role: pathway.RoleFounder},
	tFounderB: {ID: tFounderB, Name: "Bastian Quarrie", Role: pathway.RoleFounder},
	tLead:     {ID: tLead, Name: "Kezia Brand", Role: pathway.RoleCommissioner, Organisation: tCouncil, Lead: true},
	tEval1:    {ID: tEval1, Name: "Lorcan Abery", Role: pathway.RoleCommissioner, Organisation: tCouncil},
	tEval2:    {ID: tEval2, Name: "Maren Tolley", Role: pathway.RoleCommissioner, Organisation: tCouncil},
	tStaff:    {ID: tStaff, Name: "Nye Orrell", Role: pathway.RoleCommissioner, Organisation: tCouncil},
	tOtherLd:  {ID: tOtherLd, Name: "Ottilie Pask", Role: pathway.RoleCommissioner, Organisation: tOther, Lead: true},
}

type tenderAuth struct{}

func (tenderAuth) Authenticate(r *http.Request) (*pathway.User, error) {
	if u, ok := tUsers[r.Header.Get("X-Test-User")]; ok {
		return u, nil
	}
	return nil, pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")
}

type tenderFixture struct {
	st  *store.Store
	ts  *tenderstore.Store
	wf  *testkit.Workflows
	h   http.Handler
	mu  sync.Mutex
	now time.Time
}

func newTenderFixture(t *testing.T) *tenderFixture {
	t.Helper()
	st := testkit.Store(t)
	ctx := t.Context()
	f := &tenderFixture{st: st, ts: tenderstore.New(st.Table()), wf: &testkit.Workflows{}, now: tStart}
	must(t, st.PutOrganisation(ctx, &pathway.Organisation{ID: tCouncil, Name: "Westmoor Council", Kind: pathway.OrgCouncil}))
	must(t, st.PutOrganisation(ctx, &pathway.Organisation{ID: tOther, Name: "Eastfold Council", Kind: pathway.OrgCouncil}))
	must(t, st.PutOrganisation(ctx, &pathway.Organisation{ID: tAgency, Name: "Fellgate Co-op Development", Kind: pathway.OrgAgency}))
	must(t, st.PutProgramme(ctx, &pathway.Programme{ID: tDevProg, Name: "Fellgate Start-up", Agency: tAgency, Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	for _, u := range tUsers {
		must(t, st.PutUser(ctx, u))
	}
	for id, founder := range map[string]string{tCoopA: tFounderA, tCoopB: tFounderB} {
		c := &pathway.Coop{
			ID: id, Name: "Co-op " + id, Programme: tDevProg, LegalForm: pathway.FormCooperativeSociety,
			Origin: pathway.OriginNewStart, LocalAuthority: "Leeds", Services: []string{"home-care"}, RegisterNumber: "7654R",
			RegulatedActivities: []string{pathway.ActivityPersonalCare},
			Members:             []pathway.Member{{Name: "Ysolde Brackenridge", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
			Founders:            []string{founder}, Stage: pathway.StageCQCRegistered, StageEnteredAt: tStart, CreatedAt: tStart, UpdatedAt: tStart,
		}
		must(t, st.CreateCoop(ctx, c, &pathway.Event{ID: ulid.Make().String(), Coop: id, At: tStart, Actor: founder, Action: "application.submitted", Summary: "Applied.", To: c.Stage}, nil))
	}
	blobs, err := localfiles.New(t.TempDir())
	must(t, err)
	// The tenders service takes the journey's file storage, for bids' files.
	f.h = web.New(web.Config{Store: st, Workflows: f.wf, Journey: journey.New(st, f.wf, f.clock).WithFiles(blobs), Auth: tenderAuth{}, Now: f.clock, QuietRequests: true})
	return f
}

func (f *tenderFixture) clock() time.Time      { f.mu.Lock(); defer f.mu.Unlock(); return f.now }
func (f *tenderFixture) setClock(at time.Time) { f.mu.Lock(); defer f.mu.Unlock(); f.now = at }

func (f *tenderFixture) do(t *testing.T, user, method, path, body string, header ...string) *httptest.ResponseRecorder {
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

const tTender = `{"title":"Home care in the north and south","description":"Home care for adults.",
"services":["home-care"],"regulatedActivities":["personal-care"],"areas":["Leeds"],"value":10000000,
"lots":[{"id":"north","name":"North","value":6000000},{"id":"south","name":"South","value":4000000}],
"criteria":[{"id":"care","name":"Quality of care","kind":"quality","weight":50},{"id":"price","name":"Price","kind":"price","weight":30},
{"id":"local","name":"Local jobs","kind":"social-value","weight":20}],
"procedure":"open","lightTouch":true,"standstill":{"applies":true,"workingDays":8},
"questionsCloseAt":"2027-06-06T10:00:00Z","tendersCloseAt":"2027-06-11T10:00:00Z","term":{"start":"2027-09-01","end":"2029-08-31"},
"evaluators":["user-council-lorcan","user-council-maren"]}`

// publish creates and publishes the tender through the API.
func (f *tenderFixture) publish(t *testing.T) string {
	t.Helper()
	w := f.do(t, tLead, "POST", "/api/tenders", tTender)
	wantStatus(t, w, http.StatusCreated)
	var v struct{ ID string }
	must(t, json.Unmarshal(w.Body.Bytes(), &v))
	if w.Header().Get("Location") != "/api/tenders/"+v.ID {
		t.Errorf("Location = %q", w.Header().Get("Location"))
	}
	wantStatus(t, f.do(t, tLead, "POST", "/api/tenders/"+v.ID+"/publish", ""), http.StatusOK)
	return v.ID
}

// bidBody is co-op's bid for the north lot.
func bidBody(tender, coop, response, price string) string {
	return `{"tender":"` + tender + `","coop":"` + coop + `","lots":[{"lot":"north","price":` + price + `}],
"responses":{"care":"` + response + `","local":"We hire in the area."}}`
}

// sendBid sends a bid through the API and returns its ID.
func (f *tenderFixture) sendBid(t *testing.T, founder, body string, header ...string) string {
	t.Helper()
	w := f.do(t, founder, "POST", "/api/bids", body, header...)
	wantStatus(t, w, http.StatusCreated)
	var v struct{ ID string }
	must(t, json.Unmarshal(w.Body.Bytes(), &v))
	if w.Header().Get("Location") != "/api/bids/"+v.ID {
		t.Errorf("Location = %q", w.Header().Get("Location"))
	}
	return v.ID
}

func (f *tenderFixture) putTask(t *testing.T, subject pathway.Subject, id, kind, role, user string) {
	t.Helper()
	_, err := f.st.PutTask(t.Context(), &pathway.Task{
		ID: id, Kind: kind, Subject: subject, Organisation: tCouncil, Role: role, User: user,
		Title: "Task " + kind, Due: f.clock().Add(72 * time.Hour), Token: "token-" + id, Status: pathway.TaskOpen, CreatedAt: f.clock(),
	})
	must(t, err)
}

func (f *tenderFixture) moveTo(t *testing.T, id string, path ...string) {
	t.Helper()
	for _, to := range path {
		td, err := f.ts.GetTender(t.Context(), id)
		must(t, err)
		must(t, tenders.Move(td, to, f.clock()))
		must(t, f.ts.UpdateTender(t.Context(), td, nil))
	}
}

// walk calls every tender and bid route as the user and fails if any
// answer holds the sealed bid's response or price; it returns each
// route's status.
func (f *tenderFixture) walk(t *testing.T, user, tender, bid, file string) map[string]int {
	t.Helper()
	routes := []struct{ method, path, body string }{
		{"GET", "/api/tenders", ""},
		{"GET", "/api/tenders/" + tender, ""},
		{"PUT", "/api/tenders/" + tender, tTender},
		{"POST", "/api/tenders/" + tender + "/publish", ""},
		{"GET", "/api/tenders/" + tender + "/events", ""},
		{"GET", "/api/tenders/" + tender + "/questions", ""},
		{"POST", "/api/tenders/" + tender + "/questions", `{"question":"Any?"}`},
		{"GET", "/api/tenders/" + tender + "/bids", ""},
		{"POST", "/api/tenders/" + tender + "/challenges", `{"received":"2027-06-01","from":"Birch","summary":"Unfair."}`},
		{"POST", "/api/tenders/" + tender + "/challenges/c1/outcome", `{"outcome":"dismissed","summary":"No."}`},
		{"POST", "/api/bids", bidBody(tender, tCoopA, "x", "1")},
		{"GET", "/api/bids?coop=" + tCoopA, ""},
		{"GET", "/api/bids/" + bid, ""},
		{"PUT", "/api/bids/" + bid, bidBody(tender, tCoopA, "x", "1")},
		{"POST", "/api/bids/" + bid + "/withdraw", ""},
		{"POST", "/api/bids/" + bid + "/declarations", `{"conflict":false}`},
		{"GET", "/api/bids/" + bid + "/assessment-summary", ""},
		{"GET", "/api/bids/" + bid + "/files", ""},
		{"GET", "/api/files/" + file, ""},
		{"GET", "/api/tasks", ""},
		{"GET", "/api/tenders/" + tender + "/ocds.json", ""},
		{"GET", "/api/coops/" + tCoopA, ""},
		{"GET", "/api/coops/" + tCoopA + "/events", ""},
	}
	out := map[string]int{}
	for _, rt := range routes {
		w := f.do(t, user, rt.method, rt.path, rt.body)
		if b := w.Body.String(); strings.Contains(b, tSecret) || strings.Contains(b, tPrice) {
			t.Errorf("%s %s as %s gave the sealed bid away: %s", rt.method, rt.path, user, b)
		}
		out[rt.method+" "+rt.path] = w.Code
	}
	return out
}

// TestSealedBidsThroughEveryRoute: before the deadline no council user
// (the lead, an evaluator, other staff, another council's lead) reads
// anything of a bid through any tender or bid route, and its own reads
// are 404; after the deadline an evaluator who declared a conflict still
// reads nothing of it, and its reads stay 404.
func TestSealedBidsThroughEveryRoute(t *testing.T) {
	f := newTenderFixture(t)
	id := f.publish(t)
	bid := f.sendBid(t, tFounderA, bidBody(id, tCoopA, tSecret, tPrice))
	f.sendBid(t, tFounderB, bidBody(id, tCoopB, "Birch's answer", "5000000"))
	file := f.uploadBidFile(t, tFounderA, bid)
	for _, u := range []string{tLead, tEval1, tStaff, tOtherLd} {
		got := f.walk(t, u, id, bid, file)
		for _, r := range []string{"GET /api/bids/" + bid + "/files", "GET /api/files/" + file, "GET /api/tenders/" + id + "/bids", "GET /api/bids/" + bid, "GET /api/bids/" + bid + "/assessment-summary",
			"POST /api/bids/" + bid + "/declarations", "PUT /api/bids/" + bid, "POST /api/bids/" + bid + "/withdraw"} {
			if got[r] != http.StatusNotFound {
				t.Errorf("%s as %s = %d, want 404", r, u, got[r])
			}
		}
	}
	w := f.do(t, tEval1, "GET", "/api/tenders/"+id, "")
	if !strings.Contains(w.Body.String(), `"bids":2`) {
		t.Errorf("the council does not see the count: %s", w.Body)
	}
	// The founder of the other co-op never sees Alder's bid either.
	f.walk(t, tFounderB, id, bid, file)

	// After the deadline: the first evaluator declares a conflict.
	f.setClock(tStart.Add(11 * 24 * time.Hour))
	f.moveTo(t, id, tenders.StatusEvaluation)
	f.putTask(t, tenders.BidSubject(bid), "ev-"+bid+"-1", tenders.TaskEvaluation, pathway.RoleCommissioner, tEval1)
	wantStatus(t, f.do(t, tEval1, "POST", "/api/bids/"+bid+"/declarations", `{"conflict":true,"reason":"My sister works there."}`), http.StatusOK)
	got := f.walk(t, tEval1, id, bid, file)
	for _, r := range []string{"GET /api/bids/" + bid + "/files", "GET /api/files/" + file, "GET /api/bids/" + bid, "GET /api/bids/" + bid + "/assessment-summary", "POST /api/bids/" + bid + "/declarations"} {
		if got[r] != http.StatusNotFound {
			t.Errorf("%s as the excluded evaluator = %d, want 404", r, got[r])
		}
	}
	wantStatus(t, f.do(t, tEval1, "POST", "/api/tasks/ev-"+bid+"-1/decision", `{"scores":{"care":3,"local":3},"reasons":{"care":"a","local":"b"}}`), http.StatusNotFound)
	// The lead reads it now.
	if w := f.do(t, tLead, "GET", "/api/bids/"+bid, ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), tSecret) {
		t.Errorf("the lead after the deadline: %d %s", w.Code, w.Body)
	}
	if w := f.do(t, tLead, "GET", "/api/files/"+file, ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), tSecret) {
		t.Errorf("the lead's download after the deadline: %d", w.Code)
	}
}

// uploadBidFile uploads a PDF holding the sealed response as the founder
// and returns its ID.
func (f *tenderFixture) uploadBidFile(t *testing.T, user, bid string) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "method.pdf")
	fw.Write([]byte("%PDF-1.7\n" + tSecret + "\n"))
	mw.Close()
	r := httptest.NewRequest("POST", "/api/bids/"+bid+"/files", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("X-Test-User", user)
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	wantStatus(t, w, http.StatusCreated)
	var up struct{ ID string }
	must(t, json.Unmarshal(w.Body.Bytes(), &up))
	if w := f.do(t, user, "GET", "/api/files/"+up.ID, ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), tSecret) {
		t.Fatalf("the founder's own download: %d", w.Code)
	}
	return up.ID
}

// TestBidIdempotencyAndBadInput: a retried POST /api/bids with its
// Idempotency-Key gets the first bid back and stores no second; bad input
// is 400 naming the field.
func TestBidIdempotencyAndBadInput(t *testing.T) {
	f := newTenderFixture(t)
	id := f.publish(t)
	body := bidBody(id, tCoopA, "Our answer.", "5000000")
	first := f.sendBid(t, tFounderA, body, "Idempotency-Key", "bid-once-1")
	again := f.sendBid(t, tFounderA, body, "Idempotency-Key", "bid-once-1")
	if first != again {
		t.Errorf("a retry made bid %s after %s", again, first)
	}
	if w := f.do(t, tFounderA, "POST", "/api/bids", bidBody(id, tCoopA, "Another.", "1"), "Idempotency-Key", "bid-once-1"); w.Code == http.StatusCreated {
		t.Errorf("another bid under the same key: %d", w.Code)
	}
	td, err := f.ts.GetTender(t.Context(), id)
	must(t, err)
	if td.Bids != 1 {
		t.Errorf("count = %d", td.Bids)
	}
	w := f.do(t, tFounderA, "POST", "/api/bids", `{"tender":"`+id+`","lots":[{"lot":"north","price":1}]}`)
	wantStatus(t, w, http.StatusBadRequest)
	if _, _, fields := errorOf(t, w.Body.String()); fields["coop"] == "" {
		t.Errorf("fields = %v", fields)
	}
	w = f.do(t, tLead, "POST", "/api/tenders", strings.Replace(tTender, `"weight":50`, `"weight":40`, 1))
	wantStatus(t, w, http.StatusBadRequest)
	if _, _, fields := errorOf(t, w.Body.String()); fields["criteria"] == "" {
		t.Errorf("fields = %v", fields)
	}
	w = f.do(t, tFounderA, "GET", "/api/tenders", "")
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"coops":[{"coop":"coop-alder-care"`) || !strings.Contains(w.Body.String(), `"canBid":true`) {
		t.Errorf("founder's tenders = %s", w.Body)
	}
}

// TestTenderTasksInTheCouncilInbox: evaluators see their own evaluation
// tasks in GET /api/tasks, the lead the lead's tasks, and the lead
// answers through POST /api/tasks/{id}/decision.
func TestTenderTasksInTheCouncilInbox(t *testing.T) {
	f := newTenderFixture(t)
	id := f.publish(t)
	bid := f.sendBid(t, tFounderA, bidBody(id, tCoopA, "Our answer.", "5000000"))
	f.setClock(tStart.Add(11 * 24 * time.Hour))
	f.moveTo(t, id, tenders.StatusEvaluation, tenders.StatusModeration)
	f.putTask(t, tenders.BidSubject(bid), "ev-"+bid+"-1", tenders.TaskEvaluation, pathway.RoleCommissioner, tEval1)
	f.putTask(t, tenders.BidSubject(bid), "mod-"+bid, tenders.TaskModeration, pathway.RoleCommissionerLead, "")
	inbox := func(u string) string {
		w := f.do(t, u, "GET", "/api/tasks", "")
		wantStatus(t, w, http.StatusOK)
		return w.Body.String()
	}
	if b := inbox(tEval1); !strings.Contains(b, `"ev-`+bid+`-1"`) || strings.Contains(b, "mod-") {
		t.Errorf("evaluator's inbox = %s", b)
	}
	if b := inbox(tEval2); strings.Contains(b, "ev-") || strings.Contains(b, "mod-") {
		t.Errorf("another evaluator's inbox = %s", b)
	}
	if b := inbox(tLead); !strings.Contains(b, `"mod-`+bid+`"`) {
		t.Errorf("lead's inbox = %s", b)
	}
	answer := `{"scores":{"care":4,"local":3},"reasons":{"care":"Clear.","local":"Local."}}`
	wantStatus(t, f.do(t, tEval1, "POST", "/api/tasks/mod-"+bid+"/decision", answer), http.StatusForbidden)
	wantStatus(t, f.do(t, tLead, "POST", "/api/tasks/mod-"+bid+"/decision", `{"scores":{"care":9}}`), http.StatusBadRequest)
	wantStatus(t, f.do(t, tLead, "POST", "/api/tasks/mod-"+bid+"/decision", answer), http.StatusOK)
	b, err := f.ts.GetBid(t.Context(), bid)
	must(t, err)
	if b.Agreed == nil || b.Agreed.Scores["care"] != 4 || len(f.wf.Answers()) != 1 {
		t.Errorf("agreed %+v, %d answers", b.Agreed, len(f.wf.Answers()))
	}
	if b := inbox(tLead); strings.Contains(b, "mod-") {
		t.Errorf("answered task still in the inbox: %s", b)
	}
}
