package journey

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// AgencyProgramme names a programme the caller's agency runs.
type AgencyProgramme struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// AgencyProgrammes returns the programmes the user's agency runs, ordered
// by ID: the choices of the insight dashboard's programme filter. Only
// development agency staff may ask. One read of the programme list, which
// grows with programmes, not co-ops.
func (s *Service) AgencyProgrammes(ctx context.Context, u *pathway.User) ([]AgencyProgramme, error) {
	if err := agencyStaff(u); err != nil {
		return nil, err
	}
	all, err := s.store.ListProgrammes(ctx)
	if err != nil {
		return nil, err
	}
	out := []AgencyProgramme{}
	for _, p := range all {
		if p.Agency == u.Organisation {
			out = append(out, AgencyProgramme{ID: p.ID, Name: p.Name})
		}
	}
	return out, nil
}
