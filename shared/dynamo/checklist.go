package dynamo

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// checklistWriters bounds the Puts PutChecklist has in flight at once.
const checklistWriters = 8

// PutChecklist stores the items that do not exist yet, at Version 1, and
// leaves existing ones as they are. Every item is validated before any is
// stored, so an invalid batch stores nothing. Each item is its own
// conditional Put (a transaction could not skip the existing ones), a few
// at a time.
func (s *Store) PutChecklist(ctx context.Context, items []*pathway.ChecklistItem) error {
	recs := make([]map[string]types.AttributeValue, len(items))
	for i, item := range items {
		if item == nil {
			return pathway.Errorf(pathway.EINVALID, "Checklist item %d is missing.", i)
		}
		if err := item.Validate(); err != nil {
			return err
		}
		var err error
		if recs[i], err = checklistItem(item, 1); err != nil {
			return err
		}
	}
	created := make([]bool, len(items))
	errs := make([]error, len(items))
	sem := make(chan struct{}, checklistWriters)
	var wg sync.WaitGroup
	for i, item := range recs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			_, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: s.table, Item: item, ConditionExpression: notExists})
			var ccf *types.ConditionalCheckFailedException
			switch {
			case err == nil:
				created[i] = true
			case !errors.As(err, &ccf):
				errs[i] = fmt.Errorf("dynamo: put checklist item: %w", err)
			}
		})
	}
	wg.Wait()
	for i, ok := range created {
		if ok {
			items[i].Version = 1
		}
	}
	return errors.Join(errs...)
}

// checklistItem returns the item of a checklist item at the version, its
// time in UTC.
func checklistItem(i *pathway.ChecklistItem, version int) (map[string]types.AttributeValue, error) {
	rec := *i
	rec.UpdatedAt, rec.Version = i.UpdatedAt.UTC(), version
	return marshal(&rec, map[string]string{attrPK: preCoop + i.Coop, attrSK: preItem + i.ID})
}

// ListChecklist returns a co-op's checklist items ordered by ID (their sort
// keys order the same way).
func (s *Store) ListChecklist(ctx context.Context, coopID string) ([]*pathway.ChecklistItem, error) {
	if err := checkPart("coop", coopID); err != nil {
		return nil, err
	}
	kc := partition(preCoop + coopID).And(expression.Key(attrSK).BeginsWith(preItem))
	return listTable[pathway.ChecklistItem](ctx, s, "ListChecklist", kc)
}

// GetChecklistItem returns one checklist item.
func (s *Store) GetChecklistItem(ctx context.Context, coopID, itemID string) (*pathway.ChecklistItem, error) {
	return getRecord[pathway.ChecklistItem](ctx, s, preCoop+coopID, preItem+itemID, "checklist item")
}

// UpdateChecklistItem stores item if its stored version equals
// item.Version, with e, in one transaction; a failed condition returns the
// stored item, which tells a missing item from a stale version.
func (s *Store) UpdateChecklistItem(ctx context.Context, item *pathway.ChecklistItem, e *pathway.Event) error {
	if err := pathway.CheckWrite("checklist item", item, e); err != nil {
		return err
	}
	rec, err := checklistItem(item, item.Version+1)
	if err != nil {
		return err
	}
	put, err := condPut(rec, versionIs(item.Version))
	if err != nil {
		return err
	}
	actions := []types.TransactWriteItem{put}
	if actions, err = appendEventPut(actions, e); err != nil {
		return err
	}
	if err := updateError(s.transact(ctx, actions), "checklist item", item.Version, e); err != nil {
		return err
	}
	item.Version++
	return nil
}
