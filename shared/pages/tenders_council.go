package pages

// The council's tender pages: its tenders by status, one tender from
// draft to contract (notices, sealed bid count, questions, bids after the
// deadline, results, award, standstill, challenges, contract, audit
// trail), publishing, and the bid a lead or a cleared evaluator reads.
// Every read and write goes through the tenders service, which keeps bids
// sealed until the deadline and away from a conflicted evaluator for good.

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// councilTenderNotices are the banners a redirect within the council's tender
// pages asks for.
var councilTenderNotices = map[string]string{
	"tender-saved": "The tender is saved as a draft. Publish it when it is ready.",
	"published":    "The tender is published: the tender notice (UK4) is recorded and bids are open until the deadline.",
	"answered":     "Your answer is published. Every bidder sees it, without the name of who asked.",
	"challenge":    "The challenge is recorded. While it is open the contract may not be entered into.",
	"outcome":      "The outcome of the challenge is recorded.",
	"conflict":     "You declared a conflict of interest. You will not see this bid again; the others evaluate it.",
	"no-conflict":  "You declared no conflict of interest. You can now read the bid and score it.",
	"evaluated":    "Your scores are saved.",
	"moderated":    "The agreed scores are saved.",
	"awarded":      "The award is saved. The assessment summaries go to the bidders, then the contract award notice (UK6) is published.",
	"contract":     "The contract is recorded. The contract details notice (UK7) is now due.",
	"notice":       "The contract details notice (UK7) is recorded.",
	"excused":      "You went on without the overdue evaluation. The bid is moderated with the other evaluators' scores.",
}

// councilTenderRow is one tender on the council's list.
type councilTenderRow struct {
	tenderservice.TenderView
	// Next says what happens next and by when, in words.
	Next string
}

// councilTenders is /tenders for council staff: their council's tenders
// grouped by status, with their deadlines.
func (h *Handler) councilTenders(w http.ResponseWriter, r *http.Request) {
	svc := h.tenderServiceOr404(w, r)
	if svc == nil {
		return
	}
	ts, err := svc.Tenders(r.Context(), userFrom(r))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	type group struct {
		Status string
		Rows   []councilTenderRow
	}
	var groups []group
	for _, st := range tenders.Statuses {
		g := group{Status: st.Code}
		for _, t := range ts {
			if t.Status == st.Code {
				g.Rows = append(g.Rows, councilTenderRow{TenderView: t, Next: nextStep(t.Tender)})
			}
		}
		if len(g.Rows) > 0 {
			slices.SortFunc(g.Rows, func(a, b councilTenderRow) int { return a.TendersCloseAt.Compare(b.TendersCloseAt) })
			groups = append(groups, g)
		}
	}
	h.render(w, r, http.StatusOK, "tender-council-list", &page{Title: "Your council's tenders", Nav: "tenders",
		Notice: councilTenderNotices[r.URL.Query().Get("notice")], Data: groups})
}

// nextStep says what a tender waits for, with its date.
func nextStep(t *tenders.Tender) string {
	switch t.Status {
	case tenders.StatusDraft:
		return "Publish it to open it for bids"
	case tenders.StatusOpen:
		return "Bids close at " + ukTime(t.TendersCloseAt)
	case tenders.StatusEvaluation:
		return "Evaluators are scoring the bids"
	case tenders.StatusModeration:
		return "The lead agrees the scores"
	case tenders.StatusAward:
		return "The lead confirms the winners"
	case tenders.StatusStandstill:
		if t.Period != nil {
			return "Standstill ends on " + ukDate(t.Period.LastDay)
		}
	case tenders.StatusContracting:
		return "Record the contract entered into"
	case tenders.StatusContracted:
		if t.Contract != nil && t.Contract.NoticeDue != "" && noticeOf(t, tenders.NoticeContractDetails) == nil {
			return "Contract details notice (UK7) due by " + ukDate(t.Contract.NoticeDue)
		}
	}
	return ""
}

// noticeOf returns the tender's published notice of the type, or nil.
func noticeOf(t *tenders.Tender, typ string) *tenders.Notice {
	for i := range t.Notices {
		if t.Notices[i].Type == typ && t.Notices[i].PublishedOn != "" {
			return &t.Notices[i]
		}
	}
	return nil
}

