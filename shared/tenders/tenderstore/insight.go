package tenderstore

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// refreshTender appends the refresh of the tender's share of the council
// dashboard (shared/insight/market) to a bid's writes: a bid sent or
// withdrawn changes the tender's count of bids, but its event is the
// bid's, which asks for no refresh of the tender. An event about the
// tender itself asks for it already, so nothing is added then.
func refreshTender(writes []table.Write, e *pathway.Event, tender string, at time.Time) ([]table.Write, error) {
	sub := tenders.Subject(tender)
	if e != nil && e.Subject == sub {
		return writes, nil
	}
	return store.WithRefresh(writes, sub, at)
}
