package pages_test

import (
	"testing"
)

// TestBrowserFounderTenderBid: at 1280 px and at 320 px, a founder opens
// the tender from the list, fills the bid form (an error first, named in
// the summary), checks the answers and sends; after the award they read the
// assessment summary. axe-core checks every page on the way, and no page
// scrolls sideways on a phone.
func TestBrowserFounderTenderBid(t *testing.T) {
	for _, width := range []int64{1280, 320} {
		t.Run(itoa(int(width))+"px", func(t *testing.T) {
			te := newTenderEnv(t)
			id := te.openTender("Home care in Calderdale", false)
			other := sendBid(t, te, founder2ID, id, coopBirch, "59000")
			_ = other

			b := te.newBrowser(t, width, 900)
			b.signIn("Ash Example")
			b.visit("/tenders")
			b.waitText("Alder Care Co-operative can bid")
			b.fitsWidth()
			b.click(`//main//a[contains(., "Bid for Home care in Calderdale")]`)
			b.waitText("Your price for North")
			b.fitsWidth()
			b.fill("price-north", "58,000")
			b.fill("response-care", "Each person has a small team of three carers who know them.")
			b.press("Continue")
			b.waitText("Write your response to Local jobs")
			b.shot("tender-" + itoa(int(width)) + "-1-bid-error")
			b.fill("response-local", "We hire and train carers who live in the area.")
			b.press("Continue")
			b.waitText("Check your bid before sending")
			b.waitText("Not bidding for this lot")
			b.fitsWidth()
			b.press("Send the bid")
			b.waitText("Your bid is sent")
			bid := bidIDOf(t, b.location().Path)
			b.fitsWidth()
			b.shot("tender-" + itoa(int(width)) + "-2-bid-sent")

			te.award(id, map[string]map[string]int{coopAlder: {"care": 3, "local": 3}, coopBirch: {"care": 5, "local": 4}})
			b.visit("/bids/" + bid + "/sent")
			b.waitText("Not successful")
			b.click(`//main//a[contains(., "Read your assessment summary")]`)
			b.waitText("Criterion by criterion")
			b.waitText("did not win")
			b.fitsWidth()
			b.shot("tender-" + itoa(int(width)) + "-3-summary")
		})
	}
}
