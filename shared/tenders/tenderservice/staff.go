package tenderservice

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// StaffNames returns the names of the council's staff by user ID, for
// its own staff: the lead chooses evaluators by name, and the pages name
// each evaluator rather than show an ID. Anyone else is told the council
// is not found.
func (s *Service) StaffNames(ctx context.Context, u *pathway.User, council string) (map[string]string, error) {
	if !IsCouncilStaff(u, council) {
		return nil, pathway.NotFound("council")
	}
	staff, err := s.store.ListStaff(ctx, council, pathway.RoleCommissioner)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(staff))
	for _, m := range staff {
		out[m.ID] = m.Name
	}
	return out, nil
}
