package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// overdueEvaluation opens, as the workflow's escalation does, Ulric
// Example's reopened evaluation of the bid (due at the moment it went
// overdue) and the lead's tender-evaluation-overdue task holding the same
// task token; and Tamsin Example's evaluation, still on time.
func (v *councilTenderEnv) overdueEvaluation(bid string, due time.Time) (lead, late *pathway.Task) {
	v.t.Helper()
	put := func(id, kind, role, user, title string, due time.Time, token string) *pathway.Task {
		tk, err := v.store.PutTask(v.ctx, &pathway.Task{ID: id, Kind: kind, Subject: tenders.BidSubject(bid), Organisation: tcCouncil,
			Role: role, User: user, Title: title, Due: due, Token: token, Status: pathway.TaskOpen, CreatedAt: v.now()})
		v.must(err)
		return tk
	}
	put("task-on-time", tenders.TaskEvaluation, pathway.RoleCommissioner, tcEval1, "Evaluate a bid", v.now().Add(72*time.Hour), "token-on-time")
	late = put("task-late", tenders.TaskEvaluation, pathway.RoleCommissioner, tcEval2, "Overdue evaluation of a bid", due, "token-late")
	lead = put("task-overdue", tenders.TaskEvaluationOverdue, pathway.RoleCommissionerLead, "", "An evaluation is overdue: Home care in Harrowdale",
		v.now().Add(7*24*time.Hour), "token-late")
	return lead, late
}

// TestTenderCouncilOverdueEvaluation: the lead's overdue-evaluation task
// says which bid, which evaluator and when it was due, and what each
// choice means; "Go on without this evaluation" answers
// {"outcome":"excuse"} to the workflow; an evaluator may read but not
// answer it, and a forged outcome is refused.
func TestTenderCouncilOverdueEvaluation(t *testing.T) {
	v := newCouncilTenderEnv(t)
	id := v.publishedTender()
	bidA := v.bid(tcFounder, id, tcCoopA, 50_000_00, "Hazel's carers stay with the same people.")
	v.closeTender(id)
	due := time.Date(2027, 6, 25, 11, 0, 0, 0, time.UTC) // noon in the UK
	task, _ := v.overdueEvaluation(bidA, due)

	lead := v.visit(tcLead)
	if res := lead.get("/tasks"); !strings.Contains(res.body, `href="/tasks/`+task.ID+`"`) {
		t.Errorf("the lead's inbox lacks the overdue task:\n%s", res.body)
	}
	res := lead.get("/tasks/" + task.ID)
	tcCheck(t, lead, res)
	if res.status != http.StatusOK {
		t.Fatalf("overdue task: %d\n%s", res.status, res.body)
	}
	for _, want := range []string{"Hazel Care Co-operative", "Ulric Example", "midday on 25 June 2027", "Go on without this evaluation",
		"ask Ulric Example to declare their interests and score the bid", "moderate it with the other evaluators"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the overdue task's page lacks %q", want)
		}
	}
	for _, hidden := range []string{"Tamsin Example", "stay with the same people"} {
		if strings.Contains(res.body, hidden) {
			t.Errorf("the overdue task's page shows %q", hidden)
		}
	}

	// An evaluator reads it but may not answer it.
	ev := v.visit(tcEval1)
	if res := ev.post("/tasks/"+task.ID, url.Values{"outcome": {"excuse"}}); res.status != http.StatusForbidden {
		t.Errorf("an evaluator's answer: %d", res.status)
	}
	// A forged outcome is refused, named against the button.
	if res := lead.post("/tasks/"+task.ID, url.Values{"outcome": {"forget it"}}); res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#outcome"`) {
		t.Errorf("a forged outcome: %d\n%s", res.status, res.body)
	}
	if res := lead.postRaw("/tasks/"+task.ID, url.Values{"outcome": {"excuse"}}); res.status != http.StatusForbidden {
		t.Errorf("an answer without a CSRF token: %d", res.status)
	}

	res = lead.post("/tasks/"+task.ID, url.Values{"outcome": {"excuse"}})
	if res.status != http.StatusOK || !strings.HasPrefix(res.path, "/tenders/"+id) || !strings.Contains(res.body, "You went on without the overdue evaluation") {
		t.Fatalf("excused: %d %s\n%s", res.status, res.path, res.body)
	}
	done, err := v.store.GetTask(v.ctx, task.ID)
	v.must(err)
	if done.Status != pathway.TaskCompleted || done.CompletedBy != tcLead || string(done.Outcome) != `{"outcome":"excuse"}` {
		t.Errorf("the overdue task is %s by %s with %s", done.Status, done.CompletedBy, done.Outcome)
	}
	if res := lead.post("/tasks/"+task.ID, url.Values{"outcome": {"excuse"}}); res.status != http.StatusConflict {
		t.Errorf("answering again: %d", res.status)
	}
}

