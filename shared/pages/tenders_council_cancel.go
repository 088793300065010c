package pages

// The council lead's cancellation of a tender: a confirmation page that
// says what cancelling does, with the reason the bidders are told.

import (
	"net/http"
	"net/url"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

func init() {
	funcs["tenderCancellable"] = func(status string) bool { return tenders.CanMove(status, tenders.StatusCancelled) }
	councilTenderNotices["cancelled"] = "The tender is cancelled. The bidders are being told why, and the procurement termination notice (UK12) is recorded."
}

// cancelledNext tells a bidder that the tender was cancelled, and why.
func cancelledNext(t *tenders.Tender) string {
	s := "The council cancelled this tender, so it will not award a contract from it and your bid goes no further."
	if t.Cancellation != nil {
		s += " The council's reason: " + t.Cancellation.Reason
	}
	return s
}

// cancelData is the confirmation page's data.
type cancelData struct {
	View   *tenderservice.TenderView
	Reason field
}

// leadsCancellable reads the tender for the council's lead, answering
// "not found" to anyone else and "conflict" once it can no longer be
// cancelled.
func (h *Handler) leadsCancellable(w http.ResponseWriter, r *http.Request) (*tenderservice.Service, *tenderservice.TenderView) {
	svc := h.tenderServiceOr404(w, r)
	if svc == nil {
		return nil, nil
	}
	u := userFrom(r)
	v, err := svc.Tender(r.Context(), u, r.PathValue("id"))
	if err == nil && !tenderservice.IsCouncilLead(u, v.Council) {
		err = pathway.NotFound("tender")
	}
	if err == nil && !tenders.CanMove(v.Status, tenders.StatusCancelled) {
		err = pathway.Errorf(pathway.ECONFLICT, "This tender can no longer be cancelled: it is %s.", pathway.TermName(tenders.Statuses, v.Status))
	}
	if err != nil {
		h.errorPage(w, r, nil, err)
		return nil, nil
	}
	return svc, v
}

// cancelTenderPage asks the lead to confirm cancelling, saying what it does.
func (h *Handler) cancelTenderPage(w http.ResponseWriter, r *http.Request) {
	if _, v := h.leadsCancellable(w, r); v != nil {
		h.showCancelTender(w, r, http.StatusOK, v, nil)
	}
}

func (h *Handler) showCancelTender(w http.ResponseWriter, r *http.Request, status int, v *tenderservice.TenderView, errs formErrors) {
	reason := ""
	if r.PostForm != nil {
		reason = r.PostForm.Get("reason")
	}
	d := &cancelData{View: v, Reason: field{ID: "reason", Name: "reason", Label: "Why are you cancelling the tender?",
		Hint: "The bidders are told this, and it is kept on the tender's record.", Value: reason, Err: errs.For("reason")}}
	h.render(w, r, status, "tender-council-cancel", &page{Title: "Cancel this tender?", Nav: "tenders",
		Back: "/tenders/" + url.PathEscape(v.ID), Errors: errs, Data: d})
}

// cancelTender cancels the tender once the lead confirmed it with a reason.
func (h *Handler) cancelTender(w http.ResponseWriter, r *http.Request) {
	svc, v := h.leadsCancellable(w, r)
	if v == nil {
		return
	}
	_, err := svc.Cancel(r.Context(), userFrom(r), v.ID, r.PostForm.Get("reason"))
	if msgs := fieldsOf(err); msgs != nil {
		h.showCancelTender(w, r, http.StatusBadRequest, v, newErrors(msgs, []string{"reason"}, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/tenders/"+url.PathEscape(v.ID)+"?notice=cancelled", http.StatusSeeOther)
}
