package web

import (
	"context"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// endRoutes registers the two ends of a journey people record: the
// withdrawal of a co-op (its founders or its agency) and its closure
// (its agency, once registered with CQC).
func (s *server) endRoutes() {
	s.api("POST /api/coops/{id}/withdrawal", s.handleEnd((*journey.Service).Withdraw))
	s.api("POST /api/coops/{id}/closure", s.handleEnd((*journey.Service).Close))
}

// endFunc is journey.Service's Withdraw or Close.
type endFunc func(*journey.Service, context.Context, *pathway.User, string, string) (*journey.CoopView, error)

// handleEnd answers {"reason":"…"} (required) with 200 and the co-op as
// its page shows it; a repeat after the end answers the same.
func (s *server) handleEnd(end endFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Reason string `json:"reason"`
		}
		if err := DecodeJSON(w, r, &in); err != nil {
			WriteError(w, r, err)
			return
		}
		v, err := end(s.journey, r.Context(), UserFrom(r.Context()), r.PathValue("id"), in.Reason)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		writePrivate(w, http.StatusOK, v)
	}
}
