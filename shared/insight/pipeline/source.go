package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/insight/stats"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// Coops is what the Source reads of the pathway store.
type Coops interface {
	GetCoop(ctx context.Context, id string) (*pathway.Coop, error)
	GetProgramme(ctx context.Context, id string) (*pathway.Programme, error)
}

// Grants is what the Source reads of the grants phase: the co-op's grant
// figures (kept as counters, one query) and its few applications, for the
// latest accepted report.
type Grants interface {
	CoopFacts(ctx context.Context, coop string) (grants.Facts, error)
	ListCoopApplications(ctx context.Context, coop string) ([]*grants.Application, error)
}

// Tenders is what the Source reads of the tenders phase: the co-op's bids
// (a few links followed) and the tenders of the bids it won, for their
// contracts.
type Tenders interface {
	ListCoopBids(ctx context.Context, coop string) ([]*tenders.Bid, error)
	GetTender(ctx context.Context, id string) (*tenders.Tender, error)
}

// Source is the insight.Source of co-ops (kind coop) for agencies.
type Source struct {
	coops   Coops
	grants  Grants
	tenders Tenders
}

// NewSource returns the co-op source. grants and tenders may be nil when
// the phase is not wired (its figures are then zero).
func NewSource(coops Coops, g Grants, t Tenders) *Source {
	return &Source{coops: coops, grants: g, tenders: t}
}

var _ insight.Source = (*Source)(nil)

// Kind is pathway.SubjectCoop.
func (s *Source) Kind() string { return pathway.SubjectCoop }

// Next reads the co-op, its programme, its grants and its bids, and
// returns its facts, carrying on from applied what the records do not
// keep: when a derived stage was entered, the stages reached, the spells.
func (s *Source) Next(ctx context.Context, id string, applied json.RawMessage, at time.Time) (json.RawMessage, error) {
	c, err := s.coops.GetCoop(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p, err := s.coops.GetProgramme(ctx, c.Programme)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil // no programme, no agency to count it for
	}
	if err != nil {
		return nil, err
	}
	var before *Facts
	if len(applied) > 0 {
		before = new(Facts)
		if err := json.Unmarshal(applied, before); err != nil {
			return nil, fmt.Errorf("pipeline: applied facts of co-op %s: %w", id, err)
		}
	}
	f, err := s.facts(ctx, c, p)
	if err != nil {
		return nil, err
	}
	last := ""
	if before != nil {
		last = before.LastEvent
	}
	moves, last, err := s.moves(ctx, id, last)
	if err != nil {
		return nil, err
	}
	f.LastEvent = last
	carry(f, before, moves, at)
	return json.Marshal(f)
}

// facts reads what the records say now.
func (s *Source) facts(ctx context.Context, c *pathway.Coop, p *pathway.Programme) (*Facts, error) {
	area := c.LocalAuthority
	if name, ok := pathway.EnglishLocalAuthority(area); ok {
		area = name
	}
	f := &Facts{Agency: p.Agency, Row: Row{
		ID: c.ID, Name: c.Name, Programme: c.Programme, Area: area, Services: c.Services,
		Origin: c.Origin, LegalForm: c.LegalForm, Cohort: stats.Cohort(c.CreatedAt), AppliedAt: c.CreatedAt.UTC(),
		MembersByClass: membersByClass(c.Members),
	}}
	if c.Tasks.Agency > 0 {
		f.WaitingOn, f.WaitsOnAgency = OwnerAgency, true
		f.AgencyDue = dueDay(c.Tasks.AgencyNextDue)
	}
	if c.Tasks.Founders > 0 {
		if f.WaitingOn == "" {
			f.WaitingOn = OwnerFounders
		}
		f.WaitsOnFounders = true
		f.FoundersDue = dueDay(c.Tasks.FoundersNextDue)
	}
	var awards int64
	if s.grants != nil {
		gf, err := s.grants.CoopFacts(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		awards, f.GrantsAwarded, f.GrantsPaid = gf.Awards, gf.Awarded, gf.Paid
		if err := s.latestReport(ctx, c.ID, &f.Row); err != nil {
			return nil, err
		}
	}
	live, err := s.contracts(ctx, c.ID, &f.Row)
	if err != nil {
		return nil, err
	}
	f.Stage = journeyStage(c.Stage, awards, f.Contracts, live)
	if fromPathway(f.Stage, c.Stage) {
		f.StageEnteredAt = c.StageEnteredAt.UTC()
	}
	return f, nil
}

// membersByClass counts the co-op's own members per class, the figure
// until a report is accepted.
func membersByClass(ms []pathway.Member) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		out[m.Class]++
	}
	return out
}

