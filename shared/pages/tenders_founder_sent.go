package pages

// A sent bid's page for its co-op's founders: its status and the next step,
// what was sent, its files (added until tenders close, as grant
// applications' are), the link to change or withdraw it before the
// deadline, and after the award its assessment summary and, for a winner,
// the contract once the council records it. The service answers "not
// found" to anyone else, so other founders never see it, nor the council
// before tenders close.

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// sentBidData is what a bid's page shows its founders.
type sentBidData struct {
	Bid    *tenderservice.BidView
	Tender *tenderservice.TenderView
	// Lots are the lots priced, with their names.
	Lots []sentLot
	// Crits are the written responses, in the tender's order.
	Crits []sentResponse
	// Conds are the mutual's declarations, for a reserved tender.
	Conds []sentResponse
	// Open is true while the bid may change or be withdrawn.
	Open bool
	// Next says what happens next, in words.
	Next string
	// Summary is the assessment summary, once sent.
	Summary bool
	// Contract is the contract's lots the co-op won, once entered into.
	Contract []sentLot
	Files    *filesData
}

type sentLot struct {
	Name  string
	Price int64
}

type sentResponse struct{ Name, Text string }

// founderBidView reads a bid as its founder sees it, with its tender; a
// bid u may not see whole is "not found".
func (h *Handler) founderBidView(r *http.Request, id string) (*tenderservice.BidView, *tenderservice.TenderView, error) {
	ctx, u := r.Context(), userFrom(r)
	b, err := h.tenders.Bid(ctx, u, id)
	if err != nil {
		return nil, nil, err
	}
	if b.Bid == nil || u.Role != pathway.RoleFounder {
		return nil, nil, pathway.NotFound("bid")
	}
	t, err := h.tenders.Tender(ctx, u, b.Tender)
	if err != nil {
		return nil, nil, err
	}
	return b, t, nil
}

// founderBidPage is a sent bid's page for its co-op's founders.
func (h *Handler) founderBidPage(w http.ResponseWriter, r *http.Request) {
	if h.tendersOr404(w, r) == nil {
		return
	}
	h.showFounderBid(w, r, http.StatusOK, r.PathValue("id"), nil)
}

func (h *Handler) showFounderBid(w http.ResponseWriter, r *http.Request, status int, id string, errs formErrors) {
	b, t, err := h.founderBidView(r, id)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	d := &sentBidData{Bid: b, Tender: t, Open: b.Status == tenders.BidSubmitted && t.Open}
	for _, lp := range b.Lots {
		l, _ := t.Lot(lp.Lot)
		d.Lots = append(d.Lots, sentLot{Name: l.Name, Price: lp.Price})
	}
	for _, c := range t.Criteria {
		if c.Scored() {
			d.Crits = append(d.Crits, sentResponse{Name: c.Name, Text: b.Responses[c.ID]})
		}
	}
	for _, c := range tenders.Conditions {
		if dcl, ok := b.Declarations[c.Code]; ok {
			d.Conds = append(d.Conds, sentResponse{Name: c.Name, Text: dcl.Evidence})
		}
	}
	d.Summary = t.Award != nil && !t.Award.SummariesSentAt.IsZero() && b.Status != tenders.BidWithdrawn && b.Status != tenders.BidSubmitted
	if b.Status == tenders.BidWon && t.Contract != nil {
		for _, cl := range t.Contract.Lots {
			if cl.Bid == b.ID || cl.Bid == "" && cl.Coop == b.Coop {
				l, _ := t.Lot(cl.Lot)
				d.Contract = append(d.Contract, sentLot{Name: l.Name, Price: cl.Value})
			}
		}
	}
	d.Next = bidNext(b.Bid, t)
	d.Files = h.bidFiles(r, b, d.Open, errs)
	h.render(w, r, status, "tender-founder-bid", &page{Title: "Your bid for " + t.Title, Nav: "tenders",
		Back: "/coops/" + url.PathEscape(b.Coop) + "/tenders", Errors: errs, Notice: tenderNotices[r.URL.Query().Get("notice")], Data: d})
}

