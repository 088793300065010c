package outbox

import (
	"log/slog"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// For returns the outbox of a service over store and wf, or nil where no
// workflows run (wf nil); each service (journey, grantservice,
// tenderservice) makes its own this way, and again when its logger
// changes.
func For(store pathway.Store, wf Workflows, now func() time.Time, log *slog.Logger) *Outbox {
	if wf == nil {
		return nil
	}
	return New(store, wf, now, log)
}

// Required returns o, or an internal error naming the service (owner)
// when no workflows are configured: a wiring mistake, never the caller's
// fault.
func Required(o *Outbox, owner string) (*Outbox, error) {
	if o == nil {
		return nil, pathway.Errorf(pathway.EINTERNAL, "%s: no workflows configured", owner)
	}
	return o, nil
}
