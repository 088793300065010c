package pages_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// journeyEnv has one co-op at each point of the journey, moved there by the
// real workflows.
type journeyEnv struct {
	*env
	panel, preparing, ready, submitted, declined string
}

func newJourneyEnv(t *testing.T) *journeyEnv {
	v := &journeyEnv{env: newEnv(t)}
	v.panel = v.apply("Calder Valley Care Co-op")
	v.preparing = v.apply("Hebden Home Care Co-op")
	v.accept(v.preparing)
	items := v.items(v.preparing)
	v.markDone(v.preparing, items[0].ID)
	v.markDone(v.preparing, items[1].ID)
	v.verify(v.preparing, items[1].ID, journey.VerifyReturned, "Please add the signed version.")
	v.markDone(v.preparing, items[2].ID)
	v.verify(v.preparing, items[2].ID, journey.VerifyAccepted, "")
	v.ready = v.apply("Todmorden Support Co-op")
	v.accept(v.ready)
	v.completeChecklist(v.ready)
	v.submitted = v.apply("Ryburn Care Co-op")
	v.accept(v.submitted)
	v.completeChecklist(v.submitted)
	v.decide(v.submitted, pathway.TaskCQCSubmission, founderID, &journey.SubmissionAnswer{SubmittedOn: pathway.UKToday(time.Now()).Format(time.DateOnly)})
	v.waitStage(v.submitted, pathway.StageCQCSubmitted)
	v.declined = v.apply("Luddenden Care Co-op")
	v.decide(v.declined, pathway.TaskPanelDecision, officerID, &journey.PanelAnswer{Outcome: "decline", Notes: "The business plan is not ready yet."})
	v.waitStage(v.declined, pathway.StageDeclined)
	return v
}

// crawl visits every page reachable by links from the roots as the user,
// checks each, and returns the paths visited.
func crawl(t *testing.T, vi *visitor, roots ...string) []string {
	t.Helper()
	seen := map[string]bool{}
	queue := slices.Clone(roots)
	var visited []string
	for len(queue) > 0 && len(visited) < 400 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		res := vi.get(p)
		visited = append(visited, p)
		if res.status != 200 {
			t.Errorf("GET %s = %d, want 200 (every link must work)", p, res.status)
			continue
		}
		if probs := checkPage(res.body, vi.csrf()); len(probs) > 0 {
			t.Errorf("GET %s:\n  %s", p, strings.Join(probs, "\n  "))
		}
		for _, l := range links(res.body) {
			// Downloads (/api/…csv) are files, not pages: the API's tests check them.
			if !seen[l] && !strings.HasPrefix(l, "/assets/") && !strings.HasPrefix(l, "/api/") {
				queue = append(queue, l)
			}
		}
	}
	return visited
}

// TestEveryPageKeepsTheRules crawls the site as a founder and as agency
// staff, with co-ops at every point of the journey, and checks every page:
// it parses, has one h1, headings in order, a label for every control and
// the CSRF field in every form; and every link works.
func TestEveryPageKeepsTheRules(t *testing.T) {
	v := newJourneyEnv(t)
	founder := crawl(t, v.visit(founderID), "/", "/apply", "/apply/about", "/apply/services", "/apply/members", "/apply/check", "/tasks")
	agency := crawl(t, v.visit(officerID), "/", "/tasks")
	// The crawl must have reached each kind of page, or it proves little.
	for _, want := range []string{
		"/coops/" + v.preparing, "/coops/" + v.preparing + "/application", "/coops/" + v.preparing + "/checklist/policies",
		"/coops/" + v.preparing + "/items/" + pathway.ItemOrgLegal, "/coops/" + v.declined + "/history",
	} {
		if !slices.Contains(founder, want) {
			t.Errorf("the founder's crawl did not reach %s", want)
		}
	}
	for _, want := range []string{"/board", "/coops/" + v.panel, "/coops/" + v.submitted + "/checklist/finance"} {
		if !slices.Contains(agency, want) {
			t.Errorf("the agency's crawl did not reach %s", want)
		}
	}
	hasTask := func(paths []string) bool {
		return slices.ContainsFunc(paths, func(p string) bool { return strings.HasPrefix(p, "/tasks/") })
	}
	if !hasTask(founder) || !hasTask(agency) {
		t.Errorf("a crawl reached no task page: founder %v, agency %v", hasTask(founder), hasTask(agency))
	}
	// The local sign-in page shares the layout and keeps the same rules.
	anon := v.visit("")
	signIn := anon.get("/")
	if signIn.path != "/auth/dev-users" || strings.Count(signIn.body, `action="/auth/dev-login"`) != len(users) {
		t.Errorf("the sign-in page (%s) does not list every user", signIn.path)
	}
	if probs := checkPage(signIn.body, anon.csrf()); len(probs) > 0 {
		t.Errorf("sign-in page:\n  %s", strings.Join(probs, "\n  "))
	}
	t.Logf("checked %d founder pages and %d agency pages", len(founder), len(agency))
}

