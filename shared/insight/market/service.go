package market

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// PageSize is how many tenders one page of the "bids per tender" table holds.
const PageSize = 25

// Service reads the council dashboard from the aggregates.
type Service struct {
	r   insight.Reader
	now func() time.Time
}

// NewService returns the service reading r; now nil means time.Now.
func NewService(r insight.Reader, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{r: r, now: now}
}

// Report returns the council's figures and one page of its tenders (cursor
// "" for the first), for the council's own staff only: anyone else is
// EFORBIDDEN. The figures are read from a fixed number of cells, whatever
// the number of tenders.
func (s *Service) Report(ctx context.Context, u *pathway.User, council, cursor string) (*Report, error) {
	if u == nil || u.Role != pathway.RoleCommissioner || council == "" || u.Organisation != council {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only the council's own staff can see its dashboard.")
	}
	now := s.now()
	rep := &Report{Council: council, Today: tenders.Today(now)}
	keys := []string{KeyAll, KeyStandstill, KeyUK7}
	cells, err := s.r.Cells(ctx, council, keys...)
	if err != nil {
		return nil, err
	}
	fill(rep, cells)
	page, err := s.r.List(ctx, insight.ListQuery{Index: table.IndexGSI1, PK: IndexPK(council), Cursor: cursor, Limit: PageSize, Desc: true})
	if err != nil {
		var bad *table.InvalidError
		if errors.As(err, &bad) || pathway.ErrorCode(err) == pathway.EINVALID {
			return nil, pathway.Invalid(map[string]string{"cursor": "Is not a page of this list: start from the first page"})
		}
		return nil, err
	}
	rep.NextPage = page.Next
	rep.TenderRows = make([]TenderRow, 0, len(page.Facts))
	for _, raw := range page.Facts {
		row, err := rowOf(raw, now)
		if err != nil {
			return nil, err
		}
		rep.TenderRows = append(rep.TenderRows, row)
	}
	return rep, nil
}

// fill sets the report's figures from the council's cells.
func fill(rep *Report, cells map[string]insight.Counters) {
	all := cells[KeyAll]
	rep.Tenders, rep.Value = all[CountTenders], all[CountValue]
	rep.ByStatus = make([]StatusFigure, 0, len(tenders.Statuses))
	for _, st := range tenders.Statuses {
		sc := all[StatusCount(st.Code)]
		rep.ByStatus = append(rep.ByStatus, StatusFigure{Status: st.Code, Name: st.Name, Count: sc})
	}
	rep.Bids = BidFigures{Total: all[CountBids], Coops: all[CountBidsCoop], OtherVCSE: all[CountBidsVCSE], Others: all[CountBidsOther]}
	rep.Bids.Sealed = rep.Bids.Total - rep.Bids.Coops - rep.Bids.OtherVCSE - rep.Bids.Others
	rep.Contracts = ContractFigures{Count: all[CountContracts], Value: all[CountContracted], CoopsAndMutual: all[CountToCoopsMutuals]}
	if rep.Contracts.Value > 0 {
		rep.Contracts.Percent = rep.Contracts.CoopsAndMutual * 100 / rep.Contracts.Value
	}
	rep.Standstills = days(cells[KeyStandstill], rep.Today, false)
	rep.NoticesDue = days(cells[KeyUK7], rep.Today, true)
	for _, d := range rep.Standstills {
		rep.StandstillsRunning += d.Count
	}
	for _, d := range rep.NoticesDue {
		rep.NoticesDueCount += d.Count
		if d.Overdue {
			rep.NoticesOverdue += d.Count
		}
	}
}

// days turns a bucket cell (counters named by day) into figures, the
// soonest first. Days before today are left out (a standstill that ended
// is not running) unless keepPast, when they are marked overdue. Buckets
// a tender left hold zero and are left out.
func days(cs insight.Counters, today string, keepPast bool) []DayFigure {
	out := []DayFigure{}
	for day, n := range cs {
		if n <= 0 {
			continue
		}
		past := day < today
		if past && !keepPast {
			continue
		}
		out = append(out, DayFigure{Day: day, Count: n, Overdue: past})
	}
	slices.SortFunc(out, func(a, b DayFigure) int { return strings.Compare(a.Day, b.Day) })
	return out
}

// rowOf returns a tender's row from its facts, sealed at now while its
// status says so or its deadline has not passed.
func rowOf(raw json.RawMessage, now time.Time) (TenderRow, error) {
	var f Facts
	if err := json.Unmarshal(raw, &f); err != nil {
		return TenderRow{}, fmt.Errorf("market: tender facts: %w", err)
	}
	row := TenderRow{
		ID: f.Tender, Title: f.Title, Status: f.Status, StatusName: pathway.TermName(tenders.Statuses, f.Status),
		TendersCloseAt: f.TendersCloseAt, Value: f.Value, Bids: f.Bids,
		Sealed:     f.Sealed() || now.Before(f.TendersCloseAt),
		Contracted: f.Contracted, ToCoopsMutuals: f.ToCoopsMutuals,
		StandstillEnds: f.StandstillLastDay, UK7Due: f.UK7Due,
	}
	if !row.Sealed {
		row.Coops, row.OtherVCSE, row.Others = &f.Coops, &f.VCSE, &f.Others
	}
	return row, nil
}
