package grantservice

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/grants"
)

// FactsOf returns the grant facts of co-ops the caller has let the user
// see already (the cards of a pipeline the journey service showed, a
// co-op's view): one query per co-op, so a caller passes a bounded list.
func (s *Service) FactsOf(ctx context.Context, coops ...string) (map[string]grants.Facts, error) {
	out := make(map[string]grants.Facts, len(coops))
	for _, c := range coops {
		if _, done := out[c]; done {
			continue
		}
		f, err := s.grants.CoopFacts(ctx, c)
		if err != nil {
			return nil, err
		}
		out[c] = f
	}
	return out, nil
}