// latestReport copies the figures of the co-op's latest accepted grant
// report: of its newest application with one, the last accepted.
func (s *Source) latestReport(ctx context.Context, coop string, r *Row) error {
	apps, err := s.grants.ListCoopApplications(ctx, coop)
	if err != nil {
		return err
	}
	for _, a := range apps { // newest first
		for i := len(a.Reports) - 1; i >= 0; i-- {
			rep := a.Reports[i]
			if rep.Status != grants.ReportAccepted || rep.Figures == nil {
				continue
			}
			if len(rep.Figures.MembersByClass) > 0 {
				r.MembersByClass = rep.Figures.MembersByClass
			}
			r.PaidJobs, r.CareHoursPerWeek = rep.Figures.PaidJobs, rep.Figures.CareHoursPerWeek
			return nil
		}
	}
	return nil
}

// contracts counts the contracts the co-op won and their value, from the
// tenders of its won bids, and reports whether it has a bid in (sent and
// not yet decided: neither withdrawn, lost, below the minimum nor won).
func (s *Source) contracts(ctx context.Context, coop string, r *Row) (live bool, err error) {
	if s.tenders == nil {
		return false, nil
	}
	bids, err := s.tenders.ListCoopBids(ctx, coop)
	if err != nil {
		return false, err
	}
	for _, b := range bids {
		switch b.Status {
		case tenders.BidSubmitted, tenders.BidAssessed:
			live = true
		case tenders.BidWon:
			t, err := s.tenders.GetTender(ctx, b.Tender)
			if pathway.ErrorCode(err) == pathway.ENOTFOUND {
				continue
			}
			if err != nil {
				return false, err
			}
			if t.Contract == nil {
				live = true // won, the contract not yet entered into
				continue
			}
			var value int64
			for _, l := range t.Contract.Lots {
				if l.Coop == coop || (l.Bid != "" && l.Bid == b.ID) {
					value += l.Value
				}
			}
			if value > 0 {
				r.Contracts++
				r.ContractValue += value
			}
		}
	}
	return live, nil
}

// errFacts wraps a facts item that does not decode.
var errFacts = errors.New("pipeline: facts do not decode")

// decode reads stored facts.
func decode(raw json.RawMessage) (*Facts, error) {
	var f Facts
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("%w: %v", errFacts, err)
	}
	return &f, nil
}

// Index lists the co-op under its agency twice: in GSI1 by programme then
// name (the list's default order, a programme's export), in GSI2 by name
// (search by the start of a name). The ID ends each sort key so equal
// names keep one order.
func (s *Source) Index(facts json.RawMessage) insight.Index {
	f, err := decode(facts)
	if err != nil || f.Agency == "" {
		return insight.Index{}
	}
	name := nameKey(f.Name)
	return insight.Index{
		GSI1PK: RowsPK(f.Agency), GSI1SK: f.Programme + "#" + name + "#" + f.ID,
		GSI2PK: NamesPK(f.Agency), GSI2SK: name + "#" + f.ID,
	}
}

// RowsPK and NamesPK are the index partitions of an agency's co-ops.
func RowsPK(agency string) string  { return "INSIGHTROWS#" + agency }
func NamesPK(agency string) string { return "INSIGHTNAMES#" + agency }

// nameKey is a name as the indexes sort and search it: lower case, "#"
// (the keys' separator) dropped, spaces kept.
func nameKey(name string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "#", "")
}
