// Package ledger keeps what each journey has used, month by month: the
// usage a cost.Meter gathered for one request or workflow step is added,
// at the end of that work, to its co-op's month and to its agency's month.
//
//	PK                    SK                 record
//	COST#<coop>           MONTH#<YYYY-MM>    the co-op's usage in the month (UK time)
//	COSTAGENCY#<agency>   MONTH#<YYYY-MM>    the usage of all the agency's co-ops in the month
//
// Both items hold only named counters (table.Item.Counts), one per field of
// cost.Usage under its JSON name ("readHalfUnits", "writeUnits", …), each
// added with OpAdd, so concurrent flushes never lose a count and no item
// needs reading first. Usage charged to no co-op (a page nobody's journey
// needed, the sign-in) is not stored.
package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// Key prefixes (see the package comment).
const (
	PreCoop   = "COST#"
	PreAgency = "COSTAGENCY#"
	PreMonth  = "MONTH#"
)

// monthLayout is the month of a ledger item, in UK time.
const monthLayout = "2006-01"

// Month is the ledger month of t: its month in UK time ("2026-11").
func Month(t time.Time) string { return t.In(pathway.UKTime).Format(monthLayout) }

// AgencyOf returns the agency running the programme of a co-op ("" when
// it has none). Its reads are charged to the work being flushed.
type AgencyOf func(ctx context.Context, coop string) (string, error)

// Counts returns u as named counters, by the JSON names of its fields,
// leaving out those that are zero.
func Counts(u cost.Usage) map[string]int64 {
	b, _ := json.Marshal(u) // a struct of int64s always marshals
	var m map[string]int64
	_ = json.Unmarshal(b, &m)
	for k, v := range m {
		if v == 0 {
			delete(m, k)
		}
	}
	return m
}

// FromCounts is the usage the counters of a ledger item hold; counters of
// other names are ignored.
func FromCounts(c map[string]int64) cost.Usage {
	var u cost.Usage
	b, _ := json.Marshal(c)
	_ = json.Unmarshal(b, &u)
	return u
}

// Flush adds what m gathered since its last Take to the month of now of
// its co-op and of that co-op's agency, in one transaction of two adds.
// Work charged to no co-op, or that used nothing, writes nothing. The
// agency is looked up with ctx, so that its reads are part of the usage;
// the flush's own writes are not metered. When the write fails the usage
// goes back into m, so a later Flush may store it.
func Flush(ctx context.Context, tbl table.Table, m *cost.Meter, agencyOf AgencyOf, now time.Time) error {
	if m == nil {
		return nil
	}
	var agency string
	var lookup error
	if coop := m.Coop(); coop != "" && agencyOf != nil {
		agency, lookup = agencyOf(ctx, coop)
	}
	u, coop := m.Take()
	if coop == "" || u == (cost.Usage{}) {
		return nil
	}
	counts := Counts(u)
	month := PreMonth + Month(now)
	writes := []table.Write{table.AddCounts(PreCoop+coop, month, counts)}
	if agency != "" {
		writes = append(writes, table.AddCounts(PreAgency+agency, month, counts))
	}
	if err := tbl.Transact(cost.WithMeter(ctx, nil), writes...); err != nil {
		m.Add(u)
		m.Charge(coop)
		return fmt.Errorf("ledger: flush %s: %w", coop, err)
	}
	if lookup != nil {
		return fmt.Errorf("ledger: agency of %s (its co-op's usage stored): %w", coop, lookup)
	}
	return nil
}

// MonthUsage is one month of a ledger.
type MonthUsage struct {
	Month string     `json:"month"` // YYYY-MM
	Usage cost.Usage `json:"usage"`
}

// maxMonths bounds one ledger read (the port's largest page): 83 years of months.
const maxMonths = 1000

// Months returns the co-op's usage month by month, oldest first.
func Months(ctx context.Context, tbl table.Table, coop string) ([]MonthUsage, error) {
	p, err := tbl.Query(ctx, table.Query{PK: PreCoop + coop, Sort: table.SortBeginsWith, A: PreMonth, Limit: maxMonths})
	if err != nil {
		return nil, fmt.Errorf("ledger: months of %s: %w", coop, err)
	}
	out := make([]MonthUsage, 0, len(p.Items))
	for _, it := range p.Items {
		out = append(out, MonthUsage{Month: strings.TrimPrefix(it.SK, PreMonth), Usage: FromCounts(it.Counts)})
	}
	return out, nil
}

// Total is the sum of months.
func Total(months []MonthUsage) cost.Usage {
	var u cost.Usage
	for _, m := range months {
		u = u.Add(m.Usage)
	}
	return u
}

// AgencyMonth returns the usage of the agency's co-ops in the month
// (YYYY-MM); zero when nothing was stored.
func AgencyMonth(ctx context.Context, tbl table.Table, agency, month string) (cost.Usage, error) {
	it, err := tbl.Get(ctx, PreAgency+agency, PreMonth+month)
	if errors.Is(err, table.ErrNotFound) {
		return cost.Usage{}, nil
	}
	if err != nil {
		return cost.Usage{}, fmt.Errorf("ledger: %s in %s: %w", agency, month, err)
	}
	return FromCounts(it.Counts), nil
}

// CoopMonth returns the co-op's usage in the month (YYYY-MM).
func CoopMonth(ctx context.Context, tbl table.Table, coop, month string) (cost.Usage, error) {
	it, err := tbl.Get(ctx, PreCoop+coop, PreMonth+month)
	if errors.Is(err, table.ErrNotFound) {
		return cost.Usage{}, nil
	}
	if err != nil {
		return cost.Usage{}, fmt.Errorf("ledger: %s in %s: %w", coop, month, err)
	}
	return FromCounts(it.Counts), nil
}

// Cached remembers the agency of each co-op f has named: a co-op's
// programme, and so its agency, never changes, and every request of a
// co-op would otherwise read both again.
func Cached(f AgencyOf) AgencyOf {
	var seen sync.Map
	return func(ctx context.Context, coop string) (string, error) {
		if a, ok := seen.Load(coop); ok {
			return a.(string), nil
		}
		a, err := f(ctx, coop)
		if err == nil && a != "" {
			seen.Store(coop, a)
		}
		return a, err
	}
}

// StoreAgencyOf is the AgencyOf of a store: the co-op's programme's agency.
func StoreAgencyOf(st interface {
	GetCoop(ctx context.Context, id string) (*pathway.Coop, error)
	GetProgramme(ctx context.Context, id string) (*pathway.Programme, error)
}) AgencyOf {
	return func(ctx context.Context, coop string) (string, error) {
		c, err := st.GetCoop(ctx, coop)
		if err != nil {
			return "", err
		}
		p, err := st.GetProgramme(ctx, c.Programme)
		if err != nil {
			return "", err
		}
		return p.Agency, nil
	}
}
