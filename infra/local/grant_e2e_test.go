package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/shared/giving360/givingschema"
)

// grantTask waits for the caller's open task of the kind on the grant
// application, looking through every page of the inbox; nil after wait.
func (c *client) grantTask(app, kind string, wait time.Duration) map[string]any {
	c.t.Helper()
	for deadline := time.Now().Add(wait); ; time.Sleep(50 * time.Millisecond) {
		for path := "/api/tasks?limit=100"; path != ""; {
			page := c.must(200, "GET", path, nil)
			for _, t := range list(page, "tasks") {
				subject, _ := t["subject"].(map[string]any)
				if subject["id"] == app && t["kind"] == kind && t["status"] == "open" {
					return t
				}
			}
			path = ""
			if next, _ := page["next"].(string); next != "" {
				path = "/api/tasks?limit=100&cursor=" + url.QueryEscape(next)
			}
		}
		if time.Now().After(deadline) {
			return nil
		}
	}
}

// mustGrantTask is grantTask that fails the test when no task comes.
func (c *client) mustGrantTask(app, kind string) map[string]any {
	c.t.Helper()
	if t := c.grantTask(app, kind, 30*time.Second); t != nil {
		return t
	}
	c.t.Fatalf("no open %s task on %s", kind, app)
	return nil
}

// waitGrantStatus polls the application until it reaches the status.
func (c *client) waitGrantStatus(id, status string) map[string]any {
	c.t.Helper()
	var last map[string]any
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		last = c.must(200, "GET", "/api/grant-applications/"+id, nil)
		if last["status"] == status {
			return last
		}
	}
	c.t.Fatalf("grant application %s did not reach %s: %v", id, status, last)
	return nil
}

// assignedReviewer returns the demo reviewer (among those not yet used)
// holding the application's open grant-review task, with the task.
func assignedReviewer(t *testing.T, reviewers map[string]*client, app string, skip ...string) (string, map[string]any) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
	next:
		for id, c := range reviewers {
			for _, s := range skip {
				if s == id {
					continue next
				}
			}
			if task := c.grantTask(app, "grant-review", 0); task != nil {
				return id, task
			}
		}
	}
	t.Fatalf("no reviewer was assigned to %s", app)
	return "", nil
}

