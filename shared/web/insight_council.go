package web

// The council dashboard's API: GET /api/insight/councils/{org}, the
// figures of shared/insight/market for the council's own staff.

import (
	"context"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/insight/market"
	"github.com/coopcarepathway/pathway/shared/insight/project"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// councilInsightRoutes registers the council dashboard's route.
func (s *server) councilInsightRoutes() {
	s.api("GET /api/insight/councils/{org}", s.handleCouncilInsight)
}

// marketOf returns the council dashboard's service, or an internal error
// when none is configured (a wiring mistake).
func (s *server) marketOf() (*market.Service, error) {
	if s.market == nil {
		return nil, pathway.Errorf(pathway.EINTERNAL, "web: no council dashboard configured")
	}
	return s.market, nil
}

// handleCouncilInsight answers the council's figures and one page of its
// tenders (?page= the nextPage of the previous answer).
func (s *server) handleCouncilInsight(w http.ResponseWriter, r *http.Request) {
	serviceRead(w, r, s.marketOf, func(m *market.Service, ctx context.Context, u *pathway.User) (*market.Report, error) {
		return m.Report(ctx, u, r.PathValue("org"), r.URL.Query().Get("page"))
	})
}

// defaultMarket returns the council dashboard over the store's table,
// when the store holds one (shared/store does), or nil. Reading the
// aggregates needs no source: the projector over the table reads them.
func defaultMarket(s *server) *market.Service {
	ts, ok := s.store.(interface{ Table() table.Table })
	if !ok {
		return nil
	}
	return market.NewService(project.New(ts.Table()), s.now)
}
