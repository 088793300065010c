package pages

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// home is where a signed-in person starts: founders see their co-ops and
// can start an application; agency staff go to their pipeline board.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r)
	switch u.Role {
	case pathway.RoleAgency:
		http.Redirect(w, r, "/board", http.StatusSeeOther)
		return
	case pathway.RoleFunder:
		if h.grants != nil {
			http.Redirect(w, r, "/grants", http.StatusSeeOther)
			return
		}
		h.render(w, r, http.StatusOK, "home", &page{Title: "Co-op Care Pathway", Nav: "home"})
		return
	case pathway.RoleCommissioner:
		if h.tenders != nil {
			http.Redirect(w, r, "/tenders", http.StatusSeeOther)
			return
		}
		h.render(w, r, http.StatusOK, "home", &page{Title: "Co-op Care Pathway", Nav: "home"})
		return
	case pathway.RoleFounder:
	default:
		h.render(w, r, http.StatusOK, "home", &page{Title: "Co-op Care Pathway", Nav: "home"})
		return
	}
	coops, err := h.journey.FounderCoops(r.Context(), u)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	h.render(w, r, http.StatusOK, "home", &page{Title: "Your co-ops", Nav: "home", Data: coops})
}
