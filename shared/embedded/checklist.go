package embedded

import (
	"bytes"
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"go.etcd.io/bbolt"
)

// PutChecklist stores the items that do not exist yet, at Version 1, and
// leaves existing ones as they are. Every item is validated before any is
// stored, so an invalid batch stores nothing.
func (s *Store) PutChecklist(ctx context.Context, items []*pathway.ChecklistItem) error {
	recs := make([]*pathway.ChecklistItem, len(items))
	for i, item := range items {
		if item == nil {
			return pathway.Errorf(pathway.EINVALID, "Checklist item %d is missing.", i)
		}
		if err := item.Validate(); err != nil {
			return err
		}
		rec := *item
		rec.UpdatedAt, rec.Version = item.UpdatedAt.UTC(), 1
		recs[i] = &rec
	}
	created := make([]bool, len(items))
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketChecklist)
		for i, rec := range recs {
			key := itemKey(rec.Coop, rec.ID)
			if b.Get(key) != nil {
				continue
			}
			if err := putJSON(b, key, rec); err != nil {
				return err
			}
			created[i] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, ok := range created {
		if ok {
			items[i].Version = 1
		}
	}
	return nil
}

// ListChecklist returns a co-op's checklist items ordered by ID.
func (s *Store) ListChecklist(ctx context.Context, coopID string) ([]*pathway.ChecklistItem, error) {
	if err := checkPart("coop", coopID); err != nil {
		return nil, err
	}
	out := []*pathway.ChecklistItem{}
	prefix := part(nil, coopID)
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		cur := tx.Bucket(bucketChecklist).Cursor()
		for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
			item := new(pathway.ChecklistItem)
			if err := decodeValue(k, v, item); err != nil {
				return err
			}
			out = append(out, item)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetChecklistItem returns one checklist item.
func (s *Store) GetChecklistItem(ctx context.Context, coopID, itemID string) (*pathway.ChecklistItem, error) {
	if err := checkPart("coop", coopID); err != nil {
		return nil, err
	}
	item := new(pathway.ChecklistItem)
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bucketChecklist), itemKey(coopID, itemID), item)
		if err == nil && !ok {
			err = pathway.NotFound("checklist item")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return item, nil
}

// UpdateChecklistItem stores item if its stored version equals
// item.Version, with e, in one transaction.
func (s *Store) UpdateChecklistItem(ctx context.Context, item *pathway.ChecklistItem, e *pathway.Event) error {
	if err := pathway.CheckWrite("checklist item", item, e); err != nil {
		return err
	}
	rec := *item
	rec.UpdatedAt, rec.Version = item.UpdatedAt.UTC(), item.Version+1
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		b, key := tx.Bucket(bucketChecklist), itemKey(item.Coop, item.ID)
		var old pathway.ChecklistItem
		if ok, err := getJSON(b, key, &old); err != nil {
			return err
		} else if !ok {
			return pathway.NotFound("checklist item")
		}
		if old.Version != item.Version {
			return pathway.Errorf(pathway.ECONFLICT,
				"Someone else changed this item while you were working on it. Reload it and try again.")
		}
		if err := putJSON(b, key, &rec); err != nil {
			return err
		}
		return appendEvent(tx, e)
	})
	if err == nil {
		item.Version = rec.Version
	}
	return err
}
