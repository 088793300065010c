package web

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// noticesBody is the body of GET and PUT /api/me/notices.
type noticesBody struct {
	// Notices is "immediate" (an email for each notice) or "daily" (one
	// summary each morning at 08:00 UK time).
	Notices string `json:"notices"`
}

// handleGetNotices answers the caller's notice preference, from their
// stored record (immediate when they have none yet).
func (s *server) handleGetNotices(w http.ResponseWriter, r *http.Request) {
	u := UserFrom(r.Context())
	stored, err := s.store.GetUser(r.Context(), u.ID)
	switch pathway.ErrorCode(err) {
	case "":
		u = stored
	case pathway.ENOTFOUND:
	default:
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, noticesBody{Notices: pathway.NoticesOf(u)})
}

// handlePutNotices sets the caller's notice preference.
func (s *server) handlePutNotices(w http.ResponseWriter, r *http.Request) {
	var b noticesBody
	if err := DecodeJSON(w, r, &b); err != nil {
		WriteError(w, r, err)
		return
	}
	u, err := pathway.SetNotices(r.Context(), s.store, UserFrom(r.Context()), b.Notices)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, noticesBody{Notices: u.Notices})
}