// tenderPageData is what the council's tender page shows.
type tenderPageData struct {
	View *tenderservice.TenderView
	Lead bool
	// Notices are UK4, UK6 and UK7 with when each was or is due.
	Notices []noticeRow
	// Questions are every clarification question, with an answer form
	// for those not answered.
	Questions []tenders.Question
	// Bids are the bids as the caller may see them, after the deadline.
	Bids []*tenderservice.BidView
	// Results are the ranked bids per lot, once the scores are agreed.
	Results []lotResults
	// Award names each lot's winner.
	Award []awardRow
	// Events is the audit trail.
	Events []*pathway.Event
	// Names are the council's staff's names by ID; Coops the bidders'.
	Names map[string]string
	// Forms on the page.
	F map[string]field
	// OpenChallenges counts the challenges without an outcome.
	OpenChallenges int
	Lots           map[string]string
	Criteria       []tenders.Criterion
	// StandstillLink is the calculator's address for the period.
	StandstillLink string
	// CanChallenge is true once the award is decided.
	CanChallenge bool
}

// noticeRow is one notice as the page lists it.
type noticeRow struct {
	Type, Name, PublishedOn, Due string
}

// lotResults are one lot's ranked bids.
type lotResults struct {
	Lot  tenders.Lot
	Rows []resultRow
}

// resultRow is one bid's result for a lot.
type resultRow struct {
	Bid    *tenderservice.BidView
	Result tenders.LotResult
	Price  int64
}

// awardRow is one lot's winner.
type awardRow struct {
	Lot    string
	Coop   string
	Top    bool
	Reason string
	Price  int64
}

// councilTenderPage is /tenders/{id} for council staff.
func (h *Handler) councilTenderPage(w http.ResponseWriter, r *http.Request) {
	h.showCouncilTender(w, r, http.StatusOK, nil)
}

// showCouncilTender renders the tender page, with the errors of one of
// its forms (the answer, challenge or outcome just sent) when errs is not
// empty.
func (h *Handler) showCouncilTender(w http.ResponseWriter, r *http.Request, status int, errs formErrors) {
	svc := h.tenderServiceOr404(w, r)
	if svc == nil {
		return
	}
	ctx, u, id := r.Context(), userFrom(r), r.PathValue("id")
	v, err := svc.Tender(ctx, u, id)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if !tenderservice.IsCouncilStaff(u, v.Council) {
		h.errorPage(w, r, nil, pathway.NotFound("tender"))
		return
	}
	d := &tenderPageData{View: v, Lead: tenderservice.IsCouncilLead(u, v.Council), Lots: map[string]string{}, Criteria: v.Criteria}
	for _, l := range v.Lots {
		d.Lots[l.ID] = l.Name
	}
	d.Notices = noticeRows(v.Tender)
	if d.Names, err = svc.StaffNames(ctx, u, v.Council); err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if v.Status != tenders.StatusDraft {
		if d.Questions, err = svc.Questions(ctx, u, id); err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
	}
	if !v.Sealed && v.Status != tenders.StatusDraft && v.Status != tenders.StatusOpen {
		// After the deadline only: before it the list is "not found".
		if d.Bids, err = svc.TenderBids(ctx, u, id); err != nil && pathway.ErrorCode(err) != pathway.ENOTFOUND {
			h.errorPage(w, r, nil, err)
			return
		}
		d.Results = resultsOf(v.Tender, d.Bids)
		d.Award = awardRows(v.Tender, d.Bids)
	}
	events, err := svc.Events(ctx, u, id, "", pathway.MaxPageSize)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	d.Events = events.Events
	for _, c := range v.Challenges {
		if c.Status == tenders.ChallengeOpen {
			d.OpenChallenges++
		}
	}
	d.CanChallenge = d.Lead && v.Award != nil && slices.Contains([]string{tenders.StatusAward, tenders.StatusStandstill, tenders.StatusContracting}, v.Status)
	if v.Period != nil {
		d.StandstillLink = "/standstill?" + url.Values{"from": {v.Period.From}, "days": {strconv.Itoa(v.Standstill.WorkingDays)}}.Encode()
	}
	d.F = tenderPageForms(r, errs)
	for _, q := range d.Questions {
		d.F["answer-"+q.ID] = field{ID: "answer-" + q.ID, Name: "answer", Label: "Your answer",
			Hint: "Every bidder sees it, without the name of who asked.", Err: errs.For("answer-" + q.ID)}
	}
	for _, c := range v.Challenges {
		d.F["outcome-"+c.ID] = field{ID: "outcome-" + c.ID, Name: "outcome", Type: "radio", Legend: "Outcome of the challenge",
			Err: errs.For("outcome-" + c.ID), Options: []option{
				{Value: tenders.ChallengeDismissed, Label: "Dismissed", Hint: "The award stands."},
				{Value: tenders.ChallengeUpheld, Label: "Upheld", Hint: "The council changes its decision."},
				{Value: tenders.ChallengeWithdrawn, Label: "Withdrawn by who challenged"}}}
		d.F["outcomeSummary-"+c.ID] = field{ID: "outcomeSummary-" + c.ID, Name: "outcomeSummary", Label: "What the council decided and why",
			Err: errs.For("outcomeSummary-" + c.ID)}
	}
	h.render(w, r, status, "tender-council-page", &page{Title: v.Title, Nav: "tenders", Back: "/tenders", Errors: errs,
		Notice: councilTenderNotices[r.URL.Query().Get("notice")], Data: d})
}

