package web

import (
	"context"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// cancelTenderInput is the body of POST /api/tenders/{id}/cancel.
type cancelTenderInput struct {
	Reason string `json:"reason"`
}

// handleCancelTender ends a procurement (the council's lead): 200 with
// the tender, cancelled, its reason and the UK12 notice. A retry
// changes nothing.
func (s *server) handleCancelTender(w http.ResponseWriter, r *http.Request) {
	serviceWrite(w, r, s.tendersOf, http.StatusOK, false, func(g *tenderservice.Service, ctx context.Context, u *pathway.User, in *cancelTenderInput) (*tenderservice.TenderView, error) {
		return g.Cancel(ctx, u, r.PathValue("id"), in.Reason)
	})
}
