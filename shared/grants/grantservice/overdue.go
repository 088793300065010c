package grantservice

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Awards in progress: the monitoring reports overdue on a programme (for
// the funder's staff) and a co-op's awards with what is paid and overdue
// (for its founders and its agency).

// maxOverduePages bounds the pages of a status read for overdue reports
// (100 applications a page): a programme holds far fewer awards.
const maxOverduePages = 50

// OverdueReport is a monitoring report past its due date and not accepted.
type OverdueReport struct {
	Application string        `json:"application"`
	Title       string        `json:"title"`
	Coop        string        `json:"coop"`
	CoopName    string        `json:"coopName"`
	Report      grants.Report `json:"report"`
}

// ProgrammeOverdueReports returns the programme's overdue monitoring
// reports, for its funder's staff: it reads the programme's awarded and
// active applications (an index query per status), leaving out those the
// caller declared a conflict with.
func (s *Service) ProgrammeOverdueReports(ctx context.Context, u *pathway.User, programme string) ([]OverdueReport, error) {
	p, err := s.visibleProgramme(ctx, u, programme)
	if err == nil && !IsFunderStaff(u, p.Funder) {
		err = pathway.NotFound("grant programme")
	}
	if err != nil {
		return nil, err
	}
	today := grants.Today(s.now())
	out := []OverdueReport{}
	for _, status := range grants.Monitored {
		cursor := ""
		for range maxOverduePages {
			page, err := s.grants.ListApplications(ctx, programme, status, cursor, pathway.MaxPageSize)
			if err != nil {
				return nil, err
			}
			for _, a := range page.Applications {
				if out, err = s.addOverdue(ctx, u, out, a, today); err != nil {
					return nil, err
				}
			}
			if cursor = page.Next; cursor == "" {
				break
			}
		}
	}
	return out, nil
}

// addOverdue appends a's overdue reports, when u may see a.
func (s *Service) addOverdue(ctx context.Context, u *pathway.User, out []OverdueReport, a *grants.Application, today string) ([]OverdueReport, error) {
	late := grants.OverdueReports(a, today)
	if len(late) == 0 {
		return out, nil
	}
	if acc, _, err := s.access(ctx, u, a, nil); err != nil || acc != FullAccess {
		return out, err
	}
	c, err := s.coop(ctx, a.Coop)
	if err != nil {
		return nil, err
	}
	name := a.Coop
	if c != nil {
		name = c.Name
	}
	for _, r := range late {
		out = append(out, OverdueReport{Application: a.ID, Title: a.Title, Coop: a.Coop, CoopName: name, Report: r})
	}
	return out, nil
}

// CoopGrant is one of a co-op's applications with its award's progress.
type CoopGrant struct {
	*grants.Application
	// Paid is the pence paid of the award so far.
	Paid int64 `json:"paid"`
	// Overdue are its monitoring reports past their due date, not accepted.
	Overdue []grants.Report `json:"overdue"`
}

// CoopGrants returns the co-op's applications, newest first, each with
// what its award has paid and its overdue reports, for its founders and
// the agency that supports it: one read of the co-op's applications.
func (s *Service) CoopGrants(ctx context.Context, u *pathway.User, coop string) ([]*CoopGrant, error) {
	apps, err := s.CoopApplications(ctx, u, coop)
	if err != nil {
		return nil, err
	}
	today := grants.Today(s.now())
	out := make([]*CoopGrant, len(apps))
	for i, a := range apps {
		out[i] = &CoopGrant{Application: a, Paid: grants.PaidSoFar(a), Overdue: grants.OverdueReports(a, today)}
		if out[i].Overdue == nil {
			out[i].Overdue = []grants.Report{}
		}
	}
	return out, nil
}
