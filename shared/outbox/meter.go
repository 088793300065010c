package outbox

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// WithMeter makes each delivery a sweep sends run as its own metered work
// (shared/cost/metered.Config.Work): its reads, writes and emails are
// charged to the co-op the delivery concerns. A delivery sent by the
// request that made it is metered with that request instead.
func (o *Outbox) WithMeter(each func(ctx context.Context, work func(context.Context))) *Outbox {
	o.meter = each
	return o
}

// sendMetered sends d as Send does, within the meter when one is set.
func (o *Outbox) sendMetered(ctx context.Context, d *pathway.Delivery) (Result, error) {
	if o.meter == nil {
		return o.Send(ctx, d)
	}
	var res Result
	var err error
	o.meter(ctx, func(ctx context.Context) {
		if d.Subject.Kind == pathway.SubjectCoop {
			cost.Charge(ctx, d.Subject.ID) // a mail names its own co-op (mail.go)
		}
		res, err = o.Send(ctx, d)
	})
	return res, err
}
