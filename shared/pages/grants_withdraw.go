package pages

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// grantWithdrawData is the confirmation page's: the application and the
// optional reason.
type grantWithdrawData struct {
	View   *grantservice.ApplicationView
	Reason field
}

// grantWithdrawPage asks a founder to confirm withdrawing the application,
// with an optional reason the funder reads.
func (h *Handler) grantWithdrawPage(w http.ResponseWriter, r *http.Request) {
	if h.grantsOr404(w, r) == nil {
		return
	}
	h.showGrantWithdraw(w, r, http.StatusOK, nil)
}

func (h *Handler) showGrantWithdraw(w http.ResponseWriter, r *http.Request, status int, errs formErrors) {
	u := userFrom(r)
	v, err := h.grants.Application(r.Context(), u, r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if u.Role != pathway.RoleFounder || v.Application == nil || !grantservice.Withdrawable(v.Status) {
		h.errorPage(w, r, nil, pathway.Errorf(pathway.ECONFLICT, "This application can no longer be withdrawn."))
		return
	}
	reason := ""
	if r.PostForm != nil {
		reason = r.PostForm.Get("reason")
	}
	d := &grantWithdrawData{View: v, Reason: field{ID: "reason", Name: "reason", Label: "Why are you withdrawing it? (optional)",
		Hint: "The funder reads this. For example, you found other funding.", Value: reason, Err: errs.For("reason")}}
	h.render(w, r, status, "grant-withdraw", &page{Title: "Withdraw this application?", Nav: "grants",
		Back: grantAppPath(v.ID), Errors: errs, Data: d})
}

// grantWithdraw withdraws the application once confirmed: the funder stops
// reviewing it and its tasks leave every inbox.
func (h *Handler) grantWithdraw(w http.ResponseWriter, r *http.Request) {
	g := h.grantsOr404(w, r)
	if g == nil {
		return
	}
	id := r.PathValue("id")
	_, err := g.Withdraw(r.Context(), userFrom(r), id, r.PostForm.Get("reason"))
	if msgs := fieldsOf(err); msgs != nil {
		h.showGrantWithdraw(w, r, http.StatusBadRequest, newErrors(msgs, []string{"reason"}, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, grantAppPath(id)+"?notice=withdrawn", http.StatusSeeOther)
}
