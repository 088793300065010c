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
	"github.com/coopcarepathway/pathway/shared/web"
)

// councilTenderForm is a valid tender as the lead types it: two lots, three
// criteria, deadlines in UK time.
func councilTenderForm() url.Values {
	return url.Values{
		"title": {"Reablement in Harrowdale"}, "description": {"Short-term reablement after a hospital stay."},
		"services": {"reablement"}, "regulatedActivities": {pathway.ActivityPersonalCare}, "areas": {"Leeds"},
		"value": {"£250,000"}, "lightTouch": {"yes"}, "procedure": {tenders.ProcedureOpen}, "reserved": {"no"},
		"lotName-1": {"East"}, "lotValue-1": {"150,000"}, "lotName-2": {"West"}, "lotValue-2": {"100000"},
		"critName-1": {"Quality of care"}, "critKind-1": {tenders.KindQuality}, "critWeight-1": {"50"}, "critGuide-1": {"How you get people home safely."},
		"critName-2": {"Price"}, "critKind-2": {tenders.KindPrice}, "critWeight-2": {"30"},
		"critName-3": {"Local jobs"}, "critKind-3": {tenders.KindSocialValue}, "critWeight-3": {"20"},
		"termStart-day": {"1"}, "termStart-month": {"10"}, "termStart-year": {"2027"},
		"termEnd-day": {"30"}, "termEnd-month": {"9"}, "termEnd-year": {"2029"},
		"questionsCloseAt-day": {"10"}, "questionsCloseAt-month": {"6"}, "questionsCloseAt-year": {"2027"}, "questionsCloseAt-time": {"5pm"},
		"tendersCloseAt-day": {"20"}, "tendersCloseAt-month": {"6"}, "tendersCloseAt-year": {"2027"}, "tendersCloseAt-time": {"12:00"},
		"standstill": {"yes"}, "standstillDays": {"8"}, "evaluators": {tcEval1, tcEval2},
	}
}

