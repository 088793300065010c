package web

import "net/http"

// handleGrantWithdrawal lets a founder withdraw their co-op's application
// before it is decided: {"reason":"…"} (optional) → 200 with the
// application. A retry after the withdrawal answers the same.
func (s *server) handleGrantWithdrawal(w http.ResponseWriter, r *http.Request) {
	g, err := s.grantsOf()
	var in struct {
		Reason string `json:"reason"`
	}
	if err == nil {
		err = DecodeJSON(w, r, &in)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	v, err := g.Withdraw(r.Context(), UserFrom(r.Context()), r.PathValue("id"), in.Reason)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, v)
}
