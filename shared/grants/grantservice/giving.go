package grantservice

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/giving360"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// publishedStatuses are the statuses of grants that were made: awarded
// and not declined.
var publishedStatuses = []string{grants.StatusAwarded, grants.StatusActive, grants.StatusClosed}

// Giving returns the funder's awarded grants in the neutral shape
// shared/giving360 writes as a 360Giving package or CSV, for the funder's
// staff; any other caller is told the funder is not found. A funder
// without a 360Giving prefix or org-id is EINVALID naming the field.
func (s *Service) Giving(ctx context.Context, u *pathway.User, org string) (giving360.Funder, []giving360.Grant, error) {
	if !IsFunderStaff(u, org) {
		return giving360.Funder{}, nil, pathway.NotFound("funder")
	}
	o, err := s.store.GetOrganisation(ctx, org)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return giving360.Funder{}, nil, pathway.NotFound("funder")
	} else if err != nil {
		return giving360.Funder{}, nil, err
	}
	f := map[string]string{}
	if o.GivingPrefix == "" {
		f["givingPrefix"] = "Set your organisation's 360Giving prefix (such as 360G-examplefund) before publishing"
	}
	if o.OrgID == "" {
		f["orgId"] = "Set your organisation's identifier (such as GB-CHC-1234567) before publishing"
	}
	if len(f) > 0 {
		return giving360.Funder{}, nil, pathway.Invalid(f)
	}
	funder := giving360.Funder{Prefix: o.GivingPrefix, OrgID: o.OrgID, Name: o.Name}
	ps, err := s.grants.ListProgrammes(ctx, org)
	if err != nil {
		return giving360.Funder{}, nil, err
	}
	var out []giving360.Grant
	for _, p := range ps {
		gs, err := s.programmeGrants(ctx, p)
		if err != nil {
			return giving360.Funder{}, nil, err
		}
		out = append(out, gs...)
	}
	return funder, out, nil
}

// programmeGrants returns the programme's grants made, every page.
func (s *Service) programmeGrants(ctx context.Context, p *grants.Programme) ([]giving360.Grant, error) {
	var out []giving360.Grant
	for _, status := range publishedStatuses {
		cursor := ""
		for {
			page, err := s.grants.ListApplications(ctx, p.ID, status, cursor, pathway.MaxPageSize)
			if err != nil {
				return nil, err
			}
			for _, a := range page.Applications {
				if a.Award == nil {
					continue
				}
				c, err := s.coop(ctx, a.Coop)
				if err != nil {
					return nil, err
				}
				out = append(out, grantOf(p, a, c))
			}
			if page.Next == "" {
				break
			}
			cursor = page.Next
		}
	}
	return out, nil
}

// grantOf is one award in 360Giving's terms; the recipient's id comes from
// the co-op's register number, or the funder's prefix and the co-op's ID.
func grantOf(p *grants.Programme, a *grants.Application, c *pathway.Coop) giving360.Grant {
	r := giving360.Recipient{InternalRef: a.Coop}
	if c != nil {
		r.Name, r.LegalForm, r.RegisterNumber, r.LocalAuthority = c.Name, c.LegalForm, c.RegisterNumber, c.LocalAuthority
	}
	return giving360.Grant{
		ID: a.ID, Title: a.Title, Description: a.Purpose,
		AmountPence: a.Award.Amount, AppliedForPence: a.Amount, AwardDate: a.Award.DecidedAt,
		Programme: p.Name, ProgrammeCode: p.ID, Recipient: r,
	}
}
