package web

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// insightFunderRoutes registers the funder's dashboard API.
func (s *server) insightFunderRoutes() {
	s.api("GET /api/insight/funders/{org}", s.handleFunderInsight)
}

// handleFunderInsight returns the funder's figures (shared/insight/funding)
// to its own staff; anyone else is told the funder is not found, as its
// 360Giving downloads do.
func (s *server) handleFunderInsight(w http.ResponseWriter, r *http.Request) {
	if s.funding == nil {
		WriteError(w, r, pathway.NotFound("funder dashboard"))
		return
	}
	rep, err := s.funding.Report(r.Context(), UserFrom(r.Context()), r.PathValue("org"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, rep)
}