// bidNext says what happens next to the bid, in plain English.
func bidNext(b *tenders.Bid, t *tenderservice.TenderView) string {
	if t.Status == tenders.StatusCancelled && b.Status != tenders.BidWithdrawn {
		return cancelledNext(t.Tender)
	}
	switch b.Status {
	case tenders.BidSubmitted:
		if t.Open {
			return "Your bid is sealed: the council cannot read it until tenders close at " + ukTime(t.TendersCloseAt) +
				". Until then you can change it, add files or withdraw it."
		}
		return "Tenders have closed. The council's evaluators are scoring the bids; you will get an assessment summary once the council decides the award."
	case tenders.BidWithdrawn:
		return "You withdrew this bid. The council will not assess it."
	case tenders.BidAssessed:
		return "The council has agreed your bid's scores and is deciding the award. You will get an assessment summary."
	case tenders.BidWon:
		if t.Contract != nil {
			return "The council has entered into the contract with your co-op."
		}
		if t.Period != nil {
			return "Your co-op won. The standstill runs until " + ukDate(t.Period.LastDay) + "; the council may enter into the contract from " +
				ukDate(t.Period.EnterFrom) + "."
		}
		return "Your co-op won. The council will record the contract once it is entered into."
	case tenders.BidLost, tenders.BidBelowMin:
		return "Your bid was not successful this time. The assessment summary says why, criterion by criterion, and how the winner scored."
	}
	return ""
}

// bidFiles returns the files part of a bid's page: the list, and the
// upload form while the bid may change.
func (h *Handler) bidFiles(r *http.Request, b *tenderservice.BidView, open bool, errs formErrors) *filesData {
	if !h.tenders.HasFiles() {
		return nil
	}
	ctx, u := r.Context(), userFrom(r)
	files, err := h.tenders.BidFiles(ctx, u, b.ID)
	if err != nil {
		h.log.ErrorContext(ctx, "pages: listing a bid's files", "bid", b.ID, "err", err)
	}
	d := &filesData{Err: errs.For("file"), What: "this bid"}
	for _, f := range files {
		d.Rows = append(d.Rows, fileRowOf(f, u))
	}
	if open {
		back := siteURL(r) + "/bids/" + url.PathEscape(b.ID) + "/uploaded"
		if d.Form, err = h.tenders.FileUploadForm(ctx, u, b.ID, back); err != nil {
			h.log.ErrorContext(ctx, "pages: signing a bid upload form", "bid", b.ID, "err", err)
		}
	}
	return d
}