// TestGrantJourneyOverHTTP carries a demo co-op's grant application from
// its sending to the first payment and the funder's 360Giving download
// through the API of the compiled local server, killing the server while
// the lead's decision is pending.
func TestGrantJourneyOverHTTP(t *testing.T) {
	bin, data := buildServer(t), t.TempDir()
	s := launch(t, bin, data, "--demo", "--index-lag", "50ms")
	founder := signIn(t, s.URL, demo.UserFounderCalder)
	coopID := demo.CalderdeneID()

	// The founder sees the open programmes, with the co-op's eligibility.
	progs := list(founder.must(200, "GET", "/api/grant-programmes", nil), "programmes")
	var ideas map[string]any
	for _, p := range progs {
		if p["id"] == demo.GrantIdeas {
			ideas = p
		}
	}
	if ideas == nil {
		t.Fatalf("the founder does not see %s: %v", demo.GrantIdeas, progs)
	}
	eligible := false
	for _, c := range list(ideas, "coops") {
		if c["coop"] == coopID {
			eligible, _ = c["eligible"].(bool)
		}
	}
	if !eligible {
		t.Fatalf("%s is not shown eligible for %s: %v", coopID, demo.GrantIdeas, ideas["coops"])
	}

	// The demo has awarded from the ideas grant already: what this journey
	// adds is measured from here.
	lead0 := signIn(t, s.URL, demo.UserFunderLead)
	start := lead0.must(200, "GET", "/api/grant-programmes/"+demo.GrantIdeas+"/budget", nil)

	// Applying, then retrying with the same key, makes one application.
	body := map[string]any{
		"programme": demo.GrantIdeas, "coop": coopID, "title": "A feasibility study",
		"purpose": "To find out how many families in the valley need care at home.",
		"amount":  150_000,
		"budget": []map[string]any{
			{"item": "Feasibility study", "amount": 100_000}, {"item": "Meetings", "amount": 50_000},
		},
		"timeline": "Three months from the award.",
	}
	app, id := applyOnce(t, founder, body)
	again, id2 := applyOnce(t, founder, body)
	if id2 != id || again["status"] == nil {
		t.Fatalf("a retried POST made another application: %v then %v", id, id2)
	}
	_ = app

	// Screening passes and the first reviewer is assigned.
	funderLead := lead0
	founder.waitGrantStatus(id, "in-review")
	reviewers := map[string]*client{}
	for _, r := range []string{demo.UserFunderReviewer1, demo.UserFunderReviewer2, demo.UserFunderReviewer3, demo.UserFunder} {
		reviewers[r] = signIn(t, s.URL, r)
	}
	first, firstTask := assignedReviewer(t, reviewers, id)
	r1 := reviewers[first]

	// Before declaring, the reviewer sees the names only.
	if v := r1.must(200, "GET", "/api/grant-applications/"+id, nil); v["limited"] != true || v["purpose"] != nil {
		t.Errorf("before declaring, the reviewer sees %v", v)
	}
	r1.must(200, "POST", "/api/grant-applications/"+id+"/declarations",
		map[string]any{"conflict": true, "reason": "I advised the founders last year."})
	for _, path := range []string{"/api/grant-applications/" + id, "/api/grant-applications/" + id + "/events"} {
		r1.must(404, "GET", path, nil)
	}
	r1.must(404, "POST", "/api/grant-applications/"+id+"/declarations", map[string]any{"conflict": false})
	if st, _ := r1.do("POST", fmt.Sprintf("/api/tasks/%v/decision", firstTask["id"]), review("award")); st != 404 {
		t.Errorf("the excluded reviewer answering their old task = %d, want 404", st)
	}

	// The next reviewers declare no conflict and review; two are needed.
	used := []string{first}
	for i, rec := range []string{"award", "revise"} {
		who, task := assignedReviewer(t, reviewers, id, used...)
		used = append(used, who)
		rc := reviewers[who]
		res := rc.must(200, "POST", "/api/grant-applications/"+id+"/declarations", map[string]any{"conflict": false})
		if a, _ := res["application"].(map[string]any); a == nil || a["purpose"] == nil {
			t.Errorf("reviewer %d does not see the application after declaring: %v", i+2, res)
		}
		rc.must(200, "POST", fmt.Sprintf("/api/tasks/%v/decision", task["id"]), review(rec))
	}
	r1.must(404, "GET", "/api/grant-applications/"+id, nil)

	// The lead sees the weighted score and decides, across a crash.
	view := funderLead.waitGrantStatus(id, "awaiting-decision")
	// (4×40 + 3×30 + 5×30) / 5 = 80%, in tenths of a percent.
	if view["weightedScore"] != float64(800) || len(list(view, "reviews")) != 2 {
		t.Fatalf("the lead sees weighted score %v and %d reviews, want 800 and 2", view["weightedScore"], len(list(view, "reviews")))
	}
	for _, task := range list(view, "openTasks") {
		if task["token"] != nil {
			t.Errorf("the lead's view shows the workflow's task token: %v", task)
		}
	}
	decision := funderLead.mustGrantTask(id, "grant-decision")
	s.kill()
	s = launch(t, bin, data, "--index-lag", "50ms", "--sweep-every", "200ms")
	for _, c := range append([]*client{founder, funderLead}, values(reviewers)...) {
		c.base = s.URL
	}
	on := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	award := map[string]any{
		"outcome": "award", "amount": 150_000, "conditions": []string{"Share the study with the agency."},
		"tranches": []map[string]any{
			{"amount": 75_000, "trigger": "agreement"}, {"amount": 75_000, "trigger": "date", "on": on},
		},
		"feedback": "A clear plan; we look forward to the study.",
	}
	path := fmt.Sprintf("/api/tasks/%v/decision", decision["id"])
	if answered := funderLead.must(200, "POST", path, award); answered["token"] != nil || answered["id"] != decision["id"] {
		t.Errorf("the answer shows %v, want the task without its token", answered)
	}
	funderLead.must(409, "POST", path, award)
	founder.waitGrantStatus(id, "awarded")

	agreement := founder.mustGrantTask(id, "grant-agreement")
	founder.must(200, "POST", fmt.Sprintf("/api/tasks/%v/decision", agreement["id"]), map[string]any{"outcome": "accept"})
	founder.waitGrantStatus(id, "active")

	// The agreement opens the first tranche: the funder records its payment.
	pay := reviewers[demo.UserFunder].mustGrantTask(id, "grant-payment")
	today := time.Now().Format(time.DateOnly)
	reviewers[demo.UserFunder].must(200, "POST", fmt.Sprintf("/api/tasks/%v/decision", pay["id"]),
		map[string]any{"paidOn": today, "reference": "HCF-0001"})
	var budget map[string]any
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		budget = funderLead.must(200, "GET", "/api/grant-programmes/"+demo.GrantIdeas+"/budget", nil)
		if budget["paid"] == start["paid"].(float64)+75_000 {
			break
		}
	}
	want := map[string]float64{"budget": 2_000_000, "awarded": start["awarded"].(float64) + 150_000,
		"paid": start["paid"].(float64) + 75_000, "remaining": start["remaining"].(float64) - 150_000}
	for k, v := range want {
		if budget[k] != v {
			t.Errorf("budget %s = %v, want %v (%v)", k, budget[k], v, budget)
		}
	}
	time.Sleep(200 * time.Millisecond) // past the index lag, so the paid task is gone from lists
	if second := reviewers[demo.UserFunder].grantTask(id, "grant-payment", 0); second != nil {
		t.Errorf("the dated tranche is due for payment before its date: %v", second)
	}

	checkGiving(t, funderLead, id)
}

