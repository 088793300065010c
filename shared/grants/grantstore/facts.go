package grantstore

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/table"
)

// The counters of a co-op's grant facts, one item each, since an item
// holds one counter (table.Item.Count). Each is changed only by a table
// Add in the transaction of the change it counts: no scan, no read before
// the write, so concurrent changes never lose a count, and a change that
// fails leaves them as they were.
const (
	factApplications = "applications"
	factAwards       = "awards"
	factAwarded      = "awarded"
	factPaid         = "paid"
)

// factWrites returns the Adds that move the co-op's facts by d: one per
// figure that changes.
func factWrites(coop string, d grants.Facts) []table.Write {
	var out []table.Write
	for _, f := range [...]struct {
		name  string
		delta int64
	}{{factApplications, d.Applications}, {factAwards, d.Awards}, {factAwarded, d.Awarded}, {factPaid, d.Paid}} {
		if f.delta != 0 {
			out = append(out, table.Add(preCoopApps+coop, preFact+f.name, f.delta))
		}
	}
	return out
}

// firstSend reports whether storing a over old (nil for a new
// application) sends it for the first time: a new application stored
// other than as a draft, or a draft sent. A corrected application sent
// again is the same application and counts once.
func firstSend(old, a *grants.Application) bool {
	if old == nil {
		return a.Status != grants.StatusDraft
	}
	return old.Status == grants.StatusDraft && a.Status == grants.StatusSubmitted
}

// CoopFacts returns the co-op's grant facts: one strongly consistent
// query of its counters, whatever the number of its applications. A
// co-op with none has zero facts.
func (s *Store) CoopFacts(ctx context.Context, coop string) (grants.Facts, error) {
	var f grants.Facts
	if bad(coop) {
		return f, nil
	}
	items, err := s.queryAll(ctx, table.Query{PK: preCoopApps + coop, Sort: table.SortBeginsWith, A: preFact})
	if err != nil {
		return f, err
	}
	for _, it := range items {
		switch it.SK[len(preFact):] {
		case factApplications:
			f.Applications = it.Count
		case factAwards:
			f.Awards = it.Count
		case factAwarded:
			f.Awarded = it.Count
		case factPaid:
			f.Paid = it.Count
		}
	}
	return f, nil
}
