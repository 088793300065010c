package pages

// The tenders pages for founders: the open tenders with whether each of
// their co-ops can bid and what to do when it cannot, a tender's page
// (what is bought, lots, criteria, key dates in UK time, the mutual's
// conditions of a reserved tender, the questions and answers without who
// asked, a form to ask), and the co-op's tenders page. The bid itself is in
// tenders_founder_bid.go, its page and assessment summary in
// tenders_founder_sent.go. Every read and write goes through the tenders
// service (shared/tenders/tenderservice), which holds the rules: sealed
// bids, who sees which bid, questions never naming the asker.
//
// GET /tenders and GET /tenders/{id} are shared with the council's pages
// (tenders.go): those handlers call founderTendersPage and
// founderTenderPage for founders.

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

func init() {
	funcs["ukTime"] = ukTime
	funcs["bidStatus"] = bidStatus
	funcs["tenderStatusName"] = func(code string) string { return pathway.TermName(tenders.Statuses, code) }
	funcs["criterionKind"] = criterionKind
	funcs["conditionName"] = func(code string) string { return pathway.TermName(tenders.Conditions, code) }
	funcs["marks"] = tenders.Marks
}

// tenderNotices are the banners a redirect within the founders' tender
// pages asks for.
var tenderNotices = map[string]string{
	"asked":     "Your question is sent to the council. Its answer will appear on this page for every bidder, without saying who asked.",
	"bid-sent":  "Your bid is sent. It is sealed: the council cannot read it until tenders close.",
	"bid-saved": "Your changes to the bid are saved.",
	"withdrawn": "Your bid is withdrawn. The council will not assess it.",
	"uploaded":  "Your file is uploaded.",
}

// ukTime writes an instant as people in the UK read it: "2:30pm on
// 14 March 2027 (UK time)".
func ukTime(t time.Time) string {
	if t.IsZero() {
		return "not set"
	}
	l := t.In(pathway.UKTime)
	clock := l.Format("3:04pm")
	if l.Minute() == 0 {
		clock = l.Format("3pm")
	}
	if l.Hour() == 12 && l.Minute() == 0 {
		clock = "midday"
	}
	return clock + " on " + l.Format("2 January 2006") + " (UK time)"
}

// bidStatus says a bid's status in words, with a tag colour.
func bidStatus(code string) map[string]any {
	class := "blue"
	switch code {
	case tenders.BidWon:
		class = "green"
	case tenders.BidLost, tenders.BidBelowMin:
		class = "red"
	case tenders.BidWithdrawn:
		class = "grey"
	case tenders.BidAssessed:
		class = "yellow"
	}
	return map[string]any{"Class": class, "Text": pathway.TermName(tenders.BidStatuses, code)}
}

// criterionKind says what kind of criterion it is.
func criterionKind(kind string) string {
	return map[string]string{tenders.KindQuality: "Quality", tenders.KindPrice: "Price", tenders.KindSocialValue: "Social value"}[kind]
}

// reasonNext says what a co-op can do about a reason it cannot bid.
func reasonNext(rule string) string {
	switch rule {
	case tenders.RuleNotRegistered:
		return "Carry on with your co-op's task list to register with CQC. Once CQC registers the co-op, it can bid for tenders like this one."
	case tenders.RuleActivities:
		return "Ask CQC to add the regulated activities the tender needs to your registration, or look for tenders your registration covers."
	case tenders.RuleDeadlinePassed, tenders.RuleTenderNotOpen:
		return "Look out for the council's next tender: new ones appear on this page."
	case tenders.RuleReservedBefore:
		return "You can still bid for this council's tenders that are not reserved, and for reserved tenders from other councils."
	case tenders.RuleJourneyEnded:
		return "Talk to your development agency about starting again."
	}
	return ""
}

// tendersOr404 returns the tenders service, or answers "page not found"
// when none is configured.
func (h *Handler) tendersOr404(w http.ResponseWriter, r *http.Request) *tenderservice.Service {
	if h.tenders == nil {
		h.NotFound(w, r)
	}
	return h.tenders
}

// tenderPath is a tender's page; bidPath a bid's page for its founders.
func tenderPath(id string) string { return "/tenders/" + url.PathEscape(id) }
func bidPath(id string) string    { return "/bids/" + url.PathEscape(id) + "/sent" }

// coopRow is one of the founder's co-ops against one tender: whether it
// can bid, why not and what to do, and its bid when it has one.
type coopRow struct {
	tenderservice.CoopBidding
	Reasons []reasonRow
	// Bid is the co-op's bid for the tender, withdrawn ones included.
	Bid *tenders.Bid
	// BidHref starts a bid when the co-op can bid and has none in.
	BidHref string
	// Next says what happens next to the bid.
	Next string
}

// reasonRow is one reason a co-op cannot bid, and what to do about it.
type reasonRow struct{ Message, Next string }

// tenderRow is one tender on the founders' list or page.
type tenderRow struct {
	*tenderservice.TenderView
	Coops []coopRow
}

// coopRows pairs each of the founder's co-ops with its bid for the tender.
func coopRows(v *tenderservice.TenderView, bids map[string][]*tenders.Bid) []coopRow {
	out := make([]coopRow, 0, len(v.Coops))
	for _, c := range v.Coops {
		row := coopRow{CoopBidding: c}
		for _, rs := range c.Reasons {
			row.Reasons = append(row.Reasons, reasonRow{Message: rs.Message, Next: reasonNext(rs.Rule)})
		}
		for _, b := range bids[c.Coop] {
			if b.Tender == v.ID && (row.Bid == nil || row.Bid.Status == tenders.BidWithdrawn) {
				row.Bid = b
			}
		}
		if row.Bid != nil {
			row.Next = bidNext(row.Bid, v)
		}
		if c.CanBid && (row.Bid == nil || row.Bid.Status == tenders.BidWithdrawn) {
			row.BidHref = tenderPath(v.ID) + "/bid?" + url.Values{"coop": {c.Coop}}.Encode()
		}
		out = append(out, row)
	}
	return out
}