// founderBidUploaded records the file storage just took for the bid and
// returns to its page; sent again (a reload) it records nothing more.
func (h *Handler) founderBidUploaded(w http.ResponseWriter, r *http.Request) {
	g := h.tendersOr404(w, r)
	if g == nil {
		return
	}
	id := r.PathValue("id")
	_, err := g.CompleteFileUpload(r.Context(), userFrom(r), id, r.URL.Query().Get("key"))
	if msgs := fieldsOf(err); msgs != nil {
		if m, ok := msgs["key"]; ok {
			msgs = map[string]string{"file": "The upload could not be matched to this bid (" + m + "): upload the file again"}
		}
		h.showFounderBid(w, r, http.StatusBadRequest, id, newErrors(msgs, []string{"file"}, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, bidPath(id)+"?notice=uploaded#files", http.StatusSeeOther)
}

// summaryData is what the assessment summary page shows.
type summaryData struct {
	Bid     *tenderservice.BidView
	Tender  *tenderservice.TenderView
	Summary *tenders.AssessmentSummary
	Rows    []summaryRow
	Lots    []summaryLotRow
}

// summaryRow is one criterion: the bid's agreed score and reason, and the
// winner's score per lot it lost.
type summaryRow struct {
	Name, Kind, Reason string
	Weight             int
	Score              string
	Winner             []string
}

type summaryLotRow struct {
	tenders.SummaryLot
	Name string
}

// founderSummaryPage is a bid's assessment summary (s.50), for the bid's
// founders once the council sent the summaries.
func (h *Handler) founderSummaryPage(w http.ResponseWriter, r *http.Request) {
	g := h.tendersOr404(w, r)
	if g == nil {
		return
	}
	b, t, err := h.founderBidView(r, r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	s, err := g.Summary(r.Context(), userFrom(r), b.ID)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	d := &summaryData{Bid: b, Tender: t, Summary: s}
	var lost []tenders.SummaryLot // the lots it did not win, with their winners' scores
	for _, l := range s.Lots {
		if !l.Won && l.WinnerScores != nil {
			lost = append(lost, l)
		}
	}
	for _, c := range s.Criteria {
		row := summaryRow{Name: c.Name, Kind: criterionKind(c.Kind), Weight: c.Weight, Reason: s.Reasons[c.ID], Score: "Scored from the price"}
		if c.Scored() {
			row.Score = scoreText(s.Scores[c.ID])
			for _, l := range lost {
				w := scoreText(l.WinnerScores[c.ID])
				if len(lost) > 1 { // say which lot's winner
					lot, _ := t.Lot(l.Lot)
					w = lot.Name + ": " + w
				}
				row.Winner = append(row.Winner, w)
			}
		}
		d.Rows = append(d.Rows, row)
	}
	for _, l := range s.Lots {
		lot, _ := t.Lot(l.Lot)
		d.Lots = append(d.Lots, summaryLotRow{SummaryLot: l, Name: lot.Name})
	}
	h.render(w, r, http.StatusOK, "tender-founder-summary", &page{Title: "Assessment summary", Nav: "tenders", Back: bidPath(b.ID), Data: d})
}

// scoreText writes a 0–5 score.
func scoreText(s int) string { return strconv.Itoa(s) + " out of " + strconv.Itoa(tenders.MaxScore) }

// founderWithdrawPage asks a founder to confirm withdrawing the bid.
func (h *Handler) founderWithdrawPage(w http.ResponseWriter, r *http.Request) {
	if h.tendersOr404(w, r) == nil {
		return
	}
	h.showBidWithdraw(w, r, http.StatusOK, nil)
}

func (h *Handler) showBidWithdraw(w http.ResponseWriter, r *http.Request, status int, errs formErrors) {
	b, t, err := h.founderBidView(r, r.PathValue("id"))
	if err == nil && (b.Status != tenders.BidSubmitted || !t.Open) {
		err = pathway.Errorf(pathway.ECONFLICT, "This bid can no longer be withdrawn: tenders have closed or it was withdrawn already.")
	}
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	reason := ""
	if r.PostForm != nil {
		reason = r.PostForm.Get("reason")
	}
	d := map[string]any{"Bid": b, "Tender": t, "Reason": field{ID: "reason", Name: "reason", Label: "Why are you withdrawing it? (optional)",
		Hint: "The council reads this after tenders close.", Value: reason, Err: errs.For("reason")}}
	h.render(w, r, status, "tender-founder-withdraw", &page{Title: "Withdraw this bid?", Nav: "tenders", Back: bidPath(b.ID), Errors: errs, Data: d})
}

// founderWithdraw withdraws the bid once confirmed.
func (h *Handler) founderWithdraw(w http.ResponseWriter, r *http.Request) {
	g := h.tendersOr404(w, r)
	if g == nil {
		return
	}
	id := r.PathValue("id")
	_, err := g.WithdrawBid(r.Context(), userFrom(r), id, r.PostForm.Get("reason"))
	if msgs := fieldsOf(err); msgs != nil {
		h.showBidWithdraw(w, r, http.StatusBadRequest, newErrors(msgs, []string{"reason"}, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, bidPath(id)+"?notice=withdrawn", http.StatusSeeOther)
}

// coopBidRow is one bid on a co-op's tenders page.
type coopBidRow struct {
	ID, Tender, TenderTitle, Status string
	// Contracted is true once the council entered into the contract with
	// the co-op.
	Contracted bool
	// Cancelled is true once the council cancelled the tender.
	Cancelled bool
}

// coopBidsFor lists the co-op's bids: through the service's founder view
// for founders; for the co-op's agency (journey.Coop has let it see the
// co-op) the bids' titles and statuses only, read-only.
func (h *Handler) coopBidsFor(r *http.Request, c *pathway.Coop) ([]coopBidRow, error) {
	ctx, u := r.Context(), userFrom(r)
	var bids []*tenders.Bid
	var err error
	if u.Role == pathway.RoleFounder {
		bids, err = h.tenders.CoopBids(ctx, u, c.ID)
	} else {
		bids, err = h.tenders.TenderStore().ListCoopBids(ctx, c.ID)
	}
	if err != nil {
		return nil, err
	}
	out := make([]coopBidRow, 0, len(bids))
	for _, b := range bids {
		row := coopBidRow{ID: b.ID, Tender: b.Tender, Status: b.Status}
		t, err := h.tenders.Tender(ctx, u, b.Tender)
		if err != nil {
			return nil, err
		}
		row.TenderTitle = t.Title
		row.Contracted = b.Status == tenders.BidWon && t.Contract != nil
		row.Cancelled = t.Status == tenders.StatusCancelled && b.Status != tenders.BidWithdrawn
		out = append(out, row)
	}
	return out, nil
}
