package funding

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/insight/stats"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Programmes reads a funder's programmes and their budget records
// (grantstore.Store does).
type Programmes interface {
	ListProgrammes(ctx context.Context, funder string) ([]*grants.Programme, error)
	Budget(ctx context.Context, programme string) (grants.Budget, error)
}

// Service answers the funder's dashboard.
type Service struct {
	cells insight.Reader
	progs Programmes
	now   func() time.Time
}

// NewService returns the service over the cells and the programmes; now
// nil means time.Now.
func NewService(cells insight.Reader, progs Programmes, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{cells: cells, progs: progs, now: now}
}

// maxMonths bounds the monthly series (twenty years), whatever dates a
// programme was given.
const maxMonths = 240

// NotKnown names the group of awards whose co-op was not found.
const NotKnown = "Not known"

// Report returns the funder's figures to its own staff; anyone else is
// told the funder is not found, as its other pages do. It reads the
// funder's programmes, each one's budget record and one cell per
// programme plus one for all: a few items, whatever the number of
// applications.
func (s *Service) Report(ctx context.Context, u *pathway.User, org string) (*Report, error) {
	if !grantservice.IsFunderStaff(u, org) {
		return nil, pathway.NotFound("funder")
	}
	ps, err := s.progs.ListProgrammes(ctx, org)
	if err != nil {
		return nil, err
	}
	keys := []string{AllKey}
	for _, p := range ps {
		keys = append(keys, ProgrammeKey(p.ID))
	}
	cells, err := s.cells.Cells(ctx, org, keys...)
	if err != nil {
		return nil, err
	}
	now := s.now()
	today := grants.Today(now)
	r := &Report{Funder: org, Today: today, AsOf: now, Programmes: []ProgrammeFigures{}}
	var total grants.Budget
	first := month(today)
	for _, p := range ps {
		b, err := s.progs.Budget(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		total.Budget += b.Budget
		total.Awarded += b.Awarded
		total.Paid += b.Paid
		total.Remaining += b.Remaining
		first = min(first, month(p.OpensOn))
		r.Programmes = append(r.Programmes, ProgrammeFigures{
			ID: p.ID, Name: p.Name, Figures: figures(cells[ProgrammeKey(p.ID)], b, month(p.OpensOn), today),
		})
	}
	r.Total = figures(cells[AllKey], total, first, today)
	return r, nil
}

// figures works one cell's counters and budget record into figures;
// the monthly series starts at from (a programme's first month) or its
// first award or payment, whichever is earlier, and ends this month.
func figures(cs insight.Counters, b grants.Budget, from, today string) Figures {
	f := Figures{
		Budget: b.Budget, Awarded: b.Awarded, Paid: b.Paid, Remaining: b.Remaining,
		Applications: cs[cApps], Awards: cs[cAwards],
	}
	for _, st := range grants.Statuses {
		if st.Code == grants.StatusDraft {
			continue
		}
		f.Statuses = append(f.Statuses, StatusCount{Status: st.Code, Name: st.Name, Count: cs[cStatus+st.Code]})
	}
	f.Decisions = decisions(cs)
	f.ByArea = groups(cs, cArea, func(v string) string { return v })
	f.ByLegalForm = groups(cs, cForm, func(v string) string { return pathway.TermName(pathway.LegalForms, v) })
	f.ByOrigin = groups(cs, cOrigin, func(v string) string { return pathway.TermName(pathway.Origins, v) })
	for name, n := range cs {
		if day, ok := strings.CutPrefix(name, cReport); ok && day < today {
			f.ReportsOverdue += n
		}
	}
	f.Months = months(cs, b.Budget, from, month(today))
	return f
}

// decisions reads the histogram of days from submission to decision.
func decisions(cs insight.Counters) Decisions {
	hist := map[int]int64{}
	for name, n := range cs {
		if d, ok := strings.CutPrefix(name, cDays); ok {
			if days, err := strconv.Atoi(d); err == nil {
				hist[days] += n
			}
		}
	}
	d := Decisions{Count: cs[cDecided]}
	if sp, ok := stats.SummariseHist(hist); ok {
		d.MedianDays, d.P90Days = &sp.Median, &sp.P90
	}
	return d
}

// groups reads the awards by one grouping (prefix), largest sum first.
func groups(cs insight.Counters, prefix string, name func(string) string) []Group {
	byCode := map[string]*Group{}
	for counter, n := range cs {
		v, suffix, ok := parseGroup(counter, prefix)
		if !ok {
			continue
		}
		g := byCode[v]
		if g == nil {
			g = &Group{Code: v, Name: name(v)}
			if v == "" {
				g.Name = NotKnown
			}
			byCode[v] = g
		}
		switch suffix {
		case countSufx:
			g.Awards += n
		case penceSufx:
			g.Pence += n
		}
	}
	out := make([]Group, 0, len(byCode))
	for _, g := range byCode {
		if g.Awards != 0 || g.Pence != 0 {
			out = append(out, *g)
		}
	}
	slices.SortFunc(out, func(a, b Group) int {
		if a.Pence != b.Pence {
			if a.Pence > b.Pence {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// months returns the monthly series from the earlier of from and the
// first month with money to last.
func months(cs insight.Counters, budget int64, from, last string) []Month {
	for name := range cs {
		for _, p := range []string{cMAwarded, cMPaid} {
			if m, ok := strings.CutPrefix(name, p); ok && len(m) == monthChars {
				from = min(from, m)
			}
		}
	}
	start, err := time.Parse("2006-01", from)
	if err != nil || from > last {
		start, _ = time.Parse("2006-01", last)
	}
	var out []Month
	var awarded, paid int64
	for m := start; len(out) < maxMonths; m = m.AddDate(0, 1, 0) {
		key := m.Format("2006-01")
		if key > last {
			break
		}
		a, p := cs[cMAwarded+key], cs[cMPaid+key]
		awarded += a
		paid += p
		out = append(out, Month{Month: key, Awarded: a, Paid: p, AwardedToDate: awarded, PaidToDate: paid, Remaining: budget - awarded})
	}
	return out
}