// TestErrorPagesKeepTheRules checks the pages a person sees after a
// mistake: forms shown again with an error summary whose links reach the
// fields, and the "page not found" page.
func TestErrorPagesKeepTheRules(t *testing.T) {
	v := newJourneyEnv(t)
	f, a := v.visit(founderID), v.visit(officerID)
	panel := v.task(v.panel, pathway.TaskPanelDecision, user(officerID))
	sub := v.task(v.ready, pathway.TaskCQCSubmission, user(founderID))
	dec := v.task(v.submitted, pathway.TaskCQCDecision, user(founderID))
	items := v.items(v.preparing)
	cases := []struct {
		name    string
		vi      *visitor
		path    string
		form    url.Values
		errorTo []string // ids the error summary links to
	}{
		{"empty about step", f, "/apply/about", url.Values{}, []string{"programme", "name", "legalForm", "origin", "localAuthority"}},
		{"no services", f, "/apply/services", url.Values{}, []string{"services"}},
		{"no members", f, "/apply/members", url.Values{"rows": {"1"}}, []string{"member-0-name"}},
		{"member without a role", f, "/apply/members", url.Values{"rows": {"1"}, "member-0-name": {"Ash Example"}, "member-0-class": {"worker"}}, []string{"member-0-role"}},
		{"evidence missing", f, "/coops/" + v.preparing + "/items/" + items[3].ID, url.Values{"evidence": {" "}, "link": {"ftp://x"}}, []string{"evidence", "link"}},
		{"no verification", a, "/coops/" + v.preparing + "/items/" + items[0].ID + "/verify", url.Values{}, []string{"outcome"}},
		{"return without comment", a, "/coops/" + v.preparing + "/items/" + items[0].ID + "/verify", url.Values{"outcome": {"returned"}}, []string{"comment"}},
		{"decline without reasons", a, "/tasks/" + panel.ID, url.Values{"outcome": {"decline"}}, []string{"notes"}},
		{"no panel decision", a, "/tasks/" + panel.ID, url.Values{}, []string{"outcome"}},
		{"impossible date", f, "/tasks/" + sub.ID, url.Values{"submittedOn-day": {"31"}, "submittedOn-month": {"2"}, "submittedOn-year": {"2026"}}, []string{"submittedOn"}},
		{"future date", f, "/tasks/" + sub.ID, url.Values{"submittedOn-day": {"1"}, "submittedOn-month": {"1"}, "submittedOn-year": {"2999"}}, []string{"submittedOn"}},
		{"registered without provider id", f, "/tasks/" + dec.ID, url.Values{"outcome": {"registered"}}, []string{"providerId"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := c.vi.post(c.path, c.form)
			if res.status != 400 {
				t.Fatalf("POST %s = %d, want 400 with the form again:\n%s", c.path, res.status, res.body)
			}
			if probs := checkPage(res.body, c.vi.csrf()); len(probs) > 0 {
				t.Errorf("%s", strings.Join(probs, "\n"))
			}
			if !strings.Contains(res.body, "<title>Error: ") || !strings.Contains(res.body, "There is a problem") {
				t.Errorf("no error title or summary")
			}
			for _, id := range c.errorTo {
				if !strings.Contains(res.body, `href="#`+id+`"`) {
					t.Errorf("the error summary does not link to #%s", id)
				}
			}
		})
	}
	for _, path := range []string{"/coops/coop-nobody-knows", "/no/such/page", "/tasks/no-such-task", "/board/" + otherProg + "/applied", "/board/" + programmeID + "/no-stage"} {
		res := a.get(path)
		if res.status != 404 || !strings.Contains(res.body, "Page not found") {
			t.Errorf("GET %s = %d, want the 404 page", path, res.status)
		}
		if probs := checkPage(res.body, a.csrf()); len(probs) > 0 {
			t.Errorf("GET %s: %s", path, strings.Join(probs, "\n"))
		}
	}
}
