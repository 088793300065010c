package costreport

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// Over returns the service over the application's store (the co-ops'
// grant applications, bids, files and the meter's ledger all live in its
// table), finding co-ops through coops (journey.Service, for its access
// rules) and reading the executions' histories with hist (nil counts no
// transitions).
func Over(coops Coops, st *store.Store, hist cost.Histories, now func() time.Time) *Service {
	tbl := st.Table()
	return New(coops, hist, now).
		WithGrants(grantstore.New(tbl)).
		WithBids(tenderstore.New(tbl)).
		WithFiles(st).
		WithLedger(TableLedger(tbl))
}
