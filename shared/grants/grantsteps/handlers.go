package grantsteps

import (
	"maps"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders/tendersteps"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/workdays"
)

// AllHandlers returns the handler of every workflow function of
// template.yaml by its logical ID, over one store: shared/steps' (whose
// recording of CQC registration releases the grant tranches waiting for
// it), the grant workflow's and the tender workflow's (counting standstill
// in the Act's working days, workdays.Calculate). A local engine
// registers exactly these:
//
//	for id, fn := range grantsteps.AllHandlers(st, time.Now) {
//		engine.RegisterHandler(id, states.TypedHandler(fn))
//	}
func AllHandlers(st *store.Store, now func() time.Time) map[string]any {
	gs := New(st, grantstore.New(st.Table()), now)
	hs := steps.Handlers(steps.New(st, now).OnRegistered(gs.ReleaseCQC))
	maps.Copy(hs, Handlers(gs))
	maps.Copy(hs, tendersteps.Handlers(tendersteps.New(st, tenderstore.New(st.Table()), workdays.Calculate, now)))
	return hs
}
