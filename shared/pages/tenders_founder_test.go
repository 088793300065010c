package pages_test

import (
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localfiles"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/web"
)

// bidForm is a complete bid for the north lot only.
func bidForm(key, coop string) url.Values {
	return url.Values{"key": {key}, "coop": {coop}, "price-north": {"58,500"}, "price-south": {""},
		"response-care":  {"Each person has a small team of three carers who know them."},
		"response-local": {"We hire and train carers who live in the area."}, "step": {"check"}}
}

// sendBid has the founder bid for the tender through the pages (the form,
// check your answers, send) and returns the bid's ID.
func sendBid(t *testing.T, te *tenderEnv, founder, tender, coop string, price string) string {
	t.Helper()
	vi := te.visit(founder)
	res := vi.get("/tenders/" + tender + "/bid?coop=" + url.QueryEscape(coop))
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your price for North") {
		t.Fatalf("bid form: %d\n%s", res.status, res.body)
	}
	form := bidForm(hiddenValue(t, res.body, "key"), coop)
	form.Set("price-north", price)
	form.Set("step", "send")
	res = vi.post("/tenders/"+tender+"/bid", form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your bid is sent") {
		t.Fatalf("send: %d %s\n%s", res.status, res.path, res.body)
	}
	return bidIDOf(t, res.path)
}