// tenderPageForms are the challenge and outcome forms' fields, with what
// was just sent when it had errors.
func tenderPageForms(r *http.Request, errs formErrors) map[string]field {
	get := func(k string) string {
		if r.Method != http.MethodPost || r.PostForm == nil {
			return ""
		}
		return r.PostForm.Get(k)
	}
	rec := readDate(get, "received")
	return map[string]field{
		"received": {ID: "received", Name: "received", Legend: "When did the council receive the challenge?", Hint: "For example, 3 11 2027",
			Day: rec.Day, Month: rec.Month, Year: rec.Year, Err: errs.For("received")},
		"from":    {ID: "from", Name: "from", Label: "Who challenged", Hint: "The organisation, for example the bidder's name.", Value: get("from"), Err: errs.For("from")},
		"summary": {ID: "summary", Name: "summary", Label: "What the challenge says", Value: get("summary"), Err: errs.For("summary")},
	}
}

// noticeRows lists the tender's notices: UK4, UK6, UK7, with the day each
// was published or, for UK7, is due.
func noticeRows(t *tenders.Tender) []noticeRow {
	names := map[string]string{tenders.NoticeTender: "Tender notice (UK4)", tenders.NoticeAward: "Contract award notice (UK6)",
		tenders.NoticeContractDetails: "Contract details notice (UK7)", tenders.NoticeTermination: "Procurement termination notice (UK12)"}
	var out []noticeRow
	for _, typ := range []string{tenders.NoticeTender, tenders.NoticeAward, tenders.NoticeContractDetails, tenders.NoticeTermination} {
		row := noticeRow{Type: typ, Name: names[typ]}
		for _, n := range t.Notices {
			if n.Type == typ {
				row.PublishedOn, row.Due = n.PublishedOn, cmp.Or(n.Due, row.Due)
			}
		}
		if typ == tenders.NoticeContractDetails && t.Contract != nil {
			row.Due = cmp.Or(row.Due, t.Contract.NoticeDue)
		}
		if typ == tenders.NoticeTermination && row.PublishedOn == "" {
			continue
		}
		out = append(out, row)
	}
	return out
}

// resultsOf ranks the bids per lot, best first, once the scores are agreed.
func resultsOf(t *tenders.Tender, bids []*tenderservice.BidView) []lotResults {
	var out []lotResults
	for _, l := range t.Lots {
		lr := lotResults{Lot: l}
		for _, b := range bids {
			if b.Bid == nil {
				continue
			}
			res, ok := b.Result(l.ID)
			if !ok {
				continue
			}
			lr.Rows = append(lr.Rows, resultRow{Bid: b, Result: res, Price: bidPrice(b.Bid, l.ID)})
		}
		slices.SortFunc(lr.Rows, func(a, b resultRow) int {
			ra, rb := a.Result.Rank, b.Result.Rank
			if ra == 0 {
				ra = 1 << 30
			}
			if rb == 0 {
				rb = 1 << 30
			}
			return cmp.Compare(ra, rb)
		})
		if len(lr.Rows) > 0 {
			out = append(out, lr)
		}
	}
	return out
}

