// Package costreport works out what a co-op's journey has cost on AWS at
// list prices, as its agency sees it: the usage the meter charged to the
// co-op month by month (Lambda, DynamoDB, S3 requests, emails: the ledger
// of shared/cost), the state transitions of the workflow executions that
// served it (read from their histories, on AWS and locally alike), and
// the storage of its files from their sizes and upload times. It serves
// GET /api/coops/{id}/cost and the agency's monthly totals.
package costreport

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Coops finds a co-op the user may see (journey.Service): its founders
// and the staff of the agency that runs its programme.
type Coops interface {
	Coop(ctx context.Context, u *pathway.User, id string) (*pathway.Coop, *pathway.Programme, error)
}

// Files lists every file recorded for a co-op (store.Store).
type Files interface {
	ListCoopFiles(ctx context.Context, coop string) ([]*pathway.File, error)
}

// Ledger reads the usage the meter charged, month by month ("YYYY-MM",
// UK time), to a co-op and to an agency (the items PK COST#<coop> and
// COSTAGENCY#<agency>, SK MONTH#<YYYY-MM>). A nil Ledger reads nothing.
type Ledger interface {
	CoopMonths(ctx context.Context, coop string) (map[string]cost.Usage, error)
	AgencyMonths(ctx context.Context, agency string) (map[string]cost.Usage, error)
}

// Service answers what journeys cost.
type Service struct {
	coops  Coops
	hist   cost.Histories
	grants GrantApps
	bids   Bids
	files  Files
	ledger Ledger
	prices *cost.Table
	now    func() time.Time
}

// New returns the service over coops and the executions' histories, at
// the embedded prices (cost.Prices). The phases' lists, the files and the
// ledger are added with the With methods; without them their part counts
// nothing.
func New(coops Coops, hist cost.Histories, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{coops: coops, hist: hist, prices: cost.Prices(), now: now}
}

// WithGrants counts the co-op's grant applications' workflows.
func (s *Service) WithGrants(g GrantApps) *Service { s.grants = g; return s }

// WithBids counts the co-op's share of the tenders it bid in.
func (s *Service) WithBids(b Bids) *Service { s.bids = b; return s }

// WithFiles counts the storage of the co-op's files.
func (s *Service) WithFiles(f Files) *Service { s.files = f; return s }

// WithLedger reads the metered usage.
func (s *Service) WithLedger(l Ledger) *Service { s.ledger = l; return s }

// WithPrices prices with t instead of the embedded table (tests).
func (s *Service) WithPrices(t *cost.Table) *Service { s.prices = t; return s }

// Prices is the price table the service uses.
func (s *Service) Prices() *cost.Table { return s.prices }

// Coop returns the cost of the co-op's journey so far, for its founders
// and its agency's staff; anyone else is told it is not found, as for the
// co-op itself.
func (s *Service) Coop(ctx context.Context, u *pathway.User, id string) (*JourneyCost, error) {
	c, _, err := s.coops.Coop(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return s.journey(ctx, c)
}

// journey adds up the co-op's usage month by month and prices it.
func (s *Service) journey(ctx context.Context, c *pathway.Coop) (*JourneyCost, error) {
	now := s.now()
	months := map[string]cost.Usage{}
	if s.ledger != nil {
		metered, err := s.ledger.CoopMonths(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for m, u := range metered {
			// Storage is worked out from the files below, whatever the
			// meter noted of uploads, so it is never counted twice.
			u.S3Bytes, u.S3ByteHours = 0, 0
			months[m] = u
		}
	}
	execs, err := s.executions(ctx, c)
	if err != nil {
		return nil, err
	}
	for i := range execs {
		if err := s.transitions(ctx, &execs[i], months, now); err != nil {
			return nil, err
		}
	}
	var stored int64
	if s.files != nil {
		files, err := s.files.ListCoopFiles(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		stored = storage(files, months, now)
	}
	out := &JourneyCost{Coop: c.ID, AsOf: now, Executions: execs, Months: []MonthCost{}}
	var total cost.Usage
	for _, m := range slices.Sorted(maps.Keys(months)) {
		total = total.Add(months[m])
		out.Months = append(out.Months, s.month(m, months[m]))
	}
	total.S3Bytes = stored
	out.fill(s.prices, total)
	return out, nil
}

// transitions reads the execution's history and adds the co-op's share of
// its transitions to the months they happened in (UK time). The share is
// taken month by month, so the months add up to the total shown.
func (s *Service) transitions(ctx context.Context, e *Execution, months map[string]cost.Usage, now time.Time) error {
	if s.hist == nil {
		return nil
	}
	events, err := s.hist.History(ctx, e.Machine, e.Name)
	if err != nil {
		return err
	}
	byMonth := map[string][]cost.Event{}
	for _, ev := range events {
		at := ev.Timestamp
		if at.IsZero() {
			at = now
		}
		m := Month(at)
		byMonth[m] = append(byMonth[m], ev)
	}
	// A Task retried across the turn of a month counts its retry in the
	// month of the first try's entry only if both fall in one month; the
	// difference is at most a transition per retry at the turn.
	for m, evs := range byMonth {
		n := share(cost.Transitions(evs), e.Mine, e.Of)
		u := months[m]
		u.Transitions += n
		months[m] = u
		e.Transitions += n
	}
	return nil
}

// Month is the UK calendar month of t, "YYYY-MM": the ledger's months.
func Month(t time.Time) string { return t.In(pathway.UKTime).Format("2006-01") }

// storage adds the byte-hours of each file, from its upload to now, to the
// months they fell in, and returns the bytes held now. Each month's part is
// rounded up to a whole hour (S3 meters byte-hours), so a file stored over
// a turn of the month may count one hour more than one stored within it.
func storage(files []*pathway.File, months map[string]cost.Usage, now time.Time) int64 {
	var bytes int64
	for _, f := range files {
		bytes += f.Size
		for from := f.UploadedAt; from.Before(now); {
			to := nextMonth(from)
			if to.After(now) {
				to = now
			}
			m := Month(from)
			months[m] = months[m].Add(cost.S3Stored(f.Size, to.Sub(from)))
			from = to
		}
	}
	return bytes
}

// nextMonth is the start of the UK month after t's.
func nextMonth(t time.Time) time.Time {
	uk := t.In(pathway.UKTime)
	return time.Date(uk.Year(), uk.Month()+1, 1, 0, 0, 0, 0, pathway.UKTime)
}