// founderBids returns the bids of each of the co-ops named in the views,
// by co-op.
func (h *Handler) founderBids(r *http.Request, views ...*tenderservice.TenderView) (map[string][]*tenders.Bid, error) {
	out := map[string][]*tenders.Bid{}
	for _, v := range views {
		for _, c := range v.Coops {
			if _, done := out[c.Coop]; done {
				continue
			}
			bids, err := h.tenders.CoopBids(r.Context(), userFrom(r), c.Coop)
			if err != nil {
				return nil, err
			}
			out[c.Coop] = bids
		}
	}
	return out, nil
}

// founderTendersPage is /tenders for a founder: the open tenders, and for
// each of their co-ops whether it can bid, why not and what to do next.
func (h *Handler) founderTendersPage(w http.ResponseWriter, r *http.Request) {
	g := h.tendersOr404(w, r)
	if g == nil {
		return
	}
	list, err := g.Tenders(r.Context(), userFrom(r))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	views := make([]*tenderservice.TenderView, len(list))
	for i := range list {
		views[i] = &list[i]
	}
	bids, err := h.founderBids(r, views...)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	rows := make([]tenderRow, 0, len(views))
	for _, v := range views {
		rows = append(rows, tenderRow{TenderView: v, Coops: coopRows(v, bids)})
	}
	h.render(w, r, http.StatusOK, "tender-founder-list", &page{Title: "Tenders you can bid for", Nav: "tenders",
		Notice: tenderNotices[r.URL.Query().Get("notice")], Data: rows})
}

// founderTenderData is what a tender's page shows a founder.
type founderTenderData struct {
	tenderRow
	Questions []tenders.Question
	// Ask is the question form, while questions may be asked.
	Ask    field
	CanAsk bool
}

// founderTenderPage is /tenders/{id} for a founder: the tender, its
// questions and answers, the question form, and each co-op's bid status.
func (h *Handler) founderTenderPage(w http.ResponseWriter, r *http.Request) {
	if h.tendersOr404(w, r) == nil {
		return
	}
	h.showFounderTender(w, r, http.StatusOK, r.PathValue("id"), nil)
}

// showFounderTender renders a tender's page with the question form's
// errors, if any.
func (h *Handler) showFounderTender(w http.ResponseWriter, r *http.Request, status int, id string, errs formErrors) {
	ctx, u := r.Context(), userFrom(r)
	v, err := h.tenders.Tender(ctx, u, id)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	qs, err := h.tenders.Questions(ctx, u, id)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	bids, err := h.founderBids(r, v)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	d := &founderTenderData{tenderRow: tenderRow{TenderView: v, Coops: coopRows(v, bids)}, Questions: qs,
		CanAsk: u.Role == pathway.RoleFounder && v.Open && h.now().Before(v.QuestionsCloseAt)}
	value := ""
	if r.PostForm != nil {
		value = r.PostForm.Get("question")
	}
	d.Ask = field{ID: "question", Name: "question", Label: "Your question",
		Hint:  "The council answers it here for every bidder to read. It never says who asked.",
		Value: value, Err: errs.For("question")}
	h.render(w, r, status, "tender-founder-tender", &page{Title: v.Title, Nav: "tenders", Back: "/tenders", Errors: errs,
		Notice: tenderNotices[r.URL.Query().Get("notice")], Data: d})
}

// founderAsk sends a founder's clarification question to the council.
func (h *Handler) founderAsk(w http.ResponseWriter, r *http.Request) {
	g := h.tendersOr404(w, r)
	if g == nil {
		return
	}
	id := r.PathValue("id")
	q := strings.TrimSpace(r.PostForm.Get("question"))
	if q == "" {
		h.showFounderTender(w, r, http.StatusBadRequest, id, formErrors{{Field: "question", ID: "question", Message: "Enter your question"}})
		return
	}
	_, err := g.Ask(r.Context(), userFrom(r), id, tenderservice.QuestionInput{Question: q})
	if msgs := fieldsOf(err); msgs != nil {
		if m, ok := msgs[""]; ok {
			msgs = map[string]string{"question": m}
		}
		h.showFounderTender(w, r, http.StatusBadRequest, id, newErrors(msgs, []string{"question"}, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, tenderPath(id)+"?notice=asked#questions", http.StatusSeeOther)
}

// coopTendersPage lists a co-op's bids for its founders and, read-only,
// its agency, as coopGrantsPage does for grants.
func (h *Handler) coopTendersPage(w http.ResponseWriter, r *http.Request) {
	g := h.tendersOr404(w, r)
	if g == nil {
		return
	}
	ctx, u, id := r.Context(), userFrom(r), r.PathValue("id")
	c, _, err := h.journey.Coop(ctx, u, id)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	bids, err := h.coopBidsFor(r, c)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	h.render(w, r, http.StatusOK, "tender-founder-coop", &page{Title: "Tenders and contracts", Back: coopPath(id),
		Data: map[string]any{"Coop": c, "Bids": bids, "Founder": u.Role == pathway.RoleFounder}})
}
