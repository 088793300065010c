package web

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// handleInviteFounder adds a co-founder to a co-op the caller founded, by
// email or by user ID, answering 201 with the founder. Inviting someone
// who is a founder already answers 201 with them again, so a retry is safe.
func (s *server) handleInviteFounder(w http.ResponseWriter, r *http.Request) {
	var in journey.Invite
	if err := DecodeJSON(w, r, &in); err != nil {
		WriteError(w, r, err)
		return
	}
	f, err := s.journey.InviteFounder(r.Context(), UserFrom(r.Context()), r.PathValue("id"), in)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusCreated, f)
}

// handleRemoveFounder takes a founder off a co-op: the caller themselves
// (leaving) or, for the founder who applied, another founder. 204.
func (s *server) handleRemoveFounder(w http.ResponseWriter, r *http.Request) {
	err := s.journey.RemoveFounder(r.Context(), UserFrom(r.Context()), r.PathValue("id"), r.PathValue("user"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusNoContent)
}

// handleGetDraft returns the caller's draft application, or 404.
func (s *server) handleGetDraft(w http.ResponseWriter, r *http.Request) {
	d, err := s.journey.Draft(r.Context(), UserFrom(r.Context()))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, d)
}

// handlePutDraft stores the caller's draft application if its version is
// the stored one (0 for a new draft), answering 200 with the new version;
// a stale version is 409.
func (s *server) handlePutDraft(w http.ResponseWriter, r *http.Request) {
	var d journey.ApplicationDraft
	if err := DecodeJSON(w, r, &d); err != nil {
		WriteError(w, r, err)
		return
	}
	if d.Version < 0 {
		WriteError(w, r, pathway.Invalid(map[string]string{"version": "Must be the version you loaded, or 0 for a new draft"}))
		return
	}
	if err := s.journey.SaveDraft(r.Context(), UserFrom(r.Context()), &d); err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, d)
}

// handleDeleteDraft removes the caller's draft application. 204.
func (s *server) handleDeleteDraft(w http.ResponseWriter, r *http.Request) {
	if err := s.journey.DeleteDraft(r.Context(), UserFrom(r.Context())); err != nil {
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusNoContent)
}
