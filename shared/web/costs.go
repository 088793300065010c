package web

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/cost/costreport"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
)

// costRoutes serves what journeys cost: one co-op's, and an agency's months.
func (s *server) costRoutes() {
	s.api("GET /api/coops/{id}/cost", s.handleCoopCost)
	s.api("GET /api/insight/costs", s.handleAgencyCosts)
}

// defaultCosts is the cost service over the store, when the store is
// shared/store's, reading histories from the workflows when they can (the
// local engine can; on AWS the composition root passes Config.Costs).
func defaultCosts(s *server) *costreport.Service {
	st, ok := s.store.(*store.Store)
	if !ok || s.journey == nil {
		return nil
	}
	hist, _ := s.workflows.(cost.Histories)
	return costreport.Over(s.journey, st, hist, s.now)
}

// handleCoopCost answers the cost of the co-op's journey so far.
func (s *server) handleCoopCost(w http.ResponseWriter, r *http.Request) {
	if s.costs == nil {
		WriteError(w, r, pathway.Errorf(pathway.EINTERNAL, "web: no cost service configured"))
		return
	}
	out, err := s.costs.Coop(r.Context(), UserFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, out)
}

// handleAgencyCosts answers the caller's agency's metered usage: one month
// with ?month=YYYY-MM, every month without.
func (s *server) handleAgencyCosts(w http.ResponseWriter, r *http.Request) {
	if s.costs == nil {
		WriteError(w, r, pathway.Errorf(pathway.EINTERNAL, "web: no cost service configured"))
		return
	}
	u := UserFrom(r.Context())
	var (
		out *costreport.AgencyMonths
		err error
	)
	if q := r.URL.Query(); q.Has("month") {
		out, err = s.costs.AgencyMonth(r.Context(), u, q.Get("month"))
	} else {
		out, err = s.costs.AgencyMonths(r.Context(), u)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, out)
}
