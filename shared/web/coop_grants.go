package web

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/journey"
)

// coopWithGrants is the co-op's view with its grant facts added: every
// field of journey.CoopView as it was, and "grants" beside them.
type coopWithGrants struct {
	*journey.CoopView
	Grants *grants.Facts `json:"grants,omitempty"`
}

// withGrantFacts adds the co-op's grant facts to its view, which the
// journey service has shown the caller already; without a grants service
// the view is as it was.
func (s *server) withGrantFacts(ctx context.Context, v *journey.CoopView) (any, error) {
	if s.grants == nil {
		return v, nil
	}
	facts, err := s.grants.FactsOf(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	f := facts[v.ID]
	return &coopWithGrants{CoopView: v, Grants: &f}, nil
}
