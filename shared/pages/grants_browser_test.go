package pages_test

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/coopcarepathway/pathway/shared/grants"
)

// pick clicks the radio or checkbox with the id.
func (b *browser) pick(id string) {
	b.t.Helper()
	b.run("pick #"+id, chromedp.Click(chromedp.CSS("#"+id)))
}

// TestBrowserGrantJourney: a founder applies for a grant; a reviewer
// declares a conflict of interest and is shut out (404); another reviews;
// the lead awards with two tranches; the founder accepts; the funder
// records the first payment. axe-core checks every page on the way.
func TestBrowserGrantJourney(t *testing.T) {
	v := newEnv(t)
	v.seedGrants()
	coop := v.apply("Calder Grant Co-op")

	// The founder applies.
	f := v.newBrowser(t, 1024, 900)
	f.signIn("Ash Example")
	f.click(`//nav//a[contains(., "Grants")]`)
	f.waitText("Hollyfield Start-up Grants")
	f.waitText("Calder Grant Co-op can apply")
	f.click(`//a[contains(., "Apply for Hollyfield Start-up Grants")]`)
	f.waitText("How much are you asking for")
	f.fill("title", "Training our first carers")
	f.fill("purpose", "Care Certificate training for six carers.")
	f.fill("amount", "5000")
	f.fill("item-1", "Training")
	f.fill("lineAmount-1", "3000")
	f.fill("item-2", "Manager time")
	f.fill("lineAmount-2", "1000")
	f.press("Continue")
	f.waitText("add up to £4,000, not the £5,000")
	f.shot("grant-1-budget-error")
	f.fill("lineAmount-2", "2000")
	f.press("Continue")
	f.waitText("Check your answers")
	f.shot("grant-2-check")
	f.press("Send the application")
	f.waitText("Your grant application is sent")
	id := grantAppID(t, f.location().Path)
	f.shot("grant-3-sent")
	appPage := "/grants/applications/" + url.PathEscape(id)

	// The assigned reviewer declares a conflict and is shut out.
	task := v.grantTask(coop, id, grants.TaskReview)
	r1 := v.newBrowser(t, 1024, 900)
	r1.signIn(staffName(task.User))
	r1.click(`//nav//a[contains(., "Tasks")]`)
	r1.click(`//a[@href="/tasks/` + task.ID + `"]`)
	r1.waitText("Declare your interests")
	r1.waitText("Dee Example")
	r1.shot("grant-4-names-only")
	r1.label("Yes, I have a conflict of interest")
	r1.fill("reason", "The treasurer is my cousin.")
	r1.press("Save your declaration")
	r1.waitText("you will not see it again")
	r1.shot("grant-5-conflict-declared")
	r1.visit(appPage)
	r1.waitText("Page not found")
	r1.shot("grant-6-shut-out")

	// The other reviewer declares none and reviews.
	next := v.grantTask(coop, id, grants.TaskReview)
	if next.User != otherReviewer(task.User) {
		t.Fatalf("the review went to %q, want %q", next.User, otherReviewer(task.User))
	}
	r2 := v.newBrowser(t, 1024, 900)
	r2.signIn(staffName(next.User))
	r2.visit("/tasks/" + url.PathEscape(next.ID))
	r2.waitText("Declare your interests")
	r2.label("No, I have no conflict of interest")
	r2.press("Save your declaration")
	r2.waitText("Send your review")
	r2.pick("score-need-4")
	r2.fill("comment-need", "Clear need in the valley.")
	r2.pick("score-team-3")
	r2.fill("comment-team", "A small but experienced team.")
	r2.label("Award a grant")
	r2.shot("grant-7-review")
	r2.press("Send your review")
	r2.waitText("Your review is saved")

	// The lead awards with the programme's two tranches.
	dec := v.grantTask(coop, id, grants.TaskDecision)
	lead := v.newBrowser(t, 1024, 900)
	lead.signIn("Wren Example")
	lead.click(`//main//a[contains(., "Hollyfield Start-up Grants")]`)
	lead.waitText("72.0%")
	lead.shot("grant-8-ranked")
	lead.visit("/grants/programmes/new")
	lead.waitText("Default payment schedule")
	lead.visit("/tasks/" + url.PathEscape(dec.ID))
	lead.waitText("Your decision")
	lead.label("Award a grant")
	lead.fill("conditions", "Send us your CQC registration.\nTell us of any change of directors.")
	lead.fill("feedback", "A strong application with a clear local need.")
	lead.shot("grant-9-decision")
	lead.press("Save the decision")
	lead.waitText("Your decision is saved")
	lead.waitText("Tell us of any change of directors.")

	// The founder accepts.
	agr := v.grantTask(coop, id, grants.TaskAgreement)
	f.visit(appPage)
	f.click(`//a[@href="/tasks/` + agr.ID + `"]`)
	f.waitText("Do you accept the grant")
	f.shot("grant-10-agreement")
	f.label("Yes, we accept the grant and its conditions")
	f.press("Send your answer")
	f.waitText("Your answer to the award is saved")

	// The funder records the first payment.
	pay := v.grantTask(coop, id, grants.TaskPayment)
	lead.click(`//nav//a[contains(., "Tasks")]`)
	lead.click(`//a[@href="/tasks/` + pay.ID + `"]`)
	lead.waitText("Record the payment")
	lead.fill("paidOn", "2")
	lead.fill("paidOn-month", "3")
	lead.fill("paidOn-year", "2026")
	lead.fill("reference", "HF-0001")
	lead.press("Record the payment")
	lead.waitText("The payment is recorded")
	lead.waitText("Paid on 2 March 2026")
	lead.shot("grant-11-paid")
	lead.click(`//nav//a[contains(., "Grants")]`)
	lead.waitText("£2,500")
	lead.shot("grant-12-budget")
}
