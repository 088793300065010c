package grantservice

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// StaffNames returns the names of the funder's staff by user ID, for its
// own staff: the lead's pages name each reviewer rather than show an ID.
// Anyone else is told the funder is not found.
func (s *Service) StaffNames(ctx context.Context, u *pathway.User, funder string) (map[string]string, error) {
	if !IsFunderStaff(u, funder) {
		return nil, pathway.NotFound("funder")
	}
	staff, err := s.store.ListStaff(ctx, funder, pathway.RoleFunder)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(staff))
	for _, m := range staff {
		out[m.ID] = m.Name
	}
	return out, nil
}
