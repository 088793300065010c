package pages_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// TestFormsNeedTheCSRFToken: a POST without the token, or with another
// one, is refused with a plain 403 page and changes nothing.
func TestFormsNeedTheCSRFToken(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Calder Valley Care Co-op")
	v.accept(id)
	f := v.visit(founderID)
	path := "/coops/" + id + "/items/" + pathway.ItemOrgLegal
	form := url.Values{"evidence": {"Registered with the FCA."}}
	for name, token := range map[string]string{"no token": "", "another token": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		f.csrf() // the visitor has a cookie: only the field is missing or wrong
		sent := url.Values{"evidence": form["evidence"]}
		if token != "" {
			sent.Set(web.CSRFField, token)
		}
		res := f.postRaw(path, sent)
		if res.status != http.StatusForbidden || !strings.Contains(res.body, "could not accept that form") {
			t.Errorf("%s: POST = %d, want the 403 page", name, res.status)
		}
	}
	// Another browser with its own cookie cannot use this visitor's token.
	other := v.visit(founderID)
	other.csrf()
	sent := url.Values{"evidence": form["evidence"], web.CSRFField: {f.csrf()}}
	if res := other.postRaw(path, sent); res.status != http.StatusForbidden {
		t.Errorf("a token from another browser: POST = %d, want 403", res.status)
	}
	it, err := v.store.GetChecklistItem(v.ctx, id, pathway.ItemOrgLegal)
	v.must(err)
	if it.Status != pathway.ItemNotStarted {
		t.Errorf("a refused form changed the item: %+v", it)
	}
	// With the token the same form works.
	if res := f.post(path, form); res.status != 200 || !strings.Contains(res.path, "notice=marked") {
		t.Errorf("POST with the token = %d at %s", res.status, res.path)
	}
}

