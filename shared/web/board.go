package web

import "net/http"

// handleBoard returns the pipeline board the board page shows (the same
// journey.Board): for each programme the caller's agency runs, or only
// the one named by ?programme=, a column per stage with its count and its
// first co-ops as cards. Only agency staff may see it.
func (s *server) handleBoard(w http.ResponseWriter, r *http.Request) {
	b, err := s.journey.Board(r.Context(), UserFrom(r.Context()), r.URL.Query().Get("programme"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	out, err := s.boardGrants(r.Context(), b)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, out)
}