// TestFounderTendersCanBidReasons: the list shows, for each of the
// founder's co-ops, whether it can bid and, when not, why and what to do;
// the co-op page links to its tenders.
func TestFounderTendersCanBidReasons(t *testing.T) {
	te := newTenderEnv(t)
	id := te.openTender("Home care in Calderdale", false)
	ash := te.visit(founderID)
	res := ash.get("/tenders")
	if res.status != http.StatusOK {
		t.Fatalf("tenders: %d\n%s", res.status, res.body)
	}
	for _, want := range []string{"Home care in Calderdale", "Alder Care Co-operative can bid", "/tenders/" + id + "/bid?coop=" + coopAlder,
		"Cedar Care Co-operative cannot bid yet", "must be registered with CQC", "What to do:", "Carry on with your co-op&#39;s task list",
		`href="/glossary#tender"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("tenders page lacks %q", want)
		}
	}
	if strings.Contains(res.body, "Birch Care") {
		t.Errorf("Ash's list shows Bea's co-op")
	}
	if problems := checkPage(res.body, ash.csrf()); len(problems) > 0 {
		t.Errorf("tenders page: %v", problems)
	}
	// The co-op that cannot bid gets the reasons, not the form.
	res = ash.get("/tenders/" + id + "/bid?coop=" + coopCedar)
	if res.status != http.StatusOK || !strings.Contains(res.body, "cannot bid for this tender") || strings.Contains(res.body, "Your price for North") {
		t.Errorf("bid form for a co-op that cannot bid: %d\n%s", res.status, res.body)
	}
	// Another founder's co-op is not found.
	if res := ash.get("/tenders/" + id + "/bid?coop=" + coopBirch); res.status != http.StatusNotFound {
		t.Errorf("bid form for another founder's co-op: %d, want 404", res.status)
	}
	res = ash.get("/coops/" + coopAlder)
	if !strings.Contains(res.body, `href="/coops/`+coopAlder+`/tenders"`) {
		t.Errorf("co-op page has no Tenders link")
	}
}

// TestFounderTenderPageAndQuestions: the tender's page shows what is
// bought, lots, criteria with weights and the dates in UK time; a question
// needs words (the error names the field), is sent, and once answered
// every bidder reads it without who asked; after questions close the form
// goes.
func TestFounderTenderPageAndQuestions(t *testing.T) {
	te := newTenderEnv(t)
	id := te.openTender("Home care in Calderdale", false)
	ash, bea := te.visit(founderID), te.visit(founder2ID)
	res := ash.get("/tenders/" + id)
	for _, want := range []string{"North", "£60,000", "Quality of care", "50%", "How carers stay with the same people.", "Social value",
		"(UK time)", "Questions close", "Tenders close", "Your question", `href="/glossary#lot"`, `href="/glossary#light-touch"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("tender page lacks %q", want)
		}
	}
	if problems := checkPage(res.body, ash.csrf()); len(problems) > 0 {
		t.Errorf("tender page: %v", problems)
	}
	res = ash.post("/tenders/"+id+"/questions", url.Values{"question": {"  "}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#question"`) || !strings.Contains(res.body, "Enter your question") {
		t.Fatalf("empty question: %d\n%s", res.status, res.body)
	}
	res = ash.post("/tenders/"+id+"/questions", url.Values{"question": {"Can one co-op bid for both lots?"}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your question is sent") || !strings.Contains(res.body, "Can one co-op bid for both lots?") {
		t.Fatalf("question sent: %d\n%s", res.status, res.body)
	}
	if strings.Contains(bea.get("/tenders/"+id).body, "Can one co-op bid") {
		t.Errorf("another bidder sees the question before it is answered")
	}
	qs, err := te.svc.Questions(te.ctx, te.lead(), id)
	te.must(err)
	if len(qs) != 1 {
		t.Fatalf("questions: %+v", qs)
	}
	_, err = te.svc.AnswerQuestion(te.ctx, te.lead(), id, qs[0].ID, tenderservice.AnswerInput{Answer: "Yes: price each lot you bid for."})
	te.must(err)
	res = bea.get("/tenders/" + id)
	if !strings.Contains(res.body, "Can one co-op bid for both lots?") || !strings.Contains(res.body, "Yes: price each lot you bid for.") {
		t.Errorf("the answer is not shown to another bidder:\n%s", res.body)
	}
	if strings.Contains(res.body, "Ash Example") || strings.Contains(res.body, "Alder Care") {
		t.Errorf("the answer names who asked")
	}
	// After questions close, no form.
	te.clock.set(te.clock.now().Add(6 * 24 * 3600e9))
	if res := bea.get("/tenders/" + id); strings.Contains(res.body, "Send your question") || !strings.Contains(res.body, "Questions closed") {
		t.Errorf("question form after questions closed")
	}
	// Without the CSRF token, the question is refused.
	if res := ash.postRaw("/tenders/"+id+"/questions", url.Values{"question": {"Another?"}}); res.status != http.StatusForbidden {
		t.Errorf("question without a CSRF token: %d, want 403", res.status)
	}
}

// TestFounderBidSendRetryChangeWithdraw: errors name the fields; the check
// page shows the answers; sending twice with the same form stores one bid;
// the bid can be changed and withdrawn (after a confirmation page) before
// the deadline; then it cannot change.
func TestFounderBidSendRetryChangeWithdraw(t *testing.T) {
	te := newTenderEnv(t)
	id := te.openTender("Home care in Calderdale", false)
	ash := te.visit(founderID)
	res := ash.get("/tenders/" + id + "/bid?coop=" + coopAlder)
	if problems := checkPage(res.body, ash.csrf()); len(problems) > 0 {
		t.Errorf("bid form: %v", problems)
	}
	key := hiddenValue(t, res.body, "key")
	form := bidForm(key, coopAlder)
	form.Set("price-north", "a lot")
	form.Set("response-care", "")
	res = ash.post("/tenders/"+id+"/bid", form)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#price-north"`) || !strings.Contains(res.body, `href="#response-care"`) ||
		!strings.Contains(res.body, "Write your response to Quality of care") {
		t.Fatalf("bad bid: %d\n%s", res.status, res.body)
	}
	form.Set("price-north", "")
	res = ash.post("/tenders/"+id+"/bid", form)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Enter a price for at least one lot") {
		t.Fatalf("no lot priced: %d\n%s", res.status, res.body)
	}
	form = bidForm(key, coopAlder)
	res = ash.post("/tenders/"+id+"/bid", form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Check your bid") || !strings.Contains(res.body, "£58,500") ||
		!strings.Contains(res.body, "Not bidding for this lot") {
		t.Fatalf("check page: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, ash.csrf()); len(problems) > 0 {
		t.Errorf("check page: %v", problems)
	}
	form.Set("step", "send")
	noToken := maps.Clone(form)
	noToken.Del(web.CSRFField)
	if res := ash.postRaw("/tenders/"+id+"/bid", noToken); res.status != http.StatusForbidden {
		t.Errorf("bid without a CSRF token: %d, want 403", res.status)
	}
	res = ash.post("/tenders/"+id+"/bid", form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your bid is sent") || !strings.Contains(res.body, "sealed") {
		t.Fatalf("send: %d\n%s", res.status, res.body)
	}
	bid := bidIDOf(t, res.path)
	again := ash.post("/tenders/"+id+"/bid", form)
	if bidIDOf(t, again.path) != bid {
		t.Fatalf("a resent form made bid %s, not %s", again.path, bid)
	}
	td, err := te.ts.GetTender(te.ctx, id)
	te.must(err)
	if td.Bids != 1 {
		t.Errorf("tender counts %d bids after a retry, want 1", td.Bids)
	}
	if problems := withoutUploadForm(checkPage(res.body, ash.csrf())); len(problems) > 0 {
		t.Errorf("bid page: %v", problems)
	}
	// The list now links to the bid.
	if res := ash.get("/tenders"); !strings.Contains(res.body, "/bids/"+bid+"/sent") {
		t.Errorf("tenders page does not link to the bid")
	}
	if res := ash.get("/tenders/" + id); !strings.Contains(res.body, "/bids/"+bid+"/sent") || !strings.Contains(res.body, "Your bid is sealed") {
		t.Errorf("tender page does not give the bid's status and next step:\n%s", res.body)
	}

	// Change: the form comes filled; a new price is saved.
	res = ash.get("/bids/" + bid + "/change")
	if res.status != http.StatusOK || !strings.Contains(res.body, `value="58500"`) || !strings.Contains(res.body, "small team of three carers") {
		t.Fatalf("change form: %d\n%s", res.status, res.body)
	}
	change := url.Values{"coop": {coopAlder}, "version": {hiddenValue(t, res.body, "version")}, "price-north": {"57000"}, "price-south": {"39000"},
		"response-care": {"A small team of three carers for each person."}, "response-local": {"We hire locally."}, "step": {"send"}}
	res = ash.post("/bids/"+bid+"/change", change)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your changes to the bid are saved") || !strings.Contains(res.body, "£57,000") ||
		!strings.Contains(res.body, "£39,000") {
		t.Fatalf("changed: %d\n%s", res.status, res.body)
	}
	// A change from a stale form is refused, showing the latest bid.
	res = ash.post("/bids/"+bid+"/change", change)
	if res.status != http.StatusConflict || !strings.Contains(res.body, "Someone else changed this bid") {
		t.Errorf("stale change: %d\n%s", res.status, res.body)
	}
	// Another founder cannot see or change it.
	bea := te.visit(founder2ID)
	for _, p := range []string{"/bids/" + bid + "/sent", "/bids/" + bid + "/change", "/bids/" + bid + "/withdraw"} {
		if res := bea.get(p); res.status != http.StatusNotFound {
			t.Errorf("another founder: GET %s = %d, want 404", p, res.status)
		}
	}

	// Withdraw: a confirmation page, then the bid is withdrawn.
	res = ash.get("/bids/" + bid + "/withdraw")
	if res.status != http.StatusOK || !strings.Contains(res.body, "Yes, withdraw this bid") {
		t.Fatalf("withdraw page: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, ash.csrf()); len(problems) > 0 {
		t.Errorf("withdraw page: %v", problems)
	}
	if res := ash.postRaw("/bids/"+bid+"/withdraw", url.Values{}); res.status != http.StatusForbidden {
		t.Errorf("withdraw without a CSRF token: %d, want 403", res.status)
	}
	res = ash.post("/bids/"+bid+"/withdraw", url.Values{"reason": {"We could not staff both areas."}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your bid is withdrawn") || !strings.Contains(res.body, "Withdrawn") {
		t.Fatalf("withdrawn: %d\n%s", res.status, res.body)
	}
	if strings.Contains(res.body, "/bids/"+bid+"/change") {
		t.Errorf("a withdrawn bid offers a change")
	}
	if res := ash.get("/bids/" + bid + "/change"); res.status != http.StatusConflict {
		t.Errorf("change after withdrawing: %d, want 409", res.status)
	}
	// The co-op may bid again.
	if res := ash.get("/tenders/" + id); !strings.Contains(res.body, "bid again") {
		t.Errorf("the tender page offers no new bid after withdrawing")
	}
}

// TestFounderBidReservedDeclarations: a reserved tender explains the
// mutual's conditions, and the bid needs each declared with evidence,
// errors naming each field.
func TestFounderBidReservedDeclarations(t *testing.T) {
	te := newTenderEnv(t)
	id := te.openTender("Reserved home care", true)
	ash := te.visit(founderID)
	res := ash.get("/tenders/" + id)
	if !strings.Contains(res.body, "Reserved for public service mutuals") || !strings.Contains(res.body, `href="/glossary#public-service-mutual"`) {
		t.Errorf("reserved tender page:\n%s", res.body)
	}
	res = ash.get("/tenders/" + id + "/bid?coop=" + coopAlder)
	if !strings.Contains(res.body, "The co-op&#39;s employees manage and control it") {
		t.Fatalf("no conditions on the form:\n%s", res.body)
	}
	if problems := checkPage(res.body, ash.csrf()); len(problems) > 0 {
		t.Errorf("reserved bid form: %v", problems)
	}
	form := bidForm(hiddenValue(t, res.body, "key"), coopAlder)
	form.Set("met-public-services", "yes")
	res = ash.post("/tenders/"+id+"/bid", form)
	for _, want := range []string{`href="#evidence-public-services"`, `href="#met-profits"`, `href="#met-employee-control"`, `href="#met-no-recent-reserved"`} {
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, want) {
			t.Errorf("undeclared conditions: %d, lacks %q", res.status, want)
		}
	}
	for _, c := range tenders.Conditions {
		form.Set("met-"+c.Code, "yes")
		form.Set("evidence-"+c.Code, "Rule 4 of our registered rules says so.")
	}
	form.Set("step", "send")
	res = ash.post("/tenders/"+id+"/bid", form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your bid is sent") || !strings.Contains(res.body, "Met. Rule 4 of our registered rules") {
		t.Fatalf("reserved bid: %d\n%s", res.status, res.body)
	}
	b, err := te.ts.GetBid(te.ctx, bidIDOf(t, res.path))
	te.must(err)
	if d := b.Declarations[tenders.ConditionEmployeeControl]; !d.Met || d.Evidence == "" {
		t.Errorf("declaration stored: %+v", b.Declarations)
	}
}

// TestFounderBidSummaryAndContract: after the award each bidder's founders
// read their own assessment summary (scores, reasons, the winner's, why);
// nobody else does; the winner sees the contract once entered into, and
// the co-op's agency sees the bids read-only, "contracted".
func TestFounderBidSummaryAndContract(t *testing.T) {
	te := newTenderEnv(t)
	id := te.openTender("Home care in Calderdale", false)
	won := sendBid(t, te, founderID, id, coopAlder, "58000")
	lost := sendBid(t, te, founder2ID, id, coopBirch, "59000")
	ash, bea := te.visit(founderID), te.visit(founder2ID)
	if res := ash.get("/bids/" + won + "/summary"); res.status == http.StatusOK {
		t.Errorf("a summary before the award: %d", res.status)
	}
	te.award(id, map[string]map[string]int{coopAlder: {"care": 5, "local": 4}, coopBirch: {"care": 3, "local": 3}})

	res := ash.get("/bids/" + won + "/sent")
	if !strings.Contains(res.body, "Won") || !strings.Contains(res.body, "Read your assessment summary") || !strings.Contains(res.body, "standstill") {
		t.Errorf("winner's bid page:\n%s", res.body)
	}
	res = bea.get("/bids/" + lost + "/summary")
	if res.status != http.StatusOK {
		t.Fatalf("loser's summary: %d\n%s", res.status, res.body)
	}
	for _, want := range []string{"Not won", "3 out of 5", "Care scored 3", "The winner's total", "5 out of 5", "Quality of care", `href="/glossary#assessment-summary"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("loser's summary lacks %q", want)
		}
	}
	if problems := checkPage(res.body, bea.csrf()); len(problems) > 0 {
		t.Errorf("summary page: %v", problems)
	}
	if strings.Contains(res.body, "Care scored 5") || strings.Contains(res.body, "Alder Care") {
		t.Errorf("the loser's summary shows the winner's reasons or name")
	}
	// Only the bid's founders read it.
	for _, p := range []string{"/bids/" + won + "/summary", "/bids/" + won + "/sent"} {
		if res := bea.get(p); res.status != http.StatusNotFound {
			t.Errorf("another co-op's founder: GET %s = %d, want 404", p, res.status)
		}
		if res := te.visit(officerID).get(p); res.status != http.StatusNotFound {
			t.Errorf("the agency: GET %s = %d, want 404", p, res.status)
		}
	}

	te.contract(id)
	res = ash.get("/bids/" + won + "/sent")
	if !strings.Contains(res.body, "The contract") || !strings.Contains(res.body, "£55,000") {
		t.Errorf("winner's bid page after the contract:\n%s", res.body)
	}
	if res := bea.get("/bids/" + lost + "/sent"); strings.Contains(res.body, "The contract") {
		t.Errorf("the loser sees the contract")
	}
	res = te.visit(officerID).get("/coops/" + coopAlder + "/tenders")
	if res.status != http.StatusOK || !strings.Contains(res.body, "Home care in Calderdale") || !strings.Contains(res.body, "Contracted") ||
		strings.Contains(res.body, "/bids/"+won) {
		t.Errorf("agency's view of the co-op's tenders: %d\n%s", res.status, res.body)
	}
	res = ash.get("/coops/" + coopAlder + "/tenders")
	if !strings.Contains(res.body, "/bids/"+won+"/sent") {
		t.Errorf("founder's co-op tenders page does not link the bid")
	}
}

// TestFounderBidFiles: the bid's founders upload files on its page until
// tenders close (a file of another type is refused naming the field); then
// the form goes and the files stay listed.
func TestFounderBidFiles(t *testing.T) {
	te := newTenderEnv(t)
	id := te.openTender("Home care in Calderdale", false)
	bid := sendBid(t, te, founderID, id, coopAlder, "58000")
	page := te.srv.URL + "/bids/" + bid + "/sent"
	ash := te.browser(founderID)
	_, body := getPage(t, ash, page)
	if !strings.Contains(body, "No files have been uploaded for this bid yet.") || !strings.Contains(body, "Upload a file") {
		t.Fatalf("bid page:\n%s", body)
	}
	status, after := postUpload(t, ash, te.srv.URL, body, "rules.pdf", []byte("%PDF-1.7\ninvented co-op rules\n"))
	if status != 200 || !strings.Contains(after, "Your file is uploaded") || !strings.Contains(after, "rules.pdf") {
		t.Fatalf("after the upload: %d\n%s", status, after)
	}
	status, refused := postUpload(t, ash, te.srv.URL, after, "notes.pdf", []byte("<html>not a pdf</html>"))
	if status != 400 || !strings.Contains(refused, `href="#file"`) {
		t.Errorf("refused upload: %d\n%s", status, refused)
	}
	files, err := te.svc.BidFiles(te.ctx, user(founderID), bid)
	te.must(err)
	if len(files) != 1 || files[0].Name != "rules.pdf" {
		t.Errorf("bid's files: %+v, want rules.pdf", files)
	}
	te.clock.set(te.clock.now().Add(11 * 24 * time.Hour))
	_, body = getPage(t, ash, page)
	if strings.Contains(body, "Upload a file") || !strings.Contains(body, "rules.pdf") {
		t.Errorf("bid page after tenders closed:\n%s", body)
	}
	// Another founder cannot fetch it.
	if _, body := getPage(t, te.browser(founder2ID), page); !strings.Contains(body, "Page not found") {
		t.Errorf("another founder sees the bid page")
	}
}

// withoutUploadForm drops checkPage's word on the upload form, which posts
// straight to storage and carries no CSRF token by design (files.go).
func withoutUploadForm(problems []string) []string {
	var out []string
	for _, p := range problems {
		if !strings.Contains(p, localfiles.UploadPath) {
			out = append(out, p)
		}
	}
	return out
}
