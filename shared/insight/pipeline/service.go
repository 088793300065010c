package pipeline

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/insight/stats"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// Programmes is what the Service reads of the pathway store: the
// programmes, to know an agency's (a handful, whatever the co-ops).
type Programmes interface {
	ListProgrammes(ctx context.Context) ([]*pathway.Programme, error)
}

// Service answers the agency's pipeline dashboard, list and export from
// the cells and facts the projector keeps.
type Service struct {
	reader     insight.Reader
	programmes Programmes
	now        func() time.Time
}

// NewService returns the service; now may be nil for time.Now.
func NewService(r insight.Reader, p Programmes, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{reader: r, programmes: p, now: now}
}

// agencyOf returns the caller's agency and its programmes; only agency
// staff see a pipeline, and only their own agency's.
func (s *Service) agencyOf(ctx context.Context, u *pathway.User) (string, []*pathway.Programme, error) {
	if u == nil {
		return "", nil, pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to see the pipeline.")
	}
	if u.Role != pathway.RoleAgency || u.Organisation == "" {
		return "", nil, pathway.Errorf(pathway.EFORBIDDEN, "Only an agency's staff can see its pipeline.")
	}
	all, err := s.programmes.ListProgrammes(ctx)
	if err != nil {
		return "", nil, err
	}
	mine := slices.DeleteFunc(all, func(p *pathway.Programme) bool { return p.Agency != u.Organisation })
	return u.Organisation, mine, nil
}

// Check validates a filter against the agency's programmes and the known
// values, and returns it as the cells key it (the council area in its
// canonical name), or an invalid error naming each wrong field.
func Check(f Filter, programmes []*pathway.Programme) (Filter, error) {
	bad := map[string]string{}
	if f.Programme != "" && !slices.ContainsFunc(programmes, func(p *pathway.Programme) bool { return p.ID == f.Programme }) {
		bad["programme"] = "Choose one of your agency's programmes"
	}
	if f.Area != "" {
		if name, ok := pathway.EnglishLocalAuthority(f.Area); ok {
			f.Area = name
		} else {
			bad["area"] = "Give the name of an English council, for example Leeds"
		}
	}
	for _, t := range [...]struct {
		field, value, what string
		terms              []pathway.Term
	}{
		{"service", f.Service, "a service", pathway.Services},
		{"origin", f.Origin, "an origin", pathway.Origins},
		{"legalForm", f.LegalForm, "a legal form", pathway.LegalForms},
	} {
		if _, ok := pathway.TermOf(t.terms, t.value); t.value != "" && !ok {
			bad[t.field] = "Choose " + t.what + ": one of " + strings.Join(pathway.TermCodes(t.terms), ", ")
		}
	}
	if f.Cohort != "" {
		if _, _, err := stats.CohortMonth(f.Cohort, "cohort"); err != nil {
			maps := pathway.ErrorFields(err)
			bad["cohort"] = maps["cohort"]
		}
	}
	if len(bad) > 0 {
		return f, pathway.Invalid(bad)
	}
	return f, nil
}

// Report returns the dashboard's figures for a filter: one read of cells
// (the filter's and one per programme), whatever the number of co-ops.
func (s *Service) Report(ctx context.Context, u *pathway.User, f Filter) (*Report, error) {
	agency, progs, err := s.agencyOf(ctx, u)
	if err != nil {
		return nil, err
	}
	if f, err = Check(f, progs); err != nil {
		return nil, err
	}
	shown := progs
	if f.Programme != "" {
		shown = slices.DeleteFunc(slices.Clone(progs), func(p *pathway.Programme) bool { return p.ID != f.Programme })
	}
	keys := []string{FilterKey(f)}
	for _, p := range shown {
		pf := f
		pf.Programme = p.ID
		keys = append(keys, FilterKey(pf))
	}
	cells, err := s.reader.Cells(ctx, agency, keys...)
	if err != nil {
		return nil, err
	}
	now := s.now()
	r := figures(cells[keys[0]], today(now))
	r.Filter, r.AsOf = f, now.UTC()
	for i, p := range shown {
		r.Programmes = append(r.Programmes, programmeFigure(p, cells[keys[i+1]]))
	}
	if r.Programmes == nil {
		r.Programmes = []ProgrammeFigure{}
	}
	return r, nil
}

// figures reads a cell's counters into the report's figures.
func figures(cs insight.Counters, day string) *Report {
	r := &Report{Total: cs[cCoops], Stages: make([]StageFigure, 0, len(Stages))}
	hists := map[string]map[int]int64{}
	r.WaitingOn.OverdueByOwner = map[string]int64{OwnerAgency: 0, OwnerFounders: 0}
	for name, n := range cs {
		switch {
		case strings.HasPrefix(name, preDays):
			stage, days, ok := strings.Cut(name[len(preDays):], ":")
			d, err := strconv.Atoi(days)
			if !ok || err != nil {
				continue
			}
			if hists[stage] == nil {
				hists[stage] = map[int]int64{}
			}
			hists[stage][d] += n
		case strings.HasPrefix(name, preDue):
			owner, due, ok := strings.Cut(name[len(preDue):], ":")
			if !ok || !overdueOn(due, day) {
				continue
			}
			if owner == ownerAny {
				r.WaitingOn.Overdue += n
			} else {
				r.WaitingOn.OverdueByOwner[owner] += n
			}
		}
	}
	for _, st := range Stages {
		sf := StageFigure{Stage: st, Name: StageName(st), Count: cs[preNow+st], Reached: cs[preReached+st]}
		if sp, ok := stats.SummariseHist(hists[st]); ok {
			sf.Left, sf.MedianDays, sf.P90Days = int64(sp.Count), &sp.Median, &sp.P90
		}
		r.Stages = append(r.Stages, sf)
	}
	for i := 1; i < len(mainRoad); i++ {
		from, to := mainRoad[i-1], mainRoad[i]
		r.Conversion = append(r.Conversion, Conversion{From: from, To: to,
			Rate: stats.NewRate(cs[preStep+from+":"+to], cs[preReached+from])})
	}
	r.WaitingOn.Agency, r.WaitingOn.Founders = cs[preWaiting+OwnerAgency], cs[preWaiting+OwnerFounders]
	return r
}

