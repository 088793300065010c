package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// applyForGrant has the founder apply for a grant through the pages (the
// form, check your answers, send) and returns the application's ID.
func applyForGrant(t *testing.T, v *env, coop string) string {
	t.Helper()
	founder := v.visit(founderID)
	res := founder.get("/grants")
	if res.status != http.StatusOK || !strings.Contains(res.body, "Hollyfield Start-up Grants") || !strings.Contains(res.body, "can apply") {
		t.Fatalf("grants page: %d\n%s", res.status, res.body)
	}
	res = founder.get("/grants/programmes/" + grantProg + "/apply?coop=" + url.QueryEscape(coop))
	if res.status != http.StatusOK {
		t.Fatalf("apply form: %d\n%s", res.status, res.body)
	}
	key := hiddenValue(t, res.body, "key")
	form := url.Values{"key": {key}, "coop": {coop}, "title": {"Training our first carers"},
		"purpose": {"Care Certificate training for six carers."}, "amount": {"5,000"},
		"item-1": {"Training"}, "lineAmount-1": {"3000"}, "item-2": {"Manager time"}, "lineAmount-2": {"1500"}, "step": {"check"}}
	// Lines that do not add up are an error naming the budget.
	res = founder.post("/grants/programmes/"+grantProg+"/apply", form)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "add up to £4,500, not the £5,000") {
		t.Fatalf("budget that does not add up: %d\n%s", res.status, res.body)
	}
	form.Set("lineAmount-2", "2000")
	res = founder.post("/grants/programmes/"+grantProg+"/apply", form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Check your answers") || !strings.Contains(res.body, "£5,000") {
		t.Fatalf("check page: %d\n%s", res.status, res.body)
	}
	form.Set("step", "send")
	res = founder.post("/grants/programmes/"+grantProg+"/apply", form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your grant application is sent") {
		t.Fatalf("send: %d %s\n%s", res.status, res.path, res.body)
	}
	id := grantAppID(t, res.path)
	// Sending again with the same key stores nothing new.
	again := founder.post("/grants/programmes/"+grantProg+"/apply", form)
	if grantAppID(t, again.path) != id {
		t.Fatalf("a resent form made application %s, not %s", again.path, id)
	}
	return id
}

