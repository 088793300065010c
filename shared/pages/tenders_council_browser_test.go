package pages_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// TestBrowserTenderCouncil: at 1280 and 320 pixels wide, the lead's new
// tender form (with its errors), the tender page with its bids after the
// deadline, the page of a tender in standstill with an open challenge,
// and an evaluator's task (the declaration, then the scoring form) fit
// the width and have no WCAG 2.1 A or AA violation axe-core finds.
func TestBrowserTenderCouncil(t *testing.T) {
	v := newCouncilTenderEnv(t)
	standstill := v.standstillTender()
	v.setNow(tcStart)
	id := v.publishedTender()
	bids := []string{
		v.bid(tcFounder, id, tcCoopA, 50_000_00, "Hazel's carers stay with the same people."),
		v.bid(tcFound2, id, tcCoopB, 55_000_00, "Rowan's team is local."),
	}
	v.closeTender(id)
	for i, width := range []int64{1280, 320} {
		task := v.openTask(tenders.BidSubject(bids[i]), tenders.TaskEvaluation, pathway.RoleCommissioner, tcEval1)

		lead := v.newBrowser(t, width, 900)
		lead.signIn("Ysolde Example")
		lead.waitText("Your council's tenders")
		lead.fitsWidth()
		lead.visit("/tenders/new")
		lead.waitText("Award criteria")
		lead.fitsWidth()
		lead.press("Save the draft")
		lead.waitText("There is a problem")
		lead.fitsWidth()
		lead.visit("/tenders/" + id)
		lead.waitText("Hazel Care Co-operative")
		lead.fitsWidth()
		lead.visit("/tenders/" + standstill)
		lead.waitText("Last day of standstill")
		lead.waitText("Record the outcome")
		lead.fitsWidth()

		ev := v.newBrowser(t, width, 900)
		ev.signIn("Tamsin Example")
		ev.visit("/tasks/" + task.ID)
		ev.waitText("Do you have a conflict of interest")
		ev.fitsWidth()
		ev.label("No, I have no conflict of interest")
		ev.press("Declare")
		ev.waitText("You can now read the bid")
		ev.waitText("Score for Quality of care")
		ev.fitsWidth()
		ev.press("Save the scores")
		ev.waitText("There is a problem")
		ev.fitsWidth()
	}
}
