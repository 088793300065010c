package store

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// deliveryItem returns a delivery's item in the outbox.
func deliveryItem(d *pathway.Delivery) (table.Item, error) {
	rec := *d
	rec.NotBefore, rec.CreatedAt = d.NotBefore.UTC(), d.CreatedAt.UTC()
	b, err := encode(&rec)
	if err != nil {
		return table.Item{}, err
	}
	return table.Item{PK: queueOf(d), SK: d.ID, Version: int64(d.Version), Body: b}, nil
}

// WithDelivery appends the write of a new delivery (a workflow start, a
// task's answer, a notice) to writes when there is one, in its queue of
// the outbox: every phase's repository stores deliveries this way, so the
// outbox sends them all.
func WithDelivery(writes []table.Write, d *pathway.Delivery) ([]table.Write, error) {
	return withDelivery(writes, d)
}

// withDelivery appends a new delivery's write to writes when there is one.
func withDelivery(writes []table.Write, d *pathway.Delivery) ([]table.Write, error) {
	if d == nil {
		return writes, nil
	}
	if d.Version == 0 {
		d.Version = 1
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	it, err := deliveryItem(d)
	if err != nil {
		return nil, err
	}
	return append(writes, table.Put(it, table.IfAbsent())), nil
}

// PendingDeliveries returns up to limit deliveries not sent yet, oldest
// first, from the table.
func (s *Store) PendingDeliveries(ctx context.Context, limit int) ([]*pathway.Delivery, error) {
	return s.pending(ctx, pkOutbox, limit)
}

// pending returns up to limit deliveries of a queue, oldest first.
func (s *Store) pending(ctx context.Context, queue string, limit int) ([]*pathway.Delivery, error) {
	limit, err := pathway.PageLimit(limit)
	if err != nil {
		return nil, err
	}
	p, err := s.t.Query(ctx, table.Query{PK: queue, Limit: limit})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]*pathway.Delivery, 0, len(p.Items))
	for i := range p.Items {
		var d pathway.Delivery
		if err := decode(&p.Items[i], &d); err != nil {
			return nil, err
		}
		d.Version = int(p.Items[i].Version)
		out = append(out, &d)
	}
	return out, nil
}

// FinishDelivery removes a sent delivery, with e, in one transaction.
func (s *Store) FinishDelivery(ctx context.Context, d *pathway.Delivery, e *pathway.Event) error {
	if e != nil {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	writes, err := withEvent([]table.Write{table.Delete(queueOf(d), d.ID, table.IfExists())}, e)
	if err != nil {
		return err
	}
	err = s.t.Transact(ctx, writes...)
	if table.FailedAt(err, 0) {
		return pathway.Errorf(pathway.ECONFLICT, "This delivery was finished already.")
	}
	return mapErr(err)
}

// RetryDelivery stores a failed attempt if the stored version equals
// d.Version, and increments d.Version.
func (s *Store) RetryDelivery(ctx context.Context, d *pathway.Delivery) error {
	if err := d.Validate(); err != nil {
		return err
	}
	rec := *d
	rec.Version = d.Version + 1
	it, err := deliveryItem(&rec)
	if err != nil {
		return err
	}
	err = s.t.Transact(ctx, table.Put(it, table.IfVersion(int64(d.Version))))
	if table.FailedAt(err, 0) {
		return pathway.Errorf(pathway.ECONFLICT, "This delivery was changed or finished meanwhile.")
	}
	if err != nil {
		return mapErr(err)
	}
	d.Version = rec.Version
	return nil
}