// TestGrantConflictGate: before declaring, a reviewer sees the co-op's
// names only; a reviewer who declares a conflict is told the application
// and its task are not found, for good; the next reviewer declares none and
// sees the whole application with the review form.
func TestGrantConflictGate(t *testing.T) {
	v := newEnv(t)
	v.seedGrants()
	coop := v.apply("Calder Grant Co-op")
	id := applyForGrant(t, v, coop)

	task := v.grantTask(coop, id, grants.TaskReview)
	first := v.visit(task.User)
	res := first.get("/grants/applications/" + url.PathEscape(id))
	if res.status != http.StatusOK {
		t.Fatalf("limited view: %d\n%s", res.status, res.body)
	}
	for _, want := range []string{"Calder Grant Co-op", "Calderdale", "Ash Example", "Cal Example", "Dee Example", "Declare your interests"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("limited view lacks %q", want)
		}
	}
	for _, hidden := range []string{"Training our first carers", "Care Certificate", "£5,000", "Manager time"} {
		if strings.Contains(res.body, hidden) {
			t.Errorf("limited view shows %q before the reviewer declared", hidden)
		}
	}
	if problems := checkPage(res.body, first.csrf()); len(problems) > 0 {
		t.Errorf("limited view: %v", problems)
	}
	// A conflict needs its reason, named in the error summary.
	res = first.post("/grants/applications/"+url.PathEscape(id)+"/declaration", url.Values{"conflict": {"yes"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#reason"`) {
		t.Fatalf("conflict without a reason: %d\n%s", res.status, res.body)
	}
	res = first.post("/grants/applications/"+url.PathEscape(id)+"/declaration", url.Values{"conflict": {"yes"}, "reason": {"The treasurer is my cousin."}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "you will not see it again") {
		t.Fatalf("conflict: %d %s\n%s", res.status, res.path, res.body)
	}
	for _, path := range []string{"/grants/applications/" + url.PathEscape(id), "/tasks/" + url.PathEscape(task.ID)} {
		if res := first.get(path); res.status != http.StatusNotFound {
			t.Errorf("after a conflict, %s answers %d, want 404", path, res.status)
		}
	}

	second := otherReviewer(task.User)
	next := v.grantTask(coop, id, grants.TaskReview)
	if next.User != second {
		t.Fatalf("the review went to %q, want %q", next.User, second)
	}
	rv := v.visit(second)
	res = rv.post("/grants/applications/"+url.PathEscape(id)+"/declaration", url.Values{"conflict": {"no"}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Care Certificate training") || !strings.Contains(res.body, "Send your review") {
		t.Fatalf("after no conflict: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, rv.csrf()); len(problems) > 0 {
		t.Errorf("review form: %v", problems)
	}
	// The first reviewer still sees nothing, in lists too.
	if res := first.get("/grants/programmes/" + grantProg + "?status=in-review"); strings.Contains(res.body, id) {
		t.Errorf("the excluded reviewer's list shows the application")
	}
}

// reviewThroughPages has the assigned reviewer (after any conflict) declare
// no conflict and send a review through the pages, and returns who.
func reviewThroughPages(t *testing.T, v *env, coop, id string) string {
	t.Helper()
	task := v.grantTask(coop, id, grants.TaskReview)
	rv := v.visit(task.User)
	rv.post("/grants/applications/"+url.PathEscape(id)+"/declaration", url.Values{"conflict": {"no"}})
	form := url.Values{"criteria": {"need team"}, "score-need": {"4"}, "comment-need": {"Clear need in the valley."}}
	res := rv.post("/tasks/"+url.PathEscape(task.ID), form)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#recommendation"`) {
		t.Fatalf("review without a recommendation: %d\n%s", res.status, res.body)
	}
	form.Set("recommendation", "award")
	res = rv.post("/tasks/"+url.PathEscape(task.ID), form)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#score-team"`) {
		t.Fatalf("review without a score for the team: %d\n%s", res.status, res.body)
	}
	form.Set("score-team", "3")
	res = rv.post("/tasks/"+url.PathEscape(task.ID), form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your review is saved") {
		t.Fatalf("review: %d\n%s", res.status, res.body)
	}
	return task.User
}

// TestGrantDecisionAgreementPayment: the lead sees the ranked list and the
// weighted score, is told when an award is more than asked for, awards
// with two tranches; the founders accept; the funder records the first
// payment, which the budget shows.
func TestGrantDecisionAgreementPayment(t *testing.T) {
	v := newEnv(t)
	v.seedGrants()
	coop := v.apply("Calder Grant Co-op")
	id := applyForGrant(t, v, coop)
	reviewer := reviewThroughPages(t, v, coop, id)

	dec := v.grantTask(coop, id, grants.TaskDecision)
	lead := v.visit(grantLead)
	res := lead.get("/grants/programmes/" + grantProg)
	// 4×60 + 3×40 = 360 of 500: 72.0%.
	if !strings.Contains(res.body, "Waiting for your decision") || !strings.Contains(res.body, "72.0%") {
		t.Fatalf("ranked list: %d\n%s", res.status, res.body)
	}
	res = lead.get("/tasks/" + url.PathEscape(dec.ID))
	if res.status != http.StatusOK || !strings.Contains(res.body, `value="2500"`) || !strings.Contains(res.body, "Clear need in the valley.") ||
		!strings.Contains(res.body, `<td data-label="Reviewer">`+staffName(reviewer)+`</td>`) {
		t.Fatalf("decision page: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, lead.csrf()); len(problems) > 0 {
		t.Errorf("decision page: %v", problems)
	}
	form := url.Values{"outcome": {"award"}, "amount": {"6000"}, "conditions": {"Send us your CQC registration.\nTell us of any change of directors."},
		"trancheAmount-1": {"3000"}, "trancheTrigger-1": {"agreement"},
		"trancheAmount-2": {"3000"}, "trancheTrigger-2": {"cqc-registered"}, "feedback": {"A strong application."}}
	res = lead.post("/tasks/"+url.PathEscape(dec.ID), form)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `<a href="#amount">Amount awarded: must be no more than the £5,000 asked for`) {
		t.Fatalf("award over the request: %d\n%s", res.status, res.body)
	}
	form.Set("amount", "5000")
	form.Set("trancheAmount-2", "2000")
	res = lead.post("/tasks/"+url.PathEscape(dec.ID), form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your decision is saved") {
		t.Fatalf("award: %d\n%s", res.status, res.body)
	}

	agr := v.grantTask(coop, id, grants.TaskAgreement)
	founder := v.visit(founderID)
	res = founder.get("/tasks/" + url.PathEscape(agr.ID))
	if res.status != http.StatusOK || !strings.Contains(res.body, "Tell us of any change of directors.") || !strings.Contains(res.body, "£2,000") {
		t.Fatalf("agreement page: %d\n%s", res.status, res.body)
	}
	res = founder.post("/tasks/"+url.PathEscape(agr.ID), url.Values{"outcome": {"accept"}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your answer to the award is saved") {
		t.Fatalf("accept: %d\n%s", res.status, res.body)
	}

	pay := v.grantTask(coop, id, grants.TaskPayment)
	staff := v.visit(reviewerOne)
	res = staff.post("/tasks/"+url.PathEscape(pay.ID), url.Values{"paidOn-day": {"31"}, "paidOn-month": {"2"}, "paidOn-year": {"2026"}, "reference": {"HF-0001"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "real date") {
		t.Fatalf("payment on no real date: %d\n%s", res.status, res.body)
	}
	res = staff.post("/tasks/"+url.PathEscape(pay.ID), url.Values{"paidOn-day": {"2"}, "paidOn-month": {"3"}, "paidOn-year": {"2026"}, "reference": {"HF-0001"}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "The payment is recorded") {
		t.Fatalf("payment: %d\n%s", res.status, res.body)
	}
	res = lead.get("/grants")
	if !strings.Contains(res.body, `data-label="Paid">£3,000`) {
		t.Fatalf("budget after the first payment:\n%s", res.body)
	}
	// The dashboard's 360Giving link downloads the award.
	link := "/api/funders/" + funderOrg + "/360giving.json"
	if !strings.Contains(res.body, `href="`+link+`"`) {
		t.Fatalf("no 360Giving link on the dashboard:\n%s", res.body)
	}
	if res := lead.get(link); res.status != http.StatusOK || !strings.Contains(res.body, "360G-hollyfieldfund-") {
		t.Fatalf("360Giving download: %d\n%s", res.status, res.body)
	}
}

// TestGrantOverspendNamesTheAmount: of two awards that together would
// overspend the programme, the second is refused in the error summary,
// linked to the amount, saying how much is left.
func TestGrantOverspendNamesTheAmount(t *testing.T) {
	v := newEnv(t)
	v.seedGrantsBudget(800_000, 500_000)
	lead := v.visit(grantLead)
	award := url.Values{"outcome": {"award"}, "amount": {"5000"}, "trancheAmount-1": {"5000"}, "trancheTrigger-1": {"agreement"}, "feedback": {"Well argued."}}
	var responses []response
	for _, name := range []string{"Calder Grant Co-op", "Ryburn Grant Co-op"} {
		coop := v.apply(name)
		id := applyForGrant(t, v, coop)
		reviewThroughPages(t, v, coop, id)
		dec := v.grantTask(coop, id, grants.TaskDecision)
		responses = append(responses, lead.post("/tasks/"+url.PathEscape(dec.ID), award))
	}
	if responses[0].status != http.StatusOK {
		t.Fatalf("first award: %d\n%s", responses[0].status, responses[0].body)
	}
	second := responses[1]
	if second.status != http.StatusBadRequest || !strings.Contains(second.body, `<a href="#amount">The programme has £3,000 left`) {
		t.Fatalf("second award: %d\n%s", second.status, second.body)
	}
}

// TestGrantReportForm: the founders' monitoring report form asks for what
// was done and the figures, and names a figure typed wrongly.
func TestGrantReportForm(t *testing.T) {
	v := newEnv(t)
	v.seedGrants()
	coop := v.apply("Calder Grant Co-op")
	id := applyForGrant(t, v, coop)
	task, err := v.store.PutTask(v.ctx, &pathway.Task{ID: id + ".grant-report.r1", Kind: grants.TaskReport, Subject: grants.Subject(id), Coop: coop,
		Role: pathway.RoleFounder, Title: "Send your monitoring report", Due: time.Now().Add(72 * time.Hour), Token: "token-report",
		Status: pathway.TaskOpen, CreatedAt: time.Now()})
	v.must(err)
	founder := v.visit(founderID)
	res := founder.get("/tasks/" + url.PathEscape(task.ID))
	if res.status != http.StatusOK || !strings.Contains(res.body, "Members of the co-op today, by class") || !strings.Contains(res.body, "Hours of care a week") {
		t.Fatalf("report form: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, founder.csrf()); len(problems) > 0 {
		t.Errorf("report form: %v", problems)
	}
	res = founder.post("/tasks/"+url.PathEscape(task.ID), url.Values{"summary": {"Trained six carers."}, "paidJobs": {"six"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `<a href="#paidJobs">Paid jobs: enter a whole number, like 12</a>`) {
		t.Fatalf("report with words for a number: %d\n%s", res.status, res.body)
	}
	// Staff cannot open the founders' form.
	if res := v.visit(grantLead).get("/tasks/" + url.PathEscape(task.ID)); res.status != http.StatusForbidden {
		t.Errorf("the lead opening the founders' report answers %d, want 403", res.status)
	}
}

// TestGrantLeadCreatesProgramme: the lead's form names what is wrong
// (weights that do not add up to 100), stores the programme once however
// often it is sent, and is the lead's alone.
func TestGrantLeadCreatesProgramme(t *testing.T) {
	v := newEnv(t)
	v.seedGrants()
	if res := v.visit(reviewerOne).get("/grants/programmes/new"); res.status != http.StatusForbidden {
		t.Errorf("a reviewer opening the new-programme form: %d, want 403", res.status)
	}
	lead := v.visit(grantLead)
	res := lead.get("/grants/programmes/new")
	if res.status != http.StatusOK {
		t.Fatalf("form: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, lead.csrf()); len(problems) > 0 {
		t.Errorf("new-programme form: %v", problems)
	}
	next := time.Now().AddDate(1, 0, 0)
	form := url.Values{"key": {hiddenValue(t, res.body, "key")}, "name": {"Hollyfield Ideas Grants"}, "purpose": {"Small grants to test an idea."},
		"budget": {"20000"}, "minAward": {"500"}, "maxAward": {"2,000"},
		"opensOn-day": {"1"}, "opensOn-month": {"4"}, "opensOn-year": {next.Format("2006")},
		"closesOn-day": {"30"}, "closesOn-month": {"6"}, "closesOn-year": {next.Format("2006")},
		"councilAreas": {"Calderdale\nKirklees"}, "services": {"home-care"}, "reviewers": {"2"},
		"critName-1": {"Need in the area"}, "critWeight-1": {"60"}, "critName-2": {"The founding team"}, "critWeight-2": {"30"},
		"share-1": {"100"}, "shareTrigger-1": {"agreement"}}
	for k, vs := range formValues(t, res.body, "/grants/programmes/new") {
		if strings.HasPrefix(k, "scale-") { // the score scale as the form fills it in
			form[k] = vs
		}
	}
	res = lead.post("/grants/programmes/new", form)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `<a href="#critWeight-1">The weights of the criteria must add up to 100; they add up to 90</a>`) {
		t.Fatalf("weights adding up to 90: %d\n%s", res.status, res.body)
	}
	form.Set("critWeight-2", "40")
	res = lead.post("/grants/programmes/new", form)
	if res.status != http.StatusOK || !strings.HasPrefix(res.path, "/grants/programmes/gp-") || !strings.Contains(res.body, "Hollyfield Ideas Grants") {
		t.Fatalf("create: %d %s\n%s", res.status, res.path, res.body)
	}
	again := lead.post("/grants/programmes/new", form)
	if again.path != res.path {
		t.Errorf("sending the form again went to %s, not %s", again.path, res.path)
	}
	if n := strings.Count(lead.get("/grants").body, "Hollyfield Ideas Grants"); n != 1 {
		t.Errorf("the dashboard lists the new programme %d times, want once", n)
	}
}

// TestGrantLeadAndReportReviewForms: the lead's escalation and the report
// review render their forms and name a missing choice.
func TestGrantLeadAndReportReviewForms(t *testing.T) {
	v := newEnv(t)
	v.seedGrants()
	coop := v.apply("Calder Grant Co-op")
	id := applyForGrant(t, v, coop)
	lead := v.visit(grantLead)
	for _, c := range []struct{ kind, role, want string }{
		{grants.TaskReviewOverdue, pathway.RoleFunderLead, "Give the review to the next reviewer"},
		{grants.TaskReportReview, pathway.RoleFunder, "Return it to the co-op"},
	} {
		task, err := v.store.PutTask(v.ctx, &pathway.Task{ID: id + "." + c.kind, Kind: c.kind, Subject: grants.Subject(id), Coop: coop,
			Organisation: funderOrg, Role: c.role, Title: "Task " + c.kind, Due: time.Now().Add(72 * time.Hour), Token: "token-" + c.kind,
			Status: pathway.TaskOpen, CreatedAt: time.Now()})
		v.must(err)
		res := lead.get("/tasks/" + url.PathEscape(task.ID))
		if res.status != http.StatusOK || !strings.Contains(res.body, c.want) {
			t.Fatalf("%s: %d\n%s", c.kind, res.status, res.body)
		}
		if problems := checkPage(res.body, lead.csrf()); len(problems) > 0 {
			t.Errorf("%s: %v", c.kind, problems)
		}
		res = lead.post("/tasks/"+url.PathEscape(task.ID), url.Values{})
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#outcome"`) {
			t.Errorf("%s without a choice: %d\n%s", c.kind, res.status, res.body)
		}
	}
}
