package pages_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// TestBrowserTenderJourney: a council publishes a tender; two co-ops bid;
// the evaluators score and the lead moderates and awards; both bidders
// read their summaries; after standstill the contract is entered, and the
// winner's agency sees "Contracted". Every step goes through the pages
// as the person who takes it, the real tender workflow runs on the local
// engine, and time moves on the engine's fake clock past the deadline and
// the standstill (both Wait states). axe-core checks every page on the way.
func TestBrowserTenderJourney(t *testing.T) {
	v := newTenderJourneyEnv(t)

	// The council's lead writes the tender through the form and publishes it.
	lead := v.newBrowser(t, 1024, 900)
	lead.signIn("Ysolde Example")
	lead.waitText("Your council's tenders")
	lead.click(`//main//a[contains(., "Create a tender")]`)
	lead.waitText("Award criteria")
	lead.fill("title", "Home care across Harrowdale")
	lead.fill("description", "Home care for adults who live in Harrowdale, seven days a week.")
	lead.choice("Kinds of care bought", "Home care")
	lead.choice("CQC regulated activities", "Personal care")
	lead.fill("areas", "Leeds")
	lead.fill("value", "100,000")
	lead.choice("Is this a light touch contract?", "Yes")
	lead.choice("Procedure", "Open procedure")
	lead.choice("Is it reserved for public service mutuals?", "No")
	lead.fill("lotName-1", "Whole area")
	lead.fill("lotValue-1", "100000")
	for i, c := range []struct{ name, kind, weight string }{
		{"Quality of care", tenders.KindQuality, "60"}, {"Price", tenders.KindPrice, "30"}, {"Local jobs", tenders.KindSocialValue, "10"},
	} {
		n := itoa(i + 1)
		lead.fill("critName-"+n, c.name)
		lead.choose("critKind-"+n, c.kind)
		lead.fill("critWeight-"+n, c.weight)
	}
	lead.date("termStart", 1, 10, 2027)
	lead.date("termEnd", 30, 9, 2029)
	lead.date("questionsCloseAt", 3, 6, 2027)
	lead.fill("questionsCloseAt-time", "5pm")
	lead.date("tendersCloseAt", 4, 6, 2027)
	lead.fill("tendersCloseAt-time", "12:00")
	lead.choice("Will a standstill apply", "Yes")
	lead.fill("standstillDays", "8")
	lead.choice("Who evaluates the bids", "Tamsin Example")
	lead.choice("Who evaluates the bids", "Ulric Example")
	lead.shot("tender-journey-01-form")
	lead.press("Save the draft")
	lead.waitText("saved as a draft")
	id := councilTenderPathID(t, lead.location().Path)
	lead.click(`//main//a[contains(., "Publish the tender")]`)
	lead.waitText("UK4")
	lead.press("Publish the tender")
	lead.waitText("The tender is published")
	lead.shot("tender-journey-02-published")
	td := v.waitTender(id, tenders.StatusOpen)
	if want := time.Date(2027, 6, 4, 11, 0, 0, 0, time.UTC); !td.TendersCloseAt.Equal(want) {
		t.Fatalf("the deadline is %v, want midday UK time %v", td.TendersCloseAt, want)
	}
	lot, care, local := td.Lots[0].ID, td.Criteria[0].ID, td.Criteria[2].ID
	if td.Criteria[1].Kind != tenders.KindPrice {
		t.Fatalf("criteria stored as %+v", td.Criteria)
	}

	// Two founders of two co-ops bid through the bid form.
	bids := map[string]string{}
	for _, f := range []struct{ name, coop, coopID, price, care, local string }{
		{"Ash Example", "Juniper Care Co-operative", tjCoopA, "95,000", "Each person has three carers who know them well.", "We hire and train carers from Harrowdale."},
		{"Bea Example", "Linden Care Co-operative", tjCoopB, "90000", "We visit on time.", "Some of our carers live locally."},
	} {
		b := v.newBrowser(t, 1024, 900)
		b.signIn(f.name)
		b.visit("/tenders")
		b.waitText(f.coop + " can bid")
		b.click(`//main//a[contains(., "Bid for Home care across Harrowdale")]`)
		b.waitText("Your price for Whole area")
		b.fill("price-"+lot, f.price)
		b.fill("response-"+care, f.care)
		b.fill("response-"+local, f.local)
		b.press("Continue")
		b.waitText("Check your bid before sending")
		b.press("Send the bid")
		b.waitText("Your bid is sent")
		bids[f.coopID] = bidIDOf(t, b.location().Path)
		b.shot("tender-journey-03-bid-" + f.coopID)
	}

	// Sealed until the deadline: the lead sees only that two bids came.
	lead.visit("/tenders/" + id)
	lead.waitText("Open for bids")
	if s := lead.text(); strings.Contains(s, "Juniper Care Co-operative") || strings.Contains(s, "Linden Care Co-operative") {
		t.Errorf("the tender's page names a bidder before the deadline:\n%s", s)
	}

	// The deadline passes (the workflow's Wait state): the evaluations open.
	v.until(td.TendersCloseAt.Add(time.Minute))
	v.waitTender(id, tenders.StatusEvaluation)

	// Each evaluator declares no conflict and scores each bid.
	scores := map[string]map[string][2]int{ // evaluator → co-op → quality, local jobs
		tcEval1: {tjCoopA: {5, 4}, tjCoopB: {3, 2}},
		tcEval2: {tjCoopA: {4, 4}, tjCoopB: {3, 3}},
	}
	for _, ev := range []struct{ id, name string }{{tcEval1, "Tamsin Example"}, {tcEval2, "Ulric Example"}} {
		b := v.newBrowser(t, 1024, 900)
		b.signIn(ev.name)
		for i, coop := range []string{tjCoopA, tjCoopB} {
			task := v.tenderTask(tenders.BidSubject(bids[coop]), tenders.TaskEvaluation, ev.id)
			if i == 0 {
				b.click(`//nav//a[contains(., "Tasks")]`)
				b.click(`//main//a[@href="/tasks/` + task.ID + `"]`)
			} else {
				b.visit("/tasks/" + task.ID)
			}
			b.waitText("Do you have a conflict of interest")
			b.label("No, I have no conflict of interest")
			b.press("Declare")
			b.waitText("You can now read the bid")
			s := scores[ev.id][coop]
			b.pick("score-" + care + "-" + itoa(s[0]))
			b.fill("reason-"+care, "Quality scored "+itoa(s[0])+" for how carers stay with people.")
			b.pick("score-" + local + "-" + itoa(s[1]))
			b.fill("reason-"+local, "Local jobs scored "+itoa(s[1])+".")
			b.shot("tender-journey-04-evaluate-" + ev.id + "-" + coop)
			b.press("Save the scores")
			b.waitText("Your scores are saved")
		}
	}

	// The lead moderates each bid: the agreed scores start at the
	// evaluators' median; the lead gives the reasons.
	v.waitTender(id, tenders.StatusModeration)
	for _, coop := range []string{tjCoopA, tjCoopB} {
		task := v.tenderTask(tenders.BidSubject(bids[coop]), tenders.TaskModeration, "")
		lead.visit("/tasks/" + task.ID)
		lead.waitText("Evaluators' scores")
		lead.waitText("Tamsin Example: ")
		lead.fill("reason-"+care, "Agreed after reading both evaluations.")
		lead.fill("reason-"+local, "Agreed: the plan for local hiring.")
		lead.shot("tender-journey-05-moderate-" + coop)
		lead.press("Save the scores")
		lead.waitText("The agreed scores are saved")
	}

	// The lead confirms the top-ranked bid.
	award := v.tenderTask(tenders.Subject(id), tenders.TaskAward, "")
	lead.click(`//nav//a[contains(., "Tasks")]`)
	lead.click(`//main//a[@href="/tasks/` + award.ID + `"]`)
	lead.waitText("1st: Juniper Care Co-operative")
	lead.waitText("2nd: Linden Care Co-operative")
	lead.shot("tender-journey-06-award")
	lead.press("Confirm the award")
	lead.waitText("The award is saved")
	td = v.waitTender(id, tenders.StatusStandstill)
	if td.Period == nil || td.Award == nil || td.Award.SummariesSentAt.IsZero() {
		t.Fatalf("in standstill without its period or summaries: %+v %+v", td.Period, td.Award)
	}
	lead.visit("/tenders/" + id)
	lead.waitText("Last day of standstill")
	lead.shot("tender-journey-07-standstill")

	// Both bidders read their assessment summaries.
	for _, f := range []struct{ name, coop, want, tag string }{
		{"Ash Example", tjCoopA, "96.42 out of 100, ranked 1", "Whole area: Won"},
		{"Bea Example", tjCoopB, "72.00 out of 100, ranked 2", "Whole area: Not won"},
	} {
		b := v.newBrowser(t, 1024, 900)
		b.signIn(f.name)
		b.visit("/bids/" + bids[f.coop] + "/sent")
		b.click(`//main//a[contains(., "Read your assessment summary")]`)
		b.waitText("Criterion by criterion")
		b.waitText(f.want)
		b.waitText(f.tag)
		b.waitText("Agreed after reading both evaluations.")
		b.shot("tender-journey-08-summary-" + f.coop)
	}

	// Standstill ends (the workflow's Wait state): the contract may be entered.
	enter, err := time.ParseInLocation(time.DateOnly, td.Period.EnterFrom, pathway.UKTime)
	v.must(err)
	v.until(enter.Add(10 * time.Hour))
	entry := v.tenderTask(tenders.Subject(id), tenders.TaskContractEntry, "")
	lead.visit("/tasks/" + entry.ID)
	lead.waitText("the contract may be entered into from")
	lead.date("signedOn", enter.Day(), int(enter.Month()), enter.Year())
	lead.shot("tender-journey-09-contract")
	lead.press("Record the contract")
	lead.waitText("The contract is recorded")
	td = v.waitTender(id, tenders.StatusContracted)
	if td.Contract == nil || len(td.Contract.Lots) != 1 || td.Contract.Lots[0].Coop != tjCoopA || td.Contract.Lots[0].Value != 95_000_00 {
		t.Fatalf("contract stored as %+v", td.Contract)
	}
	v.waitStage(tjCoopA, pathway.StageContracted)

	// The winner's agency sees it under "Contracted"; the other co-op
	// stays registered with CQC.
	ag := v.newBrowser(t, 1024, 900)
	ag.signIn("Rowan Example")
	ag.visit("/board")
	ag.waitText("Contracted")
	ag.visit("/board/" + programmeID + "/" + pathway.StageContracted)
	ag.waitText("Juniper Care Co-operative")
	if s := ag.text(); strings.Contains(s, "Linden Care Co-operative") {
		t.Errorf("the losing co-op is under Contracted:\n%s", s)
	}
	ag.shot("tender-journey-10-board")
	ag.click(`//main//a[contains(., "Juniper Care Co-operative")]`)
	ag.waitText("Contracted")
	ag.waitText("entered into a contract with the council: Home care across Harrowdale")
	ag.shot("tender-journey-11-coop")
	if c, err := v.store.GetCoop(v.ctx, tjCoopB); err != nil || c.Stage != pathway.StageCQCRegistered {
		t.Errorf("the losing co-op is at %+v (%v)", c, err)
	}
}