// TestCSRFCookie is HttpOnly and SameSite=Lax, and stays the same across
// pages.
func TestCSRFCookie(t *testing.T) {
	v := newEnv(t)
	req, _ := http.NewRequest("GET", v.srv.URL+"/apply/about", nil)
	req.AddCookie(v.cookie(founderID))
	res, err := http.DefaultClient.Do(req)
	v.must(err)
	res.Body.Close()
	var c *http.Cookie
	for _, k := range res.Cookies() {
		if k.Name == web.CSRFCookie {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Fatalf("CSRF cookie = %+v", c)
	}
	vi := v.visit(founderID)
	first := vi.csrf()
	if tok := csrfField(vi.get("/tasks").body); tok != first {
		t.Errorf("the token changed between pages: %q, then %q", first, tok)
	}
}

// TestPagesNeedASignIn: a visitor who is not signed in is sent to the
// sign-in page.
func TestPagesNeedASignIn(t *testing.T) {
	v := newEnv(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/", "/board", "/tasks", "/coops/anything", "/apply/about"} {
		res, err := client.Get(v.srv.URL + path)
		v.must(err)
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/auth/dev-users" {
			t.Errorf("GET %s = %d to %q, want 303 to the sign-in page", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

// TestPeopleSeeOnlyTheirOwn: another founder and another agency's staff
// get "page not found" for a co-op, exactly as for a missing one; each
// role is told plainly when a page is not for them.
func TestPeopleSeeOnlyTheirOwn(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Calder Valley Care Co-op")
	v.accept(id)
	panelled := v.apply("Hebden Home Care Co-op")
	panel := v.task(panelled, pathway.TaskPanelDecision, user(officerID))
	for _, who := range []string{founder2ID, outsiderID} {
		vi := v.visit(who)
		for _, path := range []string{"/coops/" + id, "/coops/" + id + "/history", "/coops/" + id + "/items/" + pathway.ItemOrgLegal,
			"/coops/" + id + "/checklist/finance", "/tasks/" + panel.ID} {
			if res := vi.get(path); res.status != 404 || !strings.Contains(res.body, "Page not found") {
				t.Errorf("%s: GET %s = %d, want 404", who, path, res.status)
			}
		}
		res := vi.post("/coops/"+id+"/items/"+pathway.ItemOrgLegal, url.Values{"evidence": {"x"}})
		if res.status != 404 {
			t.Errorf("%s: POST to another co-op's item = %d, want 404", who, res.status)
		}
	}
	if res := v.visit(outsiderID).get("/board"); res.status != 200 || strings.Contains(res.body, "Calder Valley") {
		t.Errorf("another agency's board = %d and shows the co-op: %v", res.status, strings.Contains(res.body, "Calder Valley"))
	}
	if res := v.visit(founderID).get("/board"); res.status != 403 {
		t.Errorf("a founder's GET /board = %d, want 403", res.status)
	}
	if res := v.visit(officerID).get("/apply/about"); res.status != 403 {
		t.Errorf("agency staff GET /apply/about = %d, want 403", res.status)
	}
	// The founder can see the panel task but not answer it.
	if res := v.visit(founderID).post("/tasks/"+panel.ID, url.Values{"outcome": {"accept"}}); res.status != 403 {
		t.Errorf("a founder answering the panel = %d, want 403", res.status)
	}
	if c, _ := v.store.GetCoop(v.ctx, panelled); c.Stage != pathway.StageAwaitingPanel {
		t.Errorf("the panel decision moved on: %s", c.Stage)
	}
}

// TestApplyingTwiceMakesOneCoop: the application form keeps its answers
// between pages, shows them on check your answers, and a second "Accept
// and send" (a double click, or the back button) makes no second co-op.
func TestApplyingTwiceMakesOneCoop(t *testing.T) {
	v := newEnv(t)
	f := v.visit(founderID)
	steps := []struct {
		path string
		form url.Values
		next string
	}{
		{"/apply/about", url.Values{"programme": {programmeID}, "name": {"  Calder Valley Care Co-op "}, "legalForm": {pathway.FormCooperativeSociety},
			"origin": {pathway.OriginNewStart}, "localAuthority": {"calderdale council"}}, "/apply/services"},
		{"/apply/services", url.Values{"services": {"home-care", "day-care"}, "regulatedActivities": {pathway.ActivityPersonalCare}}, "/apply/members"},
		{"/apply/members", url.Values{"rows": {"1"}, "member-0-name": {"Ash Example"}, "member-0-class": {pathway.ClassWorker},
			"member-0-role": {pathway.MemberDirector}, "action": {"add"}}, "/apply/members"},
		{"/apply/members", url.Values{"rows": {"2"}, "member-0-name": {"Ash Example"}, "member-0-class": {pathway.ClassWorker},
			"member-0-role": {pathway.MemberDirector}, "member-1-name": {"Cal Example"}, "member-1-class": {pathway.ClassFamilyCarer},
			"member-1-role": {pathway.MemberRegisteredManager}}, "/apply/check"},
	}
	for _, s := range steps {
		if res := f.post(s.path, s.form); res.status != 200 || res.path != s.next {
			t.Fatalf("POST %s = %d at %s, want %s:\n%s", s.path, res.status, res.path, s.next, res.body)
		}
	}
	check := f.get("/apply/check")
	for _, want := range []string{"Calder Valley Care Co-op", "Calderdale", "Day care", "Family carer", "Registered manager", "Cal Example"} {
		if !strings.Contains(check.body, want) {
			t.Errorf("check your answers does not show %q", want)
		}
	}
	// A "Change" link leads back to check your answers.
	if !strings.Contains(check.body, `href="/apply/about?change=1#name"`) {
		t.Errorf("check your answers has no Change link for the name")
	}
	if res := f.post("/apply/about", url.Values{"change": {"1"}, "programme": {programmeID}, "name": {"Calder Valley Care Co-op"},
		"legalForm": {pathway.FormCooperativeSociety}, "origin": {pathway.OriginNewStart}, "localAuthority": {"Calderdale"}}); res.path != "/apply/check" {
		t.Errorf("after a change the form went to %s, want /apply/check", res.path)
	}
	// A member removed on the members page leaves the list.
	if res := f.post("/apply/members", url.Values{"rows": {"3"}, "member-0-name": {"Ash Example"}, "member-0-class": {pathway.ClassWorker},
		"member-0-role": {pathway.MemberDirector}, "member-1-name": {"Cal Example"}, "member-1-class": {pathway.ClassFamilyCarer},
		"member-1-role": {pathway.MemberRegisteredManager}, "member-2-name": {"Dee Example"}, "member-2-class": {pathway.ClassWorker},
		"member-2-role": {pathway.MemberOrdinary}, "member-1-remove": {"yes"}}); res.path != "/apply/check" || strings.Contains(res.body, "Cal Example") || !strings.Contains(res.body, "Dee Example") {
		t.Errorf("removing a member: at %s, Cal shown %v, Dee shown %v", res.path, strings.Contains(res.body, "Cal Example"), strings.Contains(res.body, "Dee Example"))
	}

	// Send the draft twice: one co-op. The draft is kept on the server
	// under the founder, and a resent "Send" after the first finds it gone,
	// so it is asked to fill the form in again and makes nothing.
	first := f.post("/apply/check", url.Values{})
	if first.status != 200 || !strings.Contains(first.body, "Application sent") {
		t.Fatalf("submit = %d at %s", first.status, first.path)
	}
	if second := f.post("/apply/check", url.Values{}); second.status != 400 || second.path != "/apply/check" {
		t.Errorf("a second submit = %d at %s, want the form's errors", second.status, second.path)
	}
	coops, err := v.store.ListFounderCoops(v.ctx, founderID)
	v.must(err)
	if len(coops) != 1 {
		t.Fatalf("the founder has %d co-ops, want 1", len(coops))
	}
	c := coops[0]
	if c.Name != "Calder Valley Care Co-op" || c.LocalAuthority != "Calderdale" || len(c.Members) != 2 || c.Members[1].Name != "Dee Example" {
		t.Errorf("stored co-op = %+v", c)
	}
	// The draft is gone: the form starts empty again.
	if res := f.get("/apply/about"); strings.Contains(res.body, `value="Calder Valley Care Co-op"`) {
		t.Errorf("the submitted draft is still in the form")
	}
}

// TestTaskAnswersMoveTheJourney: the CQC submission date and CQC's
// decision, typed into the forms, reach the workflow.
func TestTaskAnswersMoveTheJourney(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Todmorden Support Co-op")
	v.accept(id)
	v.completeChecklist(id)
	f := v.visit(founderID)
	sub := v.task(id, pathway.TaskCQCSubmission, user(founderID))
	// The co-op applied today: founders apply to CQC on or after that day.
	today := pathway.UKToday(time.Now())
	day, month, year := strconv.Itoa(today.Day()), strconv.Itoa(int(today.Month())), strconv.Itoa(today.Year())
	if res := f.post("/tasks/"+sub.ID, url.Values{"submittedOn-day": {day}, "submittedOn-month": {month}, "submittedOn-year": {year}}); res.status != 200 || !strings.Contains(res.body, "Recorded: the co-op applied to CQC") {
		t.Fatalf("submission = %d at %s", res.status, res.path)
	}
	v.waitStage(id, pathway.StageCQCSubmitted)
	dec := v.task(id, pathway.TaskCQCDecision, user(founderID))
	if res := f.post("/tasks/"+dec.ID, url.Values{"outcome": {"registered"}, "providerId": {" 1-234567890 "},
		"decidedOn-day": {day}, "decidedOn-month": {month}, "decidedOn-year": {year}}); res.status != 200 || !strings.Contains(res.body, "Recorded: CQC registered the co-op") {
		t.Fatalf("decision = %d at %s", res.status, res.path)
	}
	c := v.waitStage(id, pathway.StageCQCRegistered)
	if c.ProviderID != "1-234567890" {
		t.Errorf("provider ID = %q", c.ProviderID)
	}
	// The answered task cannot be answered again.
	if res := f.post("/tasks/"+dec.ID, url.Values{"outcome": {"refused"}}); res.status != http.StatusConflict {
		t.Errorf("answering again = %d, want 409", res.status)
	}
	page := f.get("/coops/" + id)
	if !strings.Contains(page.body, "CQC provider ID 1-234567890") || strings.Count(page.body, ">Completed<") < 10 {
		t.Errorf("the registered co-op's task list is not complete")
	}
}

// TestStylesheet: every page links the stylesheet, which is served with a
// long cache life because its address changes with its content.
func TestStylesheet(t *testing.T) {
	v := newEnv(t)
	page := v.visit(founderID).get("/")
	_, rest, ok := strings.Cut(page.body, `<link rel="stylesheet" href="`)
	href, _, _ := strings.Cut(rest, `"`)
	if !ok || !strings.HasPrefix(href, "/assets/pages-") {
		t.Fatalf("no stylesheet link on the home page")
	}
	res, err := http.Get(v.srv.URL + href)
	v.must(err)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s = %d %q %q", href, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
	}
}

// TestApplyErrorsBelongToTheirStep: a step of the application form shows
// only the problems with its own questions, and check your answers links
// each problem to the step that asks the question.
func TestApplyErrorsBelongToTheirStep(t *testing.T) {
	v := newEnv(t)
	f := v.visit(founderID)
	about := f.post("/apply/about", url.Values{})
	if about.status != 400 || !strings.Contains(about.body, "Enter the co-op&#39;s name") {
		t.Fatalf("an empty about step = %d, want 400 asking for the name:\n%s", about.status, about.body)
	}
	if strings.Contains(about.body, "Choose at least one service") || strings.Contains(about.body, "Add at least one founding member") {
		t.Errorf("the about step shows the problems of later steps")
	}
	check := f.get("/apply/check")
	for _, href := range []string{`href="/apply/about#name"`, `href="/apply/services#services"`, `href="/apply/members#member-0-name"`} {
		if !strings.Contains(check.body, href) {
			t.Errorf("check your answers has no error link %s", href)
		}
	}
}

// countingStore counts the reads of the programme list.
type countingStore struct {
	pathway.Store
	lists atomic.Int32
}

func (s *countingStore) ListProgrammes(ctx context.Context) ([]*pathway.Programme, error) {
	s.lists.Add(1)
	return s.Store.ListProgrammes(ctx)
}

// TestApplyReadsProgrammesOnce: a step that checks the chosen programme and
// then shows the form again, and check your answers, read the open
// programmes once a request, not once for the check and again for the page.
func TestApplyReadsProgrammesOnce(t *testing.T) {
	v := newEnv(t)
	cs := &countingStore{Store: v.store}
	v.srv = httptest.NewServer(site(web.Config{Store: cs, Workflows: localsfn.New(v.engine), Auth: v.auth, Logger: quietLogger(),
		SignOutURL: "/auth/dev-logout"})) // the layout's sign-out form shows the visitor's CSRF token
	t.Cleanup(v.srv.Close)
	f := v.visit(founderID)
	f.csrf()
	reads := func(what string, res response, status int) {
		t.Helper()
		if res.status != status || !strings.Contains(res.body, "Choose a programme that is open for applications") {
			t.Fatalf("%s = %d, want %d saying the programme is not open", what, res.status, status)
		}
		if n := cs.lists.Swap(0); n != 1 {
			t.Errorf("%s read the programmes %d times, want once", what, n)
		}
	}
	cs.lists.Store(0)
	reads("POST /apply/about with a closed programme", f.post("/apply/about", url.Values{"programme": {"prog-closed"}}), 400)
	reads("GET /apply/check", f.get("/apply/check"), 200)
	reads("POST /apply/check", f.post("/apply/check", url.Values{}), 400)
}
