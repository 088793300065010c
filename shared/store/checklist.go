package store

import (
	"context"
	"errors"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// itemItem returns a checklist item's table item.
func itemItem(i *pathway.ChecklistItem) (table.Item, error) {
	rec := *i
	rec.UpdatedAt = i.UpdatedAt.UTC()
	b, err := encode(&rec)
	if err != nil {
		return table.Item{}, err
	}
	return table.Item{PK: coopPK(i.Coop), SK: preItem + i.ID, Version: int64(i.Version), Body: b}, nil
}

// PutChecklist stores the items that do not exist yet, at Version 1;
// existing items are left as they are. The whole batch is validated first.
func (s *Store) PutChecklist(ctx context.Context, items []*pathway.ChecklistItem) error {
	for _, i := range items {
		if err := pathway.CheckWrite("checklist item", i, nil); err != nil {
			return err
		}
	}
	for len(items) > 0 {
		n := min(len(items), table.MaxWrites)
		if err := s.putNewItems(ctx, items[:n]); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}

// putNewItems stores those of at most MaxWrites items that are missing,
// each conditional on being absent; a concurrent writer's item makes the
// transaction fail, and it is tried again without that item.
func (s *Store) putNewItems(ctx context.Context, items []*pathway.ChecklistItem) error {
	for {
		var writes []table.Write
		for _, i := range items {
			if _, err := s.t.Get(ctx, coopPK(i.Coop), preItem+i.ID); err == nil {
				continue
			}
			rec := *i
			rec.Version = 1
			it, err := itemItem(&rec)
			if err != nil {
				return err
			}
			writes = append(writes, table.Put(it, table.IfAbsent()))
		}
		if len(writes) == 0 {
			return nil
		}
		err := s.t.Transact(ctx, writes...)
		var ce *table.ConditionError
		if !errors.As(err, &ce) {
			return mapErr(err)
		}
	}
}

// ListChecklist returns a co-op's checklist items ordered by ID.
func (s *Store) ListChecklist(ctx context.Context, coopID string) ([]*pathway.ChecklistItem, error) {
	if coopID == "" || tooLong(coopID) {
		return []*pathway.ChecklistItem{}, nil
	}
	return list[pathway.ChecklistItem](ctx, s, coopPK(coopID), preItem)
}

// GetChecklistItem returns one checklist item.
func (s *Store) GetChecklistItem(ctx context.Context, coopID, itemID string) (*pathway.ChecklistItem, error) {
	if coopID == "" || itemID == "" || tooLong(coopID, itemID) {
		return nil, pathway.NotFound("checklist item")
	}
	return getRecord[pathway.ChecklistItem](ctx, s, coopPK(coopID), preItem+itemID, "checklist item")
}

// UpdateChecklistItem stores item if its stored version equals
// item.Version, with e, and increments item.Version. The co-op's
// checklist-verification task and task summary follow in the same
// transaction (see verificationWrites); a race with another item's change
// of them reads again and tries again.
func (s *Store) UpdateChecklistItem(ctx context.Context, item *pathway.ChecklistItem, e *pathway.Event) error {
	if err := pathway.CheckWrite("checklist item", item, e); err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		if _, err := s.GetChecklistItem(ctx, item.Coop, item.ID); err != nil {
			return err
		}
		rec := *item
		rec.Version = item.Version + 1
		it, err := itemItem(&rec)
		if err != nil {
			return err
		}
		queue, err := s.verificationWrites(ctx, &rec)
		if err != nil {
			return err
		}
		writes := append([]table.Write{table.Put(it, table.IfVersion(int64(item.Version)))}, queue...)
		if writes, err = withEvent(writes, e); err != nil {
			return err
		}
		err = s.t.Transact(ctx, writes...)
		if table.FailedAt(err, 0) {
			return pathway.Errorf(pathway.ECONFLICT,
				"Someone else changed this item while you were working on it. Reload it and try again.")
		}
		if failedWithin(err, 1, 1+len(queue)) || contended(err) {
			if attempt < maxAttempts {
				pause(ctx, attempt)
				continue // another change of the co-op's queue: count again
			}
			return busy()
		}
		if err != nil {
			return mapErr(err)
		}
		item.Version = rec.Version
		return nil
	}
}
