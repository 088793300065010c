package web

import (
	"context"
	"net/http"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// healthProbeID is an organisation ID that never exists: reading it proves
// the store answers without depending on any data.
const healthProbeID = "healthz-probe"

// handleHealth answers 200 when the store answers and 503 when it does not.
// It needs no caller, so load balancers and smoke tests can use it.
func (s *server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	_, err := s.store.GetOrganisation(ctx, healthProbeID)
	if err != nil && pathway.ErrorCode(err) != pathway.ENOTFOUND {
		loggerFrom(r).ErrorContext(r.Context(), "health check: store did not answer", "err", err)
		writeEnvelope(w, http.StatusServiceUnavailable, pathway.EUNAVAILABLE, "The store is not answering.", nil)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
