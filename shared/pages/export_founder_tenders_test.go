package pages

import "net/http"

// FounderTendersPage and FounderTenderPage let the tests serve the
// founders' tender list and tender page, which the shared GET /tenders and
// GET /tenders/{id} (the council's pages' handlers) call for founders.
func (h *Handler) FounderTendersPage(w http.ResponseWriter, r *http.Request) {
	h.founderTendersPage(w, r)
}

func (h *Handler) FounderTenderPage(w http.ResponseWriter, r *http.Request) {
	h.founderTenderPage(w, r)
}
