package funding

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Applications reads grant applications (grantstore.Store does).
type Applications interface {
	GetApplication(ctx context.Context, id string) (*grants.Application, error)
}

// Coops reads co-ops (pathway.Store does).
type Coops interface {
	GetCoop(ctx context.Context, id string) (*pathway.Coop, error)
}

// Source is the insight source of grant applications.
type Source struct {
	apps  Applications
	coops Coops
}

var _ insight.Source = (*Source)(nil)

// NewSource returns the source reading applications and their co-ops.
func NewSource(apps Applications, coops Coops) *Source {
	return &Source{apps: apps, coops: coops}
}

// Kind is the grant application's subject kind.
func (s *Source) Kind() string { return pathway.SubjectGrantApplication }

// Next reads the application and its co-op and returns their facts. An
// application not found, or never sent, adds nothing: a funder sees
// only what reached it.
func (s *Source) Next(ctx context.Context, id string, applied json.RawMessage, at time.Time) (json.RawMessage, error) {
	a, err := s.apps.GetApplication(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if a.SubmittedAt.IsZero() {
		return nil, nil
	}
	var prev Facts
	if len(applied) > 0 {
		if err := json.Unmarshal(applied, &prev); err != nil {
			return nil, err
		}
	}
	f := Facts{
		ID: a.ID, Programme: a.Programme, Funder: a.Funder, Coop: a.Coop, Status: a.Status,
		SubmittedOn: grants.Today(a.SubmittedAt),
	}
	f.DecidedOn = decidedOn(a, &prev, f.SubmittedOn)
	if standing(a) {
		f.Awarded, f.AwardedOn = a.Award.Amount, f.DecidedOn
	}
	f.Payments = payments(a)
	if slices.Contains(grants.Monitored, a.Status) {
		for _, r := range a.Reports {
			if r.Status != grants.ReportAccepted {
				f.Reports = append(f.Reports, ReportDue{ID: r.ID, Due: r.Due, Status: r.Status})
			}
		}
	}
	if err := s.addCoop(ctx, &f); err != nil {
		return nil, err
	}
	return json.Marshal(f)
}

// addCoop copies the co-op's council area and kind into f; a co-op
// not found leaves them empty ("not known" on the dashboard).
func (s *Source) addCoop(ctx context.Context, f *Facts) error {
	c, err := s.coops.GetCoop(ctx, f.Coop)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	f.Area, f.LegalForm, f.Origin = c.LocalAuthority, c.LegalForm, c.Origin
	return nil
}

// decidedOn returns the UK day of the lead's decision on the sending of
// the application submitted on sent: the award's own date, or, for a
// decision not to fund (which the record does not date apart from its
// last change), the day already applied, else the day of that change.
func decidedOn(a *grants.Application, prev *Facts, sent string) string {
	switch a.Status {
	case grants.StatusAwarded, grants.StatusActive, grants.StatusClosed, grants.StatusDeclined:
		if a.Award != nil && !a.Award.DecidedAt.IsZero() {
			return grants.Today(a.Award.DecidedAt)
		}
	case grants.StatusRejected:
	default:
		return ""
	}
	if prev.DecidedOn != "" && prev.SubmittedOn == sent {
		return prev.DecidedOn
	}
	return grants.Today(a.UpdatedAt)
}

// standing reports whether the application holds an award that counts:
// made and not declined.
func standing(a *grants.Application) bool {
	if a.Award == nil {
		return false
	}
	switch a.Status {
	case grants.StatusAwarded, grants.StatusActive, grants.StatusClosed:
		return true
	}
	return false
}

// payments returns the award's tranches paid.
func payments(a *grants.Application) []Payment {
	if a.Award == nil {
		return nil
	}
	var out []Payment
	for _, t := range a.Award.Tranches {
		if t.Status == grants.TranchePaid {
			out = append(out, Payment{On: t.PaidOn, Amount: t.Amount})
		}
	}
	return out
}

// Contribute adds a sent application to its programme's cell and to
// the funder's cell of every programme.
func (s *Source) Contribute(raw json.RawMessage) (insight.Contribution, error) {
	c := insight.Contribution{}
	if len(raw) == 0 || string(raw) == "null" {
		return c, nil
	}
	var f Facts
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, err
	}
	if f.SubmittedOn == "" || f.Funder == "" || f.Programme == "" {
		return c, nil
	}
	cells := []insight.Cell{{Scope: f.Funder, Key: ProgrammeKey(f.Programme)}, {Scope: f.Funder, Key: AllKey}}
	add := func(name string, n int64) { c.AddAll(cells, name, n) }
	add(cApps, 1)
	add(cStatus+f.Status, 1)
	if f.DecidedOn != "" {
		if d, ok := wholeDays(f.SubmittedOn, f.DecidedOn); ok {
			add(cDecided, 1)
			add(cDays+strconv.Itoa(max(d, 0)), 1)
		}
	}
	if f.Awarded > 0 {
		add(cAwards, 1)
		add(cAwarded, f.Awarded)
		add(cMAwarded+month(f.AwardedOn), f.Awarded)
		for _, g := range []struct{ prefix, value string }{{cArea, f.Area}, {cForm, f.LegalForm}, {cOrigin, f.Origin}} {
			add(groupName(g.prefix, g.value, countSufx), 1)
			add(groupName(g.prefix, g.value, penceSufx), f.Awarded)
		}
	}
	for _, p := range f.Payments {
		add(cPaid, p.Amount)
		add(cMPaid+month(p.On), p.Amount)
	}
	for _, r := range f.Reports {
		add(cReport+r.Due, 1)
	}
	return c, nil
}

// Index leaves the facts unlisted: the funder's dashboard reads cells
// only, and its lists of applications are grantstore's.
func (s *Source) Index(json.RawMessage) insight.Index { return insight.Index{} }
