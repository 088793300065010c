package outbox

import (
	"context"
	"errors"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Refresher brings a subject's share of the dashboards' aggregates up to
// date (shared/insight/project's Projector): exactly once, so sending an
// insight delivery again adds nothing.
type Refresher interface {
	Refresh(ctx context.Context, kind, id string, at time.Time) error
}

// InsightEvery is how often the local server sweeps insight deliveries,
// so that dashboards lag changes by seconds.
const InsightEvery = 2 * time.Second

// WithInsight makes the outbox send insight deliveries to r, and returns
// it. Without it, insight deliveries wait, untouched, for an outbox that
// has it (the one of the composition root that sweeps), so none is lost
// and none is counted as failed.
func (o *Outbox) WithInsight(r Refresher) *Outbox {
	o.insight = r
	return o
}

// errNoRefresher keeps insight deliveries for the outbox that has one.
var errNoRefresher = errors.New("outbox: no insight refresher configured here; a sweep will send it")

// refresh makes one attempt at an insight delivery: its subject refreshed
// as of its event's time.
func (o *Outbox) refresh(ctx context.Context, d *pathway.Delivery) error {
	if o.insight == nil {
		return errNoRefresher
	}
	return o.insight.Refresh(ctx, d.Subject.Kind, d.Subject.ID, d.CreatedAt)
}

// withInsight adds the pending insight deliveries to a sweep's, when this
// outbox sends them.
func (o *Outbox) withInsight(ctx context.Context, pending []*pathway.Delivery) ([]*pathway.Delivery, error) {
	if o.insight == nil {
		return pending, nil
	}
	more, err := o.store.PendingInsight(ctx, pathway.MaxPageSize)
	return append(pending, more...), err
}

// SweepInsight sends the insight deliveries that are due, as Sweep does
// for all, and returns how many it sent: the local server calls it every
// InsightEvery, between the minute's full sweeps.
func (o *Outbox) SweepInsight(ctx context.Context) (int, error) {
	if o.insight == nil {
		return 0, nil
	}
	pending, err := o.store.PendingInsight(ctx, pathway.MaxPageSize)
	if err != nil {
		return 0, err
	}
	return o.sendDue(ctx, pending, false), nil
}

// drainReserve is the time a drain leaves before its invocation's
// deadline: a page of refreshes takes a few seconds at most.
const drainReserve = 5 * time.Second

// drainInsight sweeps further pages of insight deliveries after a
// scheduled sweep (which took one page) while pages come full and the
// invocation has time left, so a burst of changes does not wait a minute
// per hundred; it returns how many it sent. Errors are logged: the next
// schedule takes what is left.
func (o *Outbox) drainInsight(ctx context.Context) int {
	total := 0
	for o.insight != nil {
		if dl, ok := ctx.Deadline(); !ok || time.Until(dl) < drainReserve {
			return total
		}
		pending, err := o.store.PendingInsight(ctx, pathway.MaxPageSize)
		if err != nil {
			o.log.ErrorContext(ctx, "outbox: insight sweep", "err", err)
			return total
		}
		n := o.sendDue(ctx, pending, false)
		total += n
		if n == 0 || len(pending) < pathway.MaxPageSize {
			return total
		}
	}
	return total
}

// RunInsight sweeps insight deliveries every interval until ctx ends.
func (o *Outbox) RunInsight(ctx context.Context, every time.Duration) {
	for {
		if _, err := o.SweepInsight(ctx); err != nil && ctx.Err() == nil {
			o.log.ErrorContext(ctx, "outbox: insight sweep", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