// TestBrowserTenderCouncilOverdue: the overdue task's page at 1280 and
// 320 pixels fits the width and has no WCAG 2.1 A or AA violation
// axe-core finds, before and after the lead goes on without the evaluation.
func TestBrowserTenderCouncilOverdue(t *testing.T) {
	v := newCouncilTenderEnv(t)
	id := v.publishedTender()
	bidA := v.bid(tcFounder, id, tcCoopA, 50_000_00, "Hazel's carers stay with the same people.")
	v.closeTender(id)
	task, _ := v.overdueEvaluation(bidA, v.now().Add(-time.Hour))
	for _, width := range []int64{1280, 320} {
		b := v.newBrowser(t, width, 900)
		b.signIn("Ysolde Example")
		b.click(`//nav//a[contains(., "Tasks")]`)
		b.click(`//main//a[@href="/tasks/` + task.ID + `"]`)
		b.waitText("Ulric Example")
		b.fitsWidth()
		b.shot("tender-overdue-" + itoa(int(width)))
	}
	b := v.newBrowser(t, 1024, 900)
	b.signIn("Ysolde Example")
	b.visit("/tasks/" + task.ID)
	b.press("Go on without this evaluation")
	b.waitText("You went on without the overdue evaluation")
}

// TestTenderOverdueEvaluationOnEngine: on the real tender workflow, an
// evaluator who does not score by the due date (the evaluation's timeout
// on the engine's fake clock) gives the lead the overdue task; the lead's
// "Go on without this evaluation" on its page reaches the workflow, which
// closes the evaluator's task and moves on to moderation with the other
// evaluator's scores.
func TestTenderOverdueEvaluationOnEngine(t *testing.T) {
	v := newTenderJourneyEnv(t)
	in := councilTenderInput()
	tv, err := v.svc.CreateTender(v.ctx, councilUser(tcLead), in)
	v.must(err)
	_, err = v.svc.Publish(v.ctx, councilUser(tcLead), tv.ID)
	v.must(err)
	b, err := v.svc.Submit(v.ctx, user(founderID), tenderservice.BidID(founderID, ""), tenderservice.BidInput{
		Tender: tv.ID, Coop: tjCoopA, Lots: []tenders.LotPrice{{Lot: "north", Price: 50_000_00}},
		Responses: map[string]string{"care": "Three carers who know each person.", "local": "We hire in Harrowdale."}})
	v.must(err)
	v.until(in.TendersCloseAt.Add(time.Minute))

	// Tamsin Example scores on time; Ulric Example does not.
	first := v.tenderTask(tenders.BidSubject(b.ID), tenders.TaskEvaluation, tcEval1)
	ev := v.visit(tcEval1)
	ev.post("/tasks/"+first.ID, url.Values{"step": {"declare"}, "conflict": {"no"}})
	if res := ev.post("/tasks/"+first.ID, url.Values{"score-care": {"4"}, "reason-care": {"A clear plan."}, "score-local": {"3"}, "reason-local": {"Some local hiring."}}); !strings.Contains(res.body, "Your scores are saved") {
		t.Fatalf("scored: %d\n%s", res.status, res.body)
	}
	late := v.tenderTask(tenders.BidSubject(b.ID), tenders.TaskEvaluation, tcEval2)
	v.until(late.Due.Add(time.Minute))
	overdue := v.tenderTask(tenders.BidSubject(b.ID), tenders.TaskEvaluationOverdue, "")

	lead := v.visit(tcLead)
	res := lead.get("/tasks/" + overdue.ID)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Juniper Care Co-operative") || !strings.Contains(res.body, "Ulric Example") {
		t.Fatalf("overdue task: %d\n%s", res.status, res.body)
	}
	res = lead.post("/tasks/"+overdue.ID, url.Values{"outcome": {"excuse"}})
	if !strings.Contains(res.body, "You went on without the overdue evaluation") {
		t.Fatalf("excused: %d %s\n%s", res.status, res.path, res.body)
	}
	v.waitTender(tv.ID, tenders.StatusModeration)
	v.tenderTask(tenders.BidSubject(b.ID), tenders.TaskModeration, "")
	ts, err := v.store.ListTasks(v.ctx, pathway.TaskFilter{Subject: tenders.BidSubject(b.ID)})
	v.must(err)
	for _, tk := range ts {
		if tk.Kind == tenders.TaskEvaluation && tk.User == tcEval2 && tk.Status == pathway.TaskOpen {
			t.Errorf("Ulric Example's evaluation %s is still open after the lead went on without it", tk.ID)
		}
	}
}