// TestTenderCouncilCreateAndPublish: the lead creates a draft through the
// form (errors named against their fields, the service's too), changes
// it, and publishes it after a confirmation; other staff may not.
func TestTenderCouncilCreateAndPublish(t *testing.T) {
	v := newCouncilTenderEnv(t)
	lead := v.visit(tcLead)
	if res := lead.get("/"); res.path != "/tenders" || !strings.Contains(res.body, "Create a tender") {
		t.Fatalf("a lead's home: %s\n%s", res.path, res.body)
	}
	res := lead.get("/tenders/new")
	if res.status != http.StatusOK || !strings.Contains(res.body, "Tamsin Example") || !strings.Contains(res.body, `name="lotName-6"`) || !strings.Contains(res.body, `name="critName-10"`) {
		t.Fatalf("new tender form: %d\n%s", res.status, res.body)
	}
	tcCheck(t, lead, res)
	key := hiddenValue(t, res.body, "key")

	// Typed wrongly: the form's own errors, each naming its field.
	form := councilTenderForm()
	form.Set("key", key)
	form.Set("value", "a lot")
	form.Set("lotValue-2", "")
	form.Set("tendersCloseAt-time", "teatime")
	res = lead.post("/tenders/new", form)
	tcCheck(t, lead, res)
	for _, want := range []string{`href="#value"`, "Enter the estimated total value in pounds", `href="#lotValue-2"`, "Lot 2: enter its estimated value",
		`href="#tendersCloseAt"`, "Enter the time of the deadline for tenders"} {
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, want) {
			t.Errorf("form errors lack %q: %d", want, res.status)
		}
	}
	// Against the rules: the service's errors, shown against the form's fields.
	form = councilTenderForm()
	form.Set("key", key)
	form.Set("critWeight-3", "5")
	form.Set("critWeight-1", "65")
	form.Set("reserved", "yes")
	res = lead.post("/tenders/new", form)
	for _, want := range []string{"Social value must weigh at least 10%", `href="#critWeight-1"`, "competitive flexible procedure", `href="#procedure"`} {
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, want) {
			t.Errorf("rule errors lack %q: %d\n%s", want, res.status, res.body)
		}
	}
	// Good: stored as a draft; sending it again stores nothing new.
	form = councilTenderForm()
	form.Set("key", key)
	res = lead.post("/tenders/new", form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "saved as a draft") || !strings.Contains(res.body, "Draft") {
		t.Fatalf("created: %d %s\n%s", res.status, res.path, res.body)
	}
	id := councilTenderPathID(t, res.path)
	for _, want := range []string{"£250,000", "East: £150,000", "5pm on 10 June 2027", "midday on 20 June 2027", "8 working days", "Tamsin Example, Ulric Example"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("tender page lacks %q", want)
		}
	}
	stored, err := v.ts.GetTender(v.ctx, id)
	v.must(err)
	if want := time.Date(2027, 6, 20, 11, 0, 0, 0, time.UTC); !stored.TendersCloseAt.Equal(want) || stored.Lots[0].Value != 150_000_00 || stored.Value != 250_000_00 {
		t.Errorf("stored deadline %v (want midday UK time, %v), lot value %d, value %d", stored.TendersCloseAt, want, stored.Lots[0].Value, stored.Value)
	}
	if _, history, _ := strings.Cut(res.body, `id="history"`); !strings.Contains(history, "Ysolde Example wrote a draft tender, Reablement in Harrowdale.") {
		t.Errorf("the history lacks the draft's event:\n%s", history)
	}
	if again := lead.post("/tenders/new", form); councilTenderPathID(t, again.path) != id {
		t.Fatalf("a resent form made %s, not %s", again.path, id)
	}

	// Other staff read it but may not change or publish it.
	staff := v.visit(tcStaff)
	if res := staff.get("/tenders/" + id + "/edit"); res.status != http.StatusForbidden {
		t.Errorf("staff edit: %d", res.status)
	}
	if res := staff.post("/tenders/"+id+"/publish", url.Values{}); res.status != http.StatusForbidden {
		t.Errorf("staff publish: %d", res.status)
	}
	if res := staff.get("/tenders/new"); res.status != http.StatusForbidden {
		t.Errorf("staff new: %d", res.status)
	}

	// Change the draft: the form comes back filled in.
	res = lead.get("/tenders/" + id + "/edit")
	if res.status != http.StatusOK || !strings.Contains(res.body, `value="150000"`) || !strings.Contains(res.body, `value="17:00"`) {
		t.Fatalf("edit form: %d\n%s", res.status, res.body)
	}
	edit := councilTenderForm()
	edit.Set("version", hiddenValue(t, res.body, "version"))
	edit.Set("title", "Reablement across Harrowdale")
	if res = lead.post("/tenders/"+id+"/edit", edit); res.status != http.StatusOK || !strings.Contains(res.body, "Reablement across Harrowdale") {
		t.Fatalf("edited: %d\n%s", res.status, res.body)
	}
	// A stale version is refused, saying why.
	if res = lead.post("/tenders/"+id+"/edit", edit); res.status != http.StatusConflict || !strings.Contains(res.body, "Someone else changed this tender") {
		t.Fatalf("stale edit: %d", res.status)
	}

	// Publishing says what it does, and needs the CSRF token.
	res = lead.get("/tenders/" + id + "/publish")
	if res.status != http.StatusOK || !strings.Contains(res.body, "UK4") || !strings.Contains(res.body, "bid until midday on 20 June 2027") {
		t.Fatalf("publish page: %d\n%s", res.status, res.body)
	}
	if res := lead.postRaw("/tenders/"+id+"/publish", url.Values{web.CSRFField: {"forged"}}); res.status != http.StatusForbidden {
		t.Fatalf("publish without a good CSRF token: %d", res.status)
	}
	res = lead.post("/tenders/"+id+"/publish", url.Values{})
	if res.status != http.StatusOK || !strings.Contains(res.body, "The tender is published") || !strings.Contains(res.body, "Published on 1 June 2027") ||
		!strings.Contains(res.body, "Open for bids") {
		t.Fatalf("published: %d\n%s", res.status, res.body)
	}
	if res := lead.get("/tenders/" + id + "/edit"); res.status != http.StatusConflict {
		t.Errorf("editing a published tender: %d", res.status)
	}
	res = lead.get("/tenders")
	if !strings.Contains(res.body, "Open for bids") || !strings.Contains(res.body, "Bids close at midday on 20 June 2027") {
		t.Errorf("tenders list:\n%s", res.body)
	}
}