// bidPrice returns the bid's price for the lot, in pence.
func bidPrice(b *tenders.Bid, lot string) int64 {
	for _, l := range b.Lots {
		if l.Lot == lot {
			return l.Price
		}
	}
	return 0
}

// awardRows names each lot's winner.
func awardRows(t *tenders.Tender, bids []*tenderservice.BidView) []awardRow {
	if t.Award == nil {
		return nil
	}
	var out []awardRow
	for _, la := range t.Award.Lots {
		row := awardRow{Lot: la.Lot, Coop: la.Coop, Top: la.TopRanked, Reason: la.Reason}
		for _, l := range t.Lots {
			if l.ID == la.Lot {
				row.Lot = l.Name
			}
		}
		for _, b := range bids {
			if b.ID == la.Bid {
				row.Coop = cmp.Or(b.CoopName, row.Coop)
				if b.Bid != nil {
					row.Price = bidPrice(b.Bid, la.Lot)
				}
			}
		}
		out = append(out, row)
	}
	return out
}

// publishPage asks the lead to confirm publishing, saying what it does.
func (h *Handler) publishPage(w http.ResponseWriter, r *http.Request) {
	svc := h.tenderServiceOr404(w, r)
	if svc == nil {
		return
	}
	v := h.leadsDraft(w, r, svc)
	if v == nil {
		return
	}
	if v.Status != tenders.StatusDraft {
		http.Redirect(w, r, "/tenders/"+url.PathEscape(v.ID), http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "tender-council-publish", &page{Title: "Publish this tender", Nav: "tenders",
		Back: "/tenders/" + url.PathEscape(v.ID), Data: v})
}

// publishTender publishes the lead's draft.
func (h *Handler) publishTender(w http.ResponseWriter, r *http.Request) {
	svc := h.tenderServiceOr404(w, r)
	if svc == nil {
		return
	}
	v := h.leadsDraft(w, r, svc)
	if v == nil {
		return
	}
	if _, err := svc.Publish(r.Context(), userFrom(r), v.ID); err != nil {
		if msgs := fieldsOf(err); msgs != nil {
			// The draft no longer passes the rules (a deadline passed):
			// the form says what to change.
			r.PostForm = tenderValues(v.Tender)
			r.Method = http.MethodGet
			h.showTenderForm(w, r, http.StatusBadRequest, &tenderFormData{Editing: true, ID: v.ID, Version: v.Version},
				newErrors(tenderFields(msgs), tenderOrder, nil))
			return
		}
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/tenders/"+url.PathEscape(v.ID)+"?notice=published", http.StatusSeeOther)
}

// answerQuestion publishes the council's answer to a clarification
// question.
func (h *Handler) answerQuestion(w http.ResponseWriter, r *http.Request) {
	svc := h.tenderServiceOr404(w, r)
	if svc == nil {
		return
	}
	id, q := r.PathValue("id"), r.PathValue("q")
	_, err := svc.AnswerQuestion(r.Context(), userFrom(r), id, q, tenderservice.AnswerInput{Answer: strings.TrimSpace(r.PostForm.Get("answer"))})
	if msgs := fieldsOf(err); msgs != nil {
		msg := cmp.Or(msgs["answer"], msgs[""], "Enter the answer")
		h.showCouncilTender(w, r, http.StatusBadRequest, formErrors{{Field: "answer-" + q, ID: "answer-" + q, Message: msg}})
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/tenders/"+url.PathEscape(id)+"?notice=answered#questions", http.StatusSeeOther)
}

// recordChallenge records a supplier's challenge to the award.
func (h *Handler) recordChallenge(w http.ResponseWriter, r *http.Request) {
	svc := h.tenderServiceOr404(w, r)
	if svc == nil {
		return
	}
	id, f := r.PathValue("id"), r.PostForm
	in := tenders.ChallengeInput{From: strings.TrimSpace(f.Get("from")), Summary: strings.TrimSpace(f.Get("summary"))}
	order := []string{"received", "from", "summary"}
	var errs formErrors
	var msg string
	if in.Received, msg = readDate(f.Get, "received").iso("the day the council received the challenge"); msg != "" {
		errs = append(errs, fieldError{Field: "received", ID: "received", Message: msg})
	}
	if in.From == "" {
		errs = append(errs, fieldError{Field: "from", ID: "from", Message: "Enter who challenged"})
	}
	if in.Summary == "" {
		errs = append(errs, fieldError{Field: "summary", ID: "summary", Message: "Enter what the challenge says"})
	}
	if len(errs) > 0 {
		h.showCouncilTender(w, r, http.StatusBadRequest, errs)
		return
	}
	_, err := svc.RecordChallenge(r.Context(), userFrom(r), id, in)
	if msgs := fieldsOf(err); msgs != nil {
		h.showCouncilTender(w, r, http.StatusBadRequest, newErrors(msgs, order, nil))
		return
	} else if pathway.ErrorCode(err) == pathway.ECONFLICT {
		h.showCouncilTender(w, r, http.StatusConflict, formErrors{{Field: "received", ID: "received", Message: pathway.ErrorMessage(err)}})
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/tenders/"+url.PathEscape(id)+"?notice=challenge#challenges", http.StatusSeeOther)
}

// decideChallenge records a challenge's outcome.
func (h *Handler) decideChallenge(w http.ResponseWriter, r *http.Request) {
	svc := h.tenderServiceOr404(w, r)
	if svc == nil {
		return
	}
	id, c, f := r.PathValue("id"), r.PathValue("c"), r.PostForm
	in := tenders.ChallengeOutcome{Outcome: f.Get("outcome"), Summary: strings.TrimSpace(f.Get("outcomeSummary"))}
	var errs formErrors
	if in.Outcome == "" {
		errs = append(errs, fieldError{Field: "outcome-" + c, ID: "outcome-" + c, Message: "Choose the challenge's outcome"})
	}
	if in.Summary == "" {
		errs = append(errs, fieldError{Field: "outcomeSummary-" + c, ID: "outcomeSummary-" + c, Message: "Say what the council decided and why"})
	}
	if len(errs) > 0 {
		h.showCouncilTender(w, r, http.StatusBadRequest, errs)
		return
	}
	_, err := svc.DecideChallenge(r.Context(), userFrom(r), id, c, in)
	if msgs := fieldsOf(err); msgs != nil {
		h.showCouncilTender(w, r, http.StatusBadRequest, formErrors{{Field: "outcome-" + c, ID: "outcome-" + c,
			Message: cmp.Or(msgs["outcome"], msgs["summary"], msgs[""], "Check the outcome")}})
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/tenders/"+url.PathEscape(id)+"?notice=outcome#challenges", http.StatusSeeOther)
}

// councilBidPage is /tenders/{id}/bids/{bid} for council staff: the bid
// as the service lets them see it. Before the deadline, and for good
// after a declared conflict, it is "page not found".
func (h *Handler) councilBidPage(w http.ResponseWriter, r *http.Request) {
	svc := h.tenderServiceOr404(w, r)
	if svc == nil {
		return
	}
	ctx, u := r.Context(), userFrom(r)
	b, err := svc.Bid(ctx, u, r.PathValue("bid"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if b.Bid != nil && b.Tender != r.PathValue("id") {
		h.errorPage(w, r, nil, pathway.NotFound("bid"))
		return
	}
	v, err := svc.Tender(ctx, u, r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	h.render(w, r, http.StatusOK, "tender-council-bid", &page{Title: "Bid from " + b.CoopName, Nav: "tenders",
		Back: "/tenders/" + url.PathEscape(v.ID), Data: map[string]any{"Bid": b, "Tender": v, "Lots": tenderLotNames(v.Tender)}})
}

// tenderLotNames maps the tender's lots' IDs to their names.
func tenderLotNames(t *tenders.Tender) map[string]string {
	out := map[string]string{}
	for _, l := range t.Lots {
		out[l.ID] = l.Name
	}
	return out
}
