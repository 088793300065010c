// Package workflowsteps puts every workflow's steps together: the one
// place that knows all the phases, so that no phase's package has to know
// another's. A local engine registers exactly these:
//
//	for id, fn := range workflowsteps.Handlers(st, tbl, time.Now) {
//		engine.RegisterHandler(id, states.TypedHandler(fn))
//	}
package workflowsteps

import (
	"maps"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants/grantsteps"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders/tendersteps"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/workdays"
)

// Handlers returns the handler of every workflow function of
// template.yaml by its logical ID, over one store and its table:
// shared/steps' (whose recording of CQC registration releases the grant
// tranches waiting for it), the grant workflow's, and the tender
// workflow's (counting standstill in the Act's working days).
func Handlers(st pathway.Store, tbl table.Table, now func() time.Time) map[string]any {
	gs := grantsteps.New(st, grantstore.New(tbl), now)
	hs := steps.Handlers(steps.New(st, now).OnRegistered(gs.ReleaseCQC))
	maps.Copy(hs, grantsteps.Handlers(gs))
	maps.Copy(hs, tendersteps.Handlers(tendersteps.New(st, tenderstore.New(tbl), workdays.Calculate, now)))
	return hs
}
