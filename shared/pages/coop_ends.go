package pages

import (
	"context"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// coopEnd is one of the two ends a person records on a co-op's page:
// the words of its confirmation page and the service call that records it.
type coopEnd struct {
	// slug is the pages' path after the co-op's ("withdraw", "close").
	slug, title, button, label, hint, notice string
	// staffOnly marks an end only the agency records.
	staffOnly bool
	// offered says whether the page offers the end to the reader.
	offered func(withdraw, close bool) bool
	// record is journey.Service's Withdraw or Close.
	record func(*journey.Service, context.Context, *pathway.User, string, string) (*journey.CoopView, error)
}

var (
	withdrawEnd = coopEnd{slug: "withdraw", title: "Withdraw this co-op from the programme?",
		button: "Yes, withdraw the co-op", label: "Why is the co-op being withdrawn?",
		hint:   "Everyone who works with the co-op on the programme reads this: its founders and the development agency. For example, the founding group has paused.",
		notice: "coop-withdrawn", offered: func(w, _ bool) bool { return w }, record: (*journey.Service).Withdraw}
	closeEnd = coopEnd{slug: "close", title: "Record that this co-op has closed?",
		button: "Yes, record that it has closed", label: "Why has the co-op closed?",
		hint:   "The founders read this. For example, the members voted to wind up the society, or it stopped providing care.",
		notice: "coop-closed", staffOnly: true, offered: func(_, c bool) bool { return c }, record: (*journey.Service).Close}
)

// coopEndData is the confirmation page's: the co-op, which end, the
// reason asked for.
type coopEndData struct {
	View   *journey.CoopView
	End    string // "withdraw" or "close"
	Button string
	Staff  bool
	Reason field
}

// endPage asks the reader to confirm an end, saying what it does.
func (h *Handler) endPage(e coopEnd) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { h.showEnd(w, r, e, http.StatusOK, nil) }
}

func (h *Handler) showEnd(w http.ResponseWriter, r *http.Request, e coopEnd, status int, errs formErrors) {
	u := userFrom(r)
	v, err := h.journey.View(r.Context(), u, r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if e.staffOnly && !u.IsStaff() {
		h.errorPage(w, r, nil, pathway.Errorf(pathway.EFORBIDDEN, "Only the development agency can record that a co-op has closed."))
		return
	}
	if !e.offered(journey.EndsOffered(u, v.Coop)) {
		h.errorPage(w, r, nil, pathway.Errorf(pathway.ECONFLICT, "This co-op is at the stage “%s”, so you cannot do this now.", pathway.StageName(v.Stage)))
		return
	}
	reason := ""
	if r.PostForm != nil {
		reason = r.PostForm.Get("reason")
	}
	d := &coopEndData{View: v, End: e.slug, Button: e.button, Staff: u.IsStaff(),
		Reason: field{ID: "reason", Name: "reason", Label: e.label, Hint: e.hint, Value: reason, Err: errs.For("reason")}}
	h.render(w, r, status, "coop-end", &page{Title: e.title, Nav: navOf(u), Back: coopPath(v.ID), Errors: errs, Data: d})
}

// recordEnd records the end once confirmed, then shows the co-op's page
// with it.
func (h *Handler) recordEnd(e coopEnd) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		_, err := e.record(h.journey, r.Context(), userFrom(r), id, r.PostForm.Get("reason"))
		if msgs := fieldsOf(err); msgs != nil {
			h.showEnd(w, r, e, http.StatusBadRequest, newErrors(msgs, []string{"reason"}, nil))
			return
		} else if err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
		http.Redirect(w, r, coopPath(id)+"?notice="+e.notice, http.StatusSeeOther)
	}
}

// navOf is the navigation item a co-op's pages sit under.
func navOf(u *pathway.User) string {
	if u.IsStaff() {
		return "board"
	}
	return "home"
}