// TestTenderCouncilSealedBids: before the deadline the council's pages
// show only the number of bids; a bid's address is "page not found" to
// every council user. After it, the lead sees the bids.
func TestTenderCouncilSealedBids(t *testing.T) {
	v := newCouncilTenderEnv(t)
	id := v.publishedTender()
	bidA := v.bid(tcFounder, id, tcCoopA, 50_000_00, "Hazel's carers stay with the same people.")
	v.bid(tcFound2, id, tcCoopB, 55_000_00, "Rowan's team is local.")
	q, err := v.svc.Ask(v.ctx, councilUser(tcFounder), id, tenderservice.QuestionInput{Question: "Can a lot be shared between two co-ops?"})
	v.must(err)
	for _, who := range []string{tcLead, tcEval1, tcStaff} {
		vi := v.visit(who)
		res := vi.get("/tenders/" + id)
		tcCheck(t, vi, res)
		if res.status != http.StatusOK || !strings.Contains(res.body, "2 bids in so far") {
			t.Fatalf("%s: sealed tender page: %d\n%s", who, res.status, res.body)
		}
		for _, hidden := range []string{"Hazel", "Rowan", "/bids/", "£50,000", "stay with the same people"} {
			if strings.Contains(res.body, hidden) {
				t.Errorf("%s: sealed tender page shows %q", who, hidden)
			}
		}
		if res := vi.get("/tenders/" + id + "/bids/" + bidA); res.status != http.StatusNotFound {
			t.Errorf("%s: a sealed bid's page: %d", who, res.status)
		}
	}
	// Questions are answered on the page, every bidder seeing the answer.
	staff := v.visit(tcStaff)
	if res := staff.post("/tenders/"+id+"/questions/"+q.ID+"/answer", url.Values{"answer": {""}}); res.status != http.StatusBadRequest ||
		!strings.Contains(res.body, `href="#answer-`+q.ID+`"`) {
		t.Fatalf("an empty answer: %d\n%s", res.status, res.body)
	}
	if res := staff.post("/tenders/"+id+"/questions/"+q.ID+"/answer", url.Values{"answer": {"No: each lot goes to one bidder."}}); res.status != http.StatusOK ||
		!strings.Contains(res.body, "Your answer is published") || !strings.Contains(res.body, "each lot goes to one bidder") {
		t.Fatalf("answered: %d\n%s", res.status, res.body)
	}
	v.closeTender(id)
	res := v.visit(tcLead).get("/tenders/" + id)
	if !strings.Contains(res.body, "Hazel Care Co-operative") || !strings.Contains(res.body, "/tenders/"+id+"/bids/"+bidA) {
		t.Fatalf("after the deadline the lead sees the bids:\n%s", res.body)
	}
	res = v.visit(tcLead).get("/tenders/" + id + "/bids/" + bidA)
	if res.status != http.StatusOK || !strings.Contains(res.body, "stay with the same people") || !strings.Contains(res.body, "£50,000") {
		t.Fatalf("the lead reads the bid after the deadline: %d\n%s", res.status, res.body)
	}
}

