package pages

import "net/http"

// noticesPath is the page where people choose how they hear of new work.
const noticesPath = "/account/notices"

// noticesData is what the notices page shows.
type noticesData struct {
	// Value is the choice checked: immediate or daily.
	Value string
	// Err says what is wrong with the choice sent.
	Err string
}

// noticesPage shows the choice of an email per notice or a daily summary.
func (h *Handler) noticesPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.journey.Notices(r.Context(), userFrom(r))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	p := &page{Title: "Email notices", Nav: "notices", Data: noticesData{Value: v}}
	if r.URL.Query().Get("notice") == "saved" {
		p.Notice = "Your choice is saved."
	}
	h.render(w, r, http.StatusOK, "notices", p)
}

// saveNotices records the choice.
func (h *Handler) saveNotices(w http.ResponseWriter, r *http.Request) {
	v := r.PostForm.Get("notices")
	err := h.journey.SetNotices(r.Context(), userFrom(r), v)
	if msgs := fieldsOf(err); msgs != nil {
		msg := "Choose an email for each notice or one daily summary"
		errs := formErrors{{Field: "notices", ID: "notices", Message: msg}}
		h.render(w, r, http.StatusBadRequest, "notices", &page{Title: "Email notices", Nav: "notices", Errors: errs,
			Data: noticesData{Value: v, Err: msg}})
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, noticesPath+"?notice=saved", http.StatusSeeOther)
}
