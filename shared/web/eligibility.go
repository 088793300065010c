package web

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/journey"
)

// handleEligibility answers the eligibility checker's questions at once:
// {"eligible","reasons":[{"field","rule","message"}]}, by the screening's
// own rules. It stores nothing, so any signed-in caller may ask.
func (s *server) handleEligibility(w http.ResponseWriter, r *http.Request) {
	var q journey.EligibilityQuestions
	if err := DecodeJSON(w, r, &q); err != nil {
		WriteError(w, r, err)
		return
	}
	res, err := s.journey.CheckEligibility(r.Context(), q)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, res)
}

// handleResubmit sends a screened-out application again, corrected (the
// body is an application, as for POST /api/coops; its programme may be
// left out). Founders of the co-op only, only while it is ineligible; a
// retried request answers the same and starts nothing twice.
func (s *server) handleResubmit(w http.ResponseWriter, r *http.Request) {
	var app journey.Application
	if err := DecodeJSON(w, r, &app); err != nil {
		WriteError(w, r, err)
		return
	}
	v, err := s.journey.Resubmit(r.Context(), UserFrom(r.Context()), r.PathValue("id"), app)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", coopLocation(v.ID))
	writePrivate(w, http.StatusOK, v)
}