// TestTenderCouncilConflictGate: an evaluator's task shows the bid only
// after "no conflict"; one who declares a conflict never sees the bid or
// the task again. Scores need a reason each, named against the field.
func TestTenderCouncilConflictGate(t *testing.T) {
	v := newCouncilTenderEnv(t)
	id := v.publishedTender()
	bidA := v.bid(tcFounder, id, tcCoopA, 50_000_00, "Hazel's carers stay with the same people.")
	v.closeTender(id)
	t1 := v.openTask(tenders.BidSubject(bidA), tenders.TaskEvaluation, pathway.RoleCommissioner, tcEval1)
	t2 := v.openTask(tenders.BidSubject(bidA), tenders.TaskEvaluation, pathway.RoleCommissioner, tcEval2)

	first := v.visit(tcEval1)
	if res := first.get("/tasks"); !strings.Contains(res.body, `href="/tasks/`+t1.ID+`"`) {
		t.Errorf("the evaluator's inbox lacks the evaluation:\n%s", res.body)
	}
	res := first.get("/tasks/" + t1.ID)
	tcCheck(t, first, res)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Do you have a conflict of interest") || !strings.Contains(res.body, "Hazel Care Co-operative") {
		t.Fatalf("declaration form: %d\n%s", res.status, res.body)
	}
	for _, hidden := range []string{"stay with the same people", "£50,000", "Score for"} {
		if strings.Contains(res.body, hidden) {
			t.Errorf("before declaring, the task shows %q", hidden)
		}
	}
	if res := first.get("/tenders/" + id + "/bids/" + bidA); strings.Contains(res.body, "stay with the same people") {
		t.Errorf("before declaring, the bid's page shows its content")
	}
	if res := first.post("/tasks/"+t1.ID, url.Values{"step": {"declare"}}); res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#conflict"`) {
		t.Errorf("no choice: %d", res.status)
	}
	if res := first.post("/tasks/"+t1.ID, url.Values{"step": {"declare"}, "conflict": {"yes"}}); res.status != http.StatusBadRequest ||
		!strings.Contains(res.body, `href="#reason"`) || !strings.Contains(res.body, "Say what the conflict of interest is") {
		t.Errorf("a conflict without a reason: %d\n%s", res.status, res.body)
	}
	res = first.post("/tasks/"+t1.ID, url.Values{"step": {"declare"}, "conflict": {"yes"}, "reason": {"My sister is a member of the co-op."}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "You will not see this bid again") {
		t.Fatalf("conflict declared: %d %s\n%s", res.status, res.path, res.body)
	}
	if res := first.get("/tasks/" + t1.ID); res.status != http.StatusNotFound {
		t.Errorf("the conflicted evaluator's task: %d", res.status)
	}
	if res := first.get("/tenders/" + id + "/bids/" + bidA); res.status != http.StatusNotFound {
		t.Errorf("the conflicted evaluator's bid page: %d", res.status)
	}

	second := v.visit(tcEval2)
	res = second.post("/tasks/"+t2.ID, url.Values{"step": {"declare"}, "conflict": {"no"}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "You can now read the bid") || !strings.Contains(res.body, "stay with the same people") ||
		!strings.Contains(res.body, "Continuity of carers") || !strings.Contains(res.body, "Score for Quality of care") {
		t.Fatalf("no conflict: %d\n%s", res.status, res.body)
	}
	tcCheck(t, second, res)
	if strings.Contains(res.body, `name="score-price"`) {
		t.Errorf("price is offered for scoring")
	}
	res = second.post("/tasks/"+t2.ID, url.Values{"score-care": {"4"}, "reason-care": {"Clear plan for continuity."}, "score-local": {"3"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#reason-local"`) || !strings.Contains(res.body, "Give the reason for the score of") {
		t.Fatalf("a score without a reason: %d\n%s", res.status, res.body)
	}
	res = second.post("/tasks/"+t2.ID, url.Values{"score-care": {"4"}, "reason-care": {"Clear plan for continuity."}, "score-local": {"3"}, "reason-local": {"Some local hiring."}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your scores are saved") {
		t.Fatalf("scored: %d\n%s", res.status, res.body)
	}
	if res := second.postRaw("/tasks/"+t2.ID, url.Values{"score-care": {"4"}}); res.status != http.StatusForbidden {
		t.Errorf("a task answer without a CSRF token: %d", res.status)
	}
}

// TestTenderCouncilModerateAwardContract: the lead moderates with every
// evaluator's scores beside the form (prefilled with the median), awards
// (a reason required for a bid not ranked first), records the contract
// (prefilled with the winning price) and the contract details notice.
func TestTenderCouncilModerateAwardContract(t *testing.T) {
	v := newCouncilTenderEnv(t)
	id := v.publishedTender()
	bidA := v.bid(tcFounder, id, tcCoopA, 50_000_00, "Hazel's carers stay with the same people.")
	bidB := v.bid(tcFound2, id, tcCoopB, 55_000_00, "Rowan's team is local.")
	v.closeTender(id)
	for _, b := range []string{bidA, bidB} {
		for i, e := range []string{tcEval1, tcEval2} {
			tk := v.openTask(tenders.BidSubject(b), tenders.TaskEvaluation, pathway.RoleCommissioner, e)
			_, err := v.svc.Declare(v.ctx, councilUser(e), b, tenders.DeclarationAnswer{})
			v.must(err)
			v.answer(e, tk.ID, &tenders.ScoresAnswer{Scores: map[string]int{"care": 2 + 2*i, "local": 3},
				Reasons: map[string]string{"care": "Reason " + e, "local": "Fine."}})
		}
	}
	v.moveTo(id, tenders.StatusModeration)
	lead := v.visit(tcLead)
	mods := map[string]*pathway.Task{}
	for _, b := range []string{bidA, bidB} {
		mods[b] = v.openTask(tenders.BidSubject(b), tenders.TaskModeration, pathway.RoleCommissionerLead, "")
	}
	res := lead.get("/tasks/" + mods[bidA].ID)
	for _, want := range []string{"Tamsin Example: 2", "Ulric Example: 4", "Reason " + tcEval1, `id="score-care-3" name="score-care" type="radio" value="3" checked`} {
		if res.status != http.StatusOK || !strings.Contains(res.body, want) {
			t.Errorf("moderation lacks %q: %d", want, res.status)
		}
	}
	res = lead.post("/tasks/"+mods[bidA].ID, url.Values{"score-care": {"5"}, "reason-care": {"Best continuity plan."}, "score-local": {"3"}, "reason-local": {"Fine."}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "The agreed scores are saved") {
		t.Fatalf("moderated: %d\n%s", res.status, res.body)
	}
	v.answer(tcLead, mods[bidB].ID, &tenders.ScoresAnswer{Scores: map[string]int{"care": 3, "local": 3}, Reasons: map[string]string{"care": "Sound.", "local": "Fine."}})

	// Ranking, as the workflow's step does.
	td, err := v.ts.GetTender(v.ctx, id)
	v.must(err)
	bids, err := v.ts.ListBids(v.ctx, id)
	v.must(err)
	tenders.Rank(td, bids)
	for _, b := range bids {
		v.must(v.ts.UpdateBid(v.ctx, b, nil))
	}
	v.moveTo(id, tenders.StatusAward)
	res = lead.get("/tenders/" + id)
	if !strings.Contains(res.body, "Results") || !strings.Contains(res.body, "Hazel Care Co-operative") {
		t.Errorf("the tender page lacks the ranked results:\n%s", res.body)
	}
	award := v.openTask(tenders.Subject(id), tenders.TaskAward, pathway.RoleCommissionerLead, "")
	res = lead.get("/tasks/" + award.ID)
	tcCheck(t, lead, res)
	if res.status != http.StatusOK || !strings.Contains(res.body, "1st: Hazel Care Co-operative") || !strings.Contains(res.body, "2nd: Rowan Care Co-operative") ||
		!strings.Contains(res.body, `value="`+bidA+`" checked`) {
		t.Fatalf("award form: %d\n%s", res.status, res.body)
	}
	res = lead.post("/tasks/"+award.ID, url.Values{"bid-north": {bidB}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#reason-north"`) || !strings.Contains(res.body, "ranked 2nd, not first") {
		t.Fatalf("not the top without a reason: %d\n%s", res.status, res.body)
	}
	res = lead.post("/tasks/"+award.ID, url.Values{"bid-north": {bidA}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "The award is saved") {
		t.Fatalf("awarded: %d\n%s", res.status, res.body)
	}

	// A challenge recorded, then its outcome; errors name their fields.
	page := "/tenders/" + id
	if res = lead.post(page+"/challenges", url.Values{"received-day": {"12"}, "received-month": {"6"}, "received-year": {"2027"}, "summary": {"The scores are wrong."}}); res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#from"`) {
		t.Fatalf("a challenge from nobody: %d\n%s", res.status, res.body)
	}
	res = lead.post(page+"/challenges", url.Values{"received-day": {"12"}, "received-month": {"6"}, "received-year": {"2027"}, "from": {"Rowan Care Co-operative"}, "summary": {"The scores are wrong."}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "The challenge is recorded") || !strings.Contains(res.body, "From Rowan Care Co-operative, received 12 June 2027") {
		t.Fatalf("challenge: %d\n%s", res.status, res.body)
	}
	tcCheck(t, lead, res)
	td, err = v.ts.GetTender(v.ctx, id)
	v.must(err)
	cid := td.Challenges[0].ID
	if res = lead.post(page+"/challenges/"+cid+"/outcome", url.Values{"outcomeSummary": {"Scores checked."}}); res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#outcome-`+cid+`"`) {
		t.Fatalf("an outcome without a choice: %d\n%s", res.status, res.body)
	}
	res = lead.post(page+"/challenges/"+cid+"/outcome", url.Values{"outcome": {tenders.ChallengeDismissed}, "outcomeSummary": {"Scores checked and right."}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "The outcome of the challenge is recorded") || !strings.Contains(res.body, "Scores checked and right.") {
		t.Fatalf("outcome: %d\n%s", res.status, res.body)
	}

	// No standstill for this light touch contract: straight to the contract.
	v.moveTo(id, tenders.StatusContracting)
	entry := v.openTask(tenders.Subject(id), tenders.TaskContractEntry, pathway.RoleCommissionerLead, "")
	res = lead.get("/tasks/" + entry.ID)
	tcCheck(t, lead, res)
	if res.status != http.StatusOK || !strings.Contains(res.body, `name="value-north" type="text" value="50000"`) || !strings.Contains(res.body, "won by Hazel Care Co-operative") {
		t.Fatalf("contract form: %d\n%s", res.status, res.body)
	}
	form := url.Values{"signedOn-day": {"12"}, "signedOn-month": {"6"}, "signedOn-year": {"2027"}, "start-day": {"1"}, "start-month": {"9"}, "start-year": {"2027"},
		"end-day": {"31"}, "end-month": {"8"}, "end-year": {"2029"}, "value-north": {"not money"}}
	if res = lead.post("/tasks/"+entry.ID, form); res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#value-north"`) {
		t.Fatalf("bad value: %d\n%s", res.status, res.body)
	}
	form.Set("value-north", "50,000")
	res = lead.post("/tasks/"+entry.ID, form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "The contract is recorded") || !strings.Contains(res.body, "Signed on") {
		t.Fatalf("contract: %d\n%s", res.status, res.body)
	}
	td, err = v.ts.GetTender(v.ctx, id)
	v.must(err)
	tcCheck(t, lead, res)
	if !strings.Contains(res.body, "Due by "+tcDay(td.Contract.NoticeDue)) {
		t.Errorf("the UK7 due date %s is not shown", td.Contract.NoticeDue)
	}
	notice := v.openTask(tenders.Subject(id), tenders.TaskContractNotice, pathway.RoleCommissionerLead, "")
	res = lead.get("/tasks/" + notice.ID)
	if res.status != http.StatusOK || !strings.Contains(res.body, "It is due by "+tcDay(td.Contract.NoticeDue)) {
		t.Fatalf("notice form: %d\n%s", res.status, res.body)
	}
	if res = lead.post("/tasks/"+notice.ID, url.Values{"publishedOn-day": {"13"}, "publishedOn-month": {"6"}, "publishedOn-year": {"2027"}}); res.status != http.StatusBadRequest ||
		!strings.Contains(res.body, "The day the notice was published: must not be in the future") {
		t.Fatalf("a notice published tomorrow: %d\n%s", res.status, res.body)
	}
	res = lead.post("/tasks/"+notice.ID, url.Values{"publishedOn-day": {"12"}, "publishedOn-month": {"6"}, "publishedOn-year": {"2027"}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "The contract details notice (UK7) is recorded") {
		t.Fatalf("notice: %d\n%s", res.status, res.body)
	}
}

// tcDay writes a YYYY-MM-DD day as the pages do.
func tcDay(day string) string {
	d, err := timeParseDay(day)
	if err != nil {
		return day
	}
	return pathway.FormatDate(d)
}

func timeParseDay(day string) (time.Time, error) { return time.Parse(time.DateOnly, day) }

// tcCheck fails the test when the page breaks the rules every page keeps.
func tcCheck(t *testing.T, vi *visitor, res response) {
	t.Helper()
	if problems := checkPage(res.body, vi.csrf()); len(problems) > 0 {
		t.Errorf("%s breaks page rules:\n%s", res.path, strings.Join(problems, "\n"))
	}
}

// TestTenderCouncilStandstill: in standstill the tender page shows the
// award notice (UK6), the last day of standstill, the first day the
// contract may be entered into, and links to the calculator.
func TestTenderCouncilStandstill(t *testing.T) {
	v := newCouncilTenderEnv(t)
	id := v.standstillTender()
	lead := v.visit(tcLead)
	res := lead.get("/tenders/" + id)
	tcCheck(t, lead, res)
	for _, want := range []string{"Published on 14 June 2027", "Last day of standstill", "24 June 2027", "25 June 2027",
		`href="/standstill?days=8&amp;from=2027-06-14"`, "Record a challenge", "Hazel Care Co-operative, £50,000"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("standstill page lacks %q", want)
		}
	}
	if res := lead.get("/tenders"); !strings.Contains(res.body, "Standstill ends on 24 June 2027") {
		t.Errorf("the list lacks the standstill's end:\n%s", res.body)
	}
	// Other staff see the standstill but record no challenge.
	if res := v.visit(tcStaff).get("/tenders/" + id); !strings.Contains(res.body, "Last day of standstill") || strings.Contains(res.body, "Record a challenge") {
		t.Errorf("staff's standstill page:\n%s", res.body)
	}
}
