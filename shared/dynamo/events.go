package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// eventItem returns the item of an event, its time in UTC.
func eventItem(e *pathway.Event) (map[string]types.AttributeValue, error) {
	rec := *e
	rec.At = e.At.UTC()
	return marshal(&rec, map[string]string{attrPK: preCoop + e.Coop, attrSK: preEvent + e.ID})
}

// notExists is the condition of a Put that must not replace an item.
var notExists = aws.String("attribute_not_exists(" + attrPK + ")")

// appendEventPut adds the Put of e, if e is not nil, to a transaction; the
// Put fails rather than overwrite an event with the same ID.
func appendEventPut(actions []types.TransactWriteItem, e *pathway.Event) ([]types.TransactWriteItem, error) {
	if e == nil {
		return actions, nil
	}
	item, err := eventItem(e)
	if err != nil {
		return nil, err
	}
	return append(actions, types.TransactWriteItem{Put: &types.Put{Item: item, ConditionExpression: notExists}}), nil
}

// eventExists is the conflict of a transaction whose event ID was taken.
func eventExists(e *pathway.Event) error {
	id := ""
	if e != nil {
		id = e.ID
	}
	return pathway.Errorf(pathway.ECONFLICT, "An event with the ID %q exists already.", id)
}

// AppendEvent stores an event once: the Put is conditional on the ID being
// new, and a failed condition means a retry, which changes nothing.
func (s *Store) AppendEvent(ctx context.Context, e *pathway.Event) error {
	if err := pathway.CheckWrite("event", e, nil); err != nil {
		return err
	}
	item, err := eventItem(e)
	if err != nil {
		return err
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: s.table, Item: item, ConditionExpression: notExists})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("dynamo: append event: %w", err)
	}
	return nil
}

// ListEvents returns a page of a co-op's events, oldest first: the event
// IDs are ULIDs, so their sort keys are in time order.
func (s *Store) ListEvents(ctx context.Context, coopID, cursor string, limit int) (*pathway.EventPage, error) {
	limit, err := pathway.EventPageLimit(coopID, limit)
	if err != nil {
		return nil, err
	}
	if err := checkPart("coop", coopID); err != nil {
		return nil, err
	}
	pk := preCoop + coopID
	start, err := decodeCursor(cursor, []string{attrPK, attrSK}, func(m map[string]string) bool {
		return m[attrPK] == pk && strings.HasPrefix(m[attrSK], preEvent) && len(m[attrSK]) > len(preEvent)
	})
	if err != nil {
		return nil, err
	}
	in, err := keyQuery("", partition(pk).And(expression.Key(attrSK).BeginsWith(preEvent)))
	if err != nil {
		return nil, err
	}
	in.ExclusiveStartKey = start
	events, next, err := listPage[pathway.Event](ctx, s, "ListEvents", in, limit, []string{attrPK, attrSK})
	if err != nil {
		return nil, err
	}
	return &pathway.EventPage{Events: events, Next: next}, nil
}
