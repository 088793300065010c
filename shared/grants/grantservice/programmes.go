package grantservice

import (
	"context"
	"strings"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// ProgrammeView is a programme as its reader sees it: whether it takes
// applications today and, for a founder, whether each of their co-ops may
// apply and why not.
type ProgrammeView struct {
	*grants.Programme
	// Open reports whether it takes applications today (UK).
	Open bool `json:"open"`
	// Coops is each of the founder's co-ops with its eligibility; absent
	// for staff.
	Coops []CoopEligibility `json:"coops,omitempty"`
}

// CoopEligibility says whether one co-op may apply to a programme.
type CoopEligibility struct {
	Coop     string           `json:"coop"`
	Name     string           `json:"name"`
	Eligible bool             `json:"eligible"`
	Reasons  []pathway.Reason `json:"reasons"`
}

// Programmes lists the programmes the user may see: a funder's staff their
// own (open or not), anyone else the programmes open today, each with the
// eligibility of every co-op the user founded.
func (s *Service) Programmes(ctx context.Context, u *pathway.User) ([]ProgrammeView, error) {
	if u == nil {
		return nil, pathway.NotFound("grant programme")
	}
	var ps []*grants.Programme
	var err error
	if u.Role == pathway.RoleFunder {
		ps, err = s.grants.ListProgrammes(ctx, u.Organisation)
	} else {
		ps, err = s.grants.ListOpenProgrammes(ctx, s.now())
	}
	if err != nil {
		return nil, err
	}
	mine, err := s.founderCoops(ctx, u)
	if err != nil {
		return nil, err
	}
	out := make([]ProgrammeView, 0, len(ps))
	for _, p := range ps {
		out = append(out, s.programmeView(u, p, mine))
	}
	return out, nil
}

// Programme returns one programme the user may see: their funder's, or
// one open today.
func (s *Service) Programme(ctx context.Context, u *pathway.User, id string) (*ProgrammeView, error) {
	p, err := s.visibleProgramme(ctx, u, id)
	if err != nil {
		return nil, err
	}
	mine, err := s.founderCoops(ctx, u)
	if err != nil {
		return nil, err
	}
	v := s.programmeView(u, p, mine)
	return &v, nil
}

// visibleProgramme reads a programme the user may see; any other is
// ENOTFOUND like a missing one.
func (s *Service) visibleProgramme(ctx context.Context, u *pathway.User, id string) (*grants.Programme, error) {
	if u == nil || id == "" || len(id) > 64 {
		return nil, pathway.NotFound("grant programme")
	}
	p, err := s.grants.GetProgramme(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, pathway.NotFound("grant programme")
	} else if err != nil {
		return nil, err
	}
	if !IsFunderStaff(u, p.Funder) && !p.IsOpen(s.now()) {
		return nil, pathway.NotFound("grant programme")
	}
	return p, nil
}

// founderCoops returns the co-ops a founder acts for (none for staff).
func (s *Service) founderCoops(ctx context.Context, u *pathway.User) ([]*pathway.Coop, error) {
	if u.Role != pathway.RoleFounder {
		return nil, nil
	}
	return s.store.ListFounderCoops(ctx, u.ID)
}

// programmeView assembles a programme for u with the eligibility of the
// co-ops in mine.
func (s *Service) programmeView(u *pathway.User, p *grants.Programme, mine []*pathway.Coop) ProgrammeView {
	now := s.now()
	v := ProgrammeView{Programme: p, Open: p.IsOpen(now)}
	if u.Role == pathway.RoleFounder {
		v.Coops = make([]CoopEligibility, 0, len(mine))
		for _, c := range mine {
			ok, rs := grants.Eligible(c, p, now)
			if rs == nil {
				rs = []pathway.Reason{}
			}
			v.Coops = append(v.Coops, CoopEligibility{Coop: c.ID, Name: c.Name, Eligible: ok, Reasons: rs})
		}
	}
	return v
}

// NewProgrammeID returns a fresh programme ID.
func NewProgrammeID() string { return "gp-" + strings.ToLower(ulid.Make().String()) }

// CreateProgramme stores a new programme of the lead's funder: its ID is
// the one given or a fresh one, its scale the default when none is given.
func (s *Service) CreateProgramme(ctx context.Context, u *pathway.User, p *grants.Programme) (*grants.Programme, error) {
	if u == nil || u.Role != pathway.RoleFunder {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a funder's staff can create grant programmes.")
	}
	if !u.Lead {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a lead of your funder can create grant programmes.")
	}
	if p.Funder != "" && p.Funder != u.Organisation {
		return nil, pathway.Invalid(map[string]string{"funder": "Must be your own organisation, " + u.Organisation})
	}
	if p.ID == "" {
		p.ID = NewProgrammeID()
	}
	p.Funder, p.Version = u.Organisation, 0
	if len(p.Scale) == 0 {
		p.Scale = grants.DefaultScale
	}
	if err := s.grants.PutProgramme(ctx, p, s.now()); err != nil {
		return nil, err
	}
	return p, nil
}

// UpdateProgramme replaces the programme id of the lead's funder with p,
// if nobody changed it since version ifVersion (0: since p.Version, or
// the stored one when p has none). A programme of another funder is
// ENOTFOUND.
func (s *Service) UpdateProgramme(ctx context.Context, u *pathway.User, id string, p *grants.Programme, ifVersion int) (*grants.Programme, error) {
	old, err := s.visibleProgramme(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !IsFunderStaff(u, old.Funder) {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only the funder's lead can change this programme.")
	}
	if !u.Lead {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a lead of your funder can change grant programmes.")
	}
	if p.ID != "" && p.ID != id {
		return nil, pathway.Invalid(map[string]string{"id": "Must be the programme's ID, " + id})
	}
	if p.Funder != "" && p.Funder != old.Funder {
		return nil, pathway.Invalid(map[string]string{"funder": "A programme cannot move to another funder"})
	}
	p.ID, p.Funder, p.CreatedAt = id, old.Funder, old.CreatedAt
	switch {
	case ifVersion > 0:
		p.Version = ifVersion
	case p.Version == 0:
		p.Version = old.Version
	}
	if len(p.Scale) == 0 {
		p.Scale = old.Scale
	}
	if err := s.grants.PutProgramme(ctx, p, s.now()); err != nil {
		return nil, err
	}
	return p, nil
}

// Budget returns the programme's budget, awarded, paid and remaining, for
// its funder's staff.
func (s *Service) Budget(ctx context.Context, u *pathway.User, id string) (grants.Budget, error) {
	p, err := s.visibleProgramme(ctx, u, id)
	if err != nil {
		return grants.Budget{}, err
	}
	if !IsFunderStaff(u, p.Funder) {
		return grants.Budget{}, pathway.NotFound("grant programme")
	}
	return s.grants.Budget(ctx, id)
}
