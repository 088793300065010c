package web

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
)

// handleGetGrantDraft returns the caller's draft grant application of the
// co-op to the programme (?programme=&coop=), or 404.
func (s *server) handleGetGrantDraft(w http.ResponseWriter, r *http.Request) {
	g, err := s.grantsOf()
	var d *grantservice.GrantDraft
	if err == nil {
		q := r.URL.Query()
		d, err = g.Draft(r.Context(), UserFrom(r.Context()), q.Get("programme"), q.Get("coop"))
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, d)
}

// handlePutGrantDraft stores the caller's draft if its version is the
// stored one (0 for a new draft): {"key","application":{…},"version"} →
// 200 with the new version; a stale version is 409.
func (s *server) handlePutGrantDraft(w http.ResponseWriter, r *http.Request) {
	g, err := s.grantsOf()
	var d grantservice.GrantDraft
	if err == nil {
		err = DecodeJSON(w, r, &d)
	}
	if err == nil {
		q := r.URL.Query()
		d.Programme, d.Coop = q.Get("programme"), q.Get("coop")
		err = g.SaveDraft(r.Context(), UserFrom(r.Context()), &d)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, d)
}

// handleDeleteGrantDraft removes the caller's draft. 204.
func (s *server) handleDeleteGrantDraft(w http.ResponseWriter, r *http.Request) {
	g, err := s.grantsOf()
	if err == nil {
		q := r.URL.Query()
		err = g.DeleteDraft(r.Context(), UserFrom(r.Context()), q.Get("programme"), q.Get("coop"))
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusNoContent)
}