// programmeFigure reads a programme's cell.
func programmeFigure(p *pathway.Programme, cs insight.Counters) ProgrammeFigure {
	return ProgrammeFigure{ID: p.ID, Name: p.Name, Coops: cs[cCoops], Funded: cs[cFunded],
		GrantsAwarded: cs[cAwarded], GrantsPaid: cs[cPaid],
		Contracted: cs[cContracted], Contracts: cs[cContracts], ContractValue: cs[cValue]}
}

// StageName says a journey stage in words.
func StageName(stage string) string {
	switch stage {
	case StageApplied:
		return "Applied"
	case StagePanel:
		return "Waiting for the panel"
	case StagePreparing:
		return "Preparing for CQC"
	case StageAppliedCQC:
		return "Applied to CQC"
	case StageRegistered:
		return "Registered with CQC"
	case StageFunded:
		return "Funded (a grant awarded)"
	case StageTendering:
		return "Tendering (a bid in)"
	case StageContracted:
		return "Contracted"
	case StageIneligible:
		return "Not eligible"
	case StageDeclined:
		return "Declined by the panel"
	case StageRefused:
		return "Refused by CQC"
	case StageWithdrawn:
		return "Withdrawn"
	case StageClosed:
		return "Closed"
	}
	return stage
}

// Sort orders of Rows.
const (
	SortProgramme     = "programme"
	SortProgrammeDesc = "-programme"
	SortName          = "name"
	SortNameDesc      = "-name"
)

// Page sizes of Rows, and how many index reads one page may take when
// the filter passes few of the co-ops read.
const (
	DefaultLimit = 50
	MaxLimit     = 200
	maxReads     = 5
)

// Rows returns a page of the co-ops of a filter, whose name starts with
// search (any case) when one is given, in the sort order asked for
// (programme then name by default). Filters are applied while paging: a
// page reads the index at most maxReads times, so it may hold fewer rows
// than limit and still have a Next.
func (s *Service) Rows(ctx context.Context, u *pathway.User, f Filter, search, sort, cursor string, limit int) (*RowPage, error) {
	agency, progs, err := s.agencyOf(ctx, u)
	if err != nil {
		return nil, err
	}
	f, q, err := rowsQuery(agency, progs, f, search, sort, limit)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = DefaultLimit
	}
	now := s.now()
	out := &RowPage{Rows: []Row{}}
	q.Cursor = cursor
	for range maxReads {
		q.Limit = limit - len(out.Rows)
		page, err := s.reader.List(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, raw := range page.Facts {
			fa, err := decode(raw)
			if err != nil {
				return nil, err
			}
			if fa.matches(f) {
				out.Rows = append(out.Rows, fa.atNow(now))
			}
		}
		q.Cursor = page.Next
		if q.Cursor == "" || len(out.Rows) >= limit {
			break
		}
	}
	out.Next = q.Cursor
	return out, nil
}

// rowsQuery checks the list's parameters and returns the index query that
// walks it.
func rowsQuery(agency string, progs []*pathway.Programme, f Filter, search, sort string, limit int) (Filter, insight.ListQuery, error) {
	f, err := Check(f, progs)
	bad := pathway.ErrorFields(err)
	if bad == nil {
		bad = map[string]string{}
	}
	if limit < 0 || limit > MaxLimit {
		bad["limit"] = "Give a number of rows from 1 to " + strconv.Itoa(MaxLimit)
	}
	q := insight.ListQuery{Index: table.IndexGSI1, PK: RowsPK(agency)}
	switch sort {
	case "", SortProgramme, SortProgrammeDesc:
		q.Desc = sort == SortProgrammeDesc
		if f.Programme != "" {
			q.Prefix = f.Programme + "#" + nameKey(search)
		} else if search != "" {
			q = insight.ListQuery{Index: table.IndexGSI2, PK: NamesPK(agency), Prefix: nameKey(search)}
		}
	case SortName, SortNameDesc:
		q = insight.ListQuery{Index: table.IndexGSI2, PK: NamesPK(agency), Prefix: nameKey(search), Desc: sort == SortNameDesc}
	default:
		bad["sort"] = "Sort by one of: programme, -programme, name, -name"
	}
	if len(bad) > 0 {
		return f, q, pathway.Invalid(bad)
	}
	return f, q, nil
}

// matches reports whether the co-op is one of the filter's (the filter
// already checked, its area canonical).
func (f *Facts) matches(flt Filter) bool {
	return (flt.Programme == "" || flt.Programme == f.Programme) &&
		(flt.Area == "" || flt.Area == f.Area) &&
		(flt.Service == "" || slices.Contains(f.Services, flt.Service)) &&
		(flt.Origin == "" || flt.Origin == f.Origin) &&
		(flt.LegalForm == "" || flt.LegalForm == f.LegalForm) &&
		(flt.Cohort == "" || flt.Cohort == f.Cohort)
}