// checkGiving downloads the funder's 360Giving package, validates it
// against the official schema and checks the CSV has a row per grant.
func checkGiving(t *testing.T, lead *client, app string) {
	t.Helper()
	raw := lead.raw("/api/funders/" + demo.OrgFund + "/360giving.json")
	if err := givingschema.Validate(raw); err != nil {
		t.Errorf("the 360Giving package does not validate: %v\n%s", err, raw)
	}
	var pkg struct {
		Grants []struct {
			ID     string  `json:"id"`
			Amount float64 `json:"amountAwarded"`
		} `json:"grants"`
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, g := range pkg.Grants {
		found = found || (g.Amount == 1500 && bytes.Contains([]byte(g.ID), []byte(demo.FundGivingPrefix+"-")))
	}
	if !found {
		t.Errorf("the package has no £1,500 grant with the funder's prefix: %s", raw)
	}
	rows, err := csv.NewReader(bytes.NewReader(lead.raw("/api/funders/" + demo.OrgFund + "/360giving.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(pkg.Grants)+1 {
		t.Errorf("the CSV has %d rows, want a header and %d grants", len(rows), len(pkg.Grants))
	}
}

// raw returns a GET's body, failing unless it is 200.
func (c *client) raw(path string) []byte {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		c.t.Fatalf("GET %s = %d: %s", path, res.StatusCode, b)
	}
	return b
}

// applyOnce sends the application with a fixed idempotency key and checks
// the answer: 201 and the Location of the application.
func applyOnce(t *testing.T, founder *client, body map[string]any, key ...string) (map[string]any, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", founder.base+"/api/grant-applications", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+founder.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", append(key, "e2e-grant-1")[0])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var v map[string]any
	_ = json.NewDecoder(res.Body).Decode(&v)
	if res.StatusCode != 201 {
		t.Fatalf("applying = %d: %v", res.StatusCode, v)
	}
	id, _ := v["id"].(string)
	if id == "" || res.Header.Get("Location") != "/api/grant-applications/"+url.PathEscape(id) {
		t.Fatalf("application %q at Location %q", id, res.Header.Get("Location"))
	}
	return v, id
}

// review is a reviewer's scores for the demo ideas grant.
func review(recommendation string) map[string]any {
	return map[string]any{
		"scores":         map[string]int{"need": 4, "idea": 3, "group": 5},
		"comments":       map[string]string{"need": "Good local evidence."},
		"recommendation": recommendation,
	}
}

func values(m map[string]*client) []*client {
	out := make([]*client, 0, len(m))
	for _, c := range m {
		out = append(out, c)
	}
	return out
}

// demoGrant returns the ID of the demo's grant application with the key.
func demoGrant(t *testing.T, key string) string {
	t.Helper()
	for _, l := range demo.LiveGrants() {
		if l.Key == key {
			return l.ID()
		}
	}
	t.Fatalf("no demo grant %s", key)
	return ""
}

// demoCoop returns the ID of the demo's live co-op with the key.
func demoCoop(t *testing.T, key string) string {
	t.Helper()
	for _, l := range demo.Live {
		if l.Key == key {
			return l.ID()
		}
	}
	t.Fatalf("no demo co-op %s", key)
	return ""
}

// answerTask answers the caller's open task of the kind on the
// application, wanting 200. The inbox is an index, which lags: a task
// answered a moment ago may still be listed, and answering it again is
// 409, so it looks again.
func (c *client) answerTask(app, kind string, body any) {
	c.t.Helper()
	for range 50 {
		task := c.mustGrantTask(app, kind)
		status, m := c.do("POST", fmt.Sprintf("/api/tasks/%v/decision", task["id"]), body)
		if status == 200 {
			return
		}
		if status != 409 {
			c.t.Fatalf("answering %s %v = %d: %v", kind, task["id"], status, m)
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatalf("every open %s task on %s was answered already", kind, app)
}

// TestGrantTranchesOverHTTP releases tranches the ways only the running
// server can: the demo's awarded start-up grant is accepted and its second
// tranche released by the co-op's CQC registration, recorded through the
// registration workflow; and a new grant's tranche waits for a monitoring
// report, returned once, then accepted, after which the grant closes.
func TestGrantTranchesOverHTTP(t *testing.T) {
	bin, data := buildServer(t), t.TempDir()
	// Releases by CQC registration are sent by the outbox's sweep (the
	// registration workflow's step stores them; it cannot call the grant
	// workflow): sweep often.
	s := launch(t, bin, data, "--demo", "--index-lag", "50ms", "--sweep-every", "200ms")
	funder := signIn(t, s.URL, demo.UserFunder)
	today := time.Now().Format(time.DateOnly)
	paid := func(app string, tranche int) bool {
		a := funder.must(200, "GET", "/api/grant-applications/"+app, nil)
		award, _ := a["award"].(map[string]any)
		trs := list(award, "tranches")
		return len(trs) > tranche && trs[tranche]["status"] == "paid"
	}

	// CQC registration releases the second tranche.
	colne, colneCoop := demoGrant(t, "demo-grant-colne"), demoCoop(t, "demo-colne")
	idris := signIn(t, s.URL, demo.UserFounderCalder2)
	idris.answerTask(colne, "grant-agreement", map[string]any{"outcome": "accept"})
	idris.waitGrantStatus(colne, "active")
	funder.answerTask(colne, "grant-payment", map[string]any{"paidOn": today, "reference": "HCF-COLNE-1"})
	dec := idris.openTask(colneCoop, "cqc-decision")
	idris.must(200, "POST", fmt.Sprintf("/api/tasks/%v/decision", dec["id"]),
		map[string]string{"outcome": "registered", "providerId": "1-234567891", "decidedOn": today})
	idris.waitStage(colneCoop, "cqc-registered")
	funder.answerTask(colne, "grant-payment", map[string]any{"paidOn": today, "reference": "HCF-COLNE-2"})
	if !paid(colne, 0) || !paid(colne, 1) {
		t.Errorf("Colne's tranches are not both paid")
	}
	// No reports were set, so the last payment closes the grant.
	idris.waitGrantStatus(colne, "closed")

	// A report releases the second tranche of a new grant.
	founder := signIn(t, s.URL, demo.UserFounderCalder)
	lead := signIn(t, s.URL, demo.UserFunderLead)
	app, _ := applyOnce(t, founder, map[string]any{
		"programme": demo.GrantIdeas, "coop": demo.CalderdeneID(), "title": "Training in care co-operation",
		"purpose": "Two days' training for the founding group.", "amount": 100_000,
		"budget": []map[string]any{{"item": "Trainer", "amount": 100_000}}, "timeline": "This spring.",
	})
	id, _ := app["id"].(string)
	reviewers := map[string]*client{}
	for _, r := range []string{demo.UserFunderReviewer1, demo.UserFunderReviewer2, demo.UserFunderReviewer3, demo.UserFunder} {
		reviewers[r] = signIn(t, s.URL, r)
	}
	var used []string
	for range 2 {
		who, task := assignedReviewer(t, reviewers, id, used...)
		used = append(used, who)
		reviewers[who].must(200, "POST", "/api/grant-applications/"+id+"/declarations", map[string]any{"conflict": false})
		reviewers[who].must(200, "POST", fmt.Sprintf("/api/tasks/%v/decision", task["id"]), review("award"))
	}
	lead.waitGrantStatus(id, "awaiting-decision")
	due := time.Now().AddDate(0, 0, 7).Format(time.DateOnly) // inside the reminder: the report task opens at once
	lead.answerTask(id, "grant-decision", map[string]any{
		"outcome": "award", "amount": 100_000, "feedback": "Good.", "reports": []string{due},
		"tranches": []map[string]any{{"amount": 60_000, "trigger": "agreement"}, {"amount": 40_000, "trigger": "report"}},
	})
	founder.answerTask(id, "grant-agreement", map[string]any{"outcome": "accept"})
	funder.answerTask(id, "grant-payment", map[string]any{"paidOn": today, "reference": "HCF-CAL-1"})
	report := map[string]any{"summary": "The founding group trained for two days.",
		"figures": map[string]any{"membersByClass": map[string]int{"worker": 3}, "paidJobs": 0}}
	founder.answerTask(id, "grant-report", report)
	funder.answerTask(id, "grant-report-review", map[string]any{"outcome": "returned", "comment": "Please add the hours of care."})
	report["figures"].(map[string]any)["careHoursPerWeek"] = 12
	founder.answerTask(id, "grant-report", report)
	funder.answerTask(id, "grant-report-review", map[string]any{"outcome": "accepted"})
	funder.answerTask(id, "grant-payment", map[string]any{"paidOn": today, "reference": "HCF-CAL-2"})
	v := founder.waitGrantStatus(id, "closed")
	reps := list(v, "reports")
	if len(reps) != 1 || reps[0]["status"] != "accepted" || !paid(id, 1) {
		t.Errorf("closed grant: reports %v", reps)
	}

	// Every reviewer declares a conflict: the lead is asked, and may have
	// the workflow look for a reviewer again.
	app, _ = applyOnce(t, founder, map[string]any{
		"programme": demo.GrantStartUp, "coop": demo.CalderdeneID(), "title": "A registered manager",
		"purpose": "The registered manager's first months.", "amount": 600_000,
		"budget": []map[string]any{{"item": "Salary", "amount": 600_000}}, "timeline": "This year.",
	}, "e2e-grant-2")
	id, _ = app["id"].(string)
	used = nil
	for range reviewers {
		who, _ := assignedReviewer(t, reviewers, id, used...)
		used = append(used, who)
		reviewers[who].must(200, "POST", "/api/grant-applications/"+id+"/declarations",
			map[string]any{"conflict": true, "reason": "A relative is a founder."})
	}
	asked := lead.mustGrantTask(id, "grant-no-reviewer")
	lead.must(200, "POST", fmt.Sprintf("/api/tasks/%v/decision", asked["id"]), map[string]any{"outcome": "retry"})
	again := asked
	for deadline := time.Now().Add(30 * time.Second); again["id"] == asked["id"] && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		again = lead.mustGrantTask(id, "grant-no-reviewer") // still nobody: asked again
	}
	if again["id"] == asked["id"] {
		t.Errorf("the lead was not asked again after looking for a reviewer again")
	}
	if v := lead.must(200, "GET", "/api/grant-applications/"+id, nil); v["status"] != "in-review" {
		t.Errorf("with no reviewer left the application is %v, want in-review", v["status"])
	}
}
