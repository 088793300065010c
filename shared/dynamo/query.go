package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/table"
)

// Query returns one page of q's items. It asks DynamoDB for one item more
// than the page holds, so a page has a Next exactly when an item follows
// it, and goes on from LastEvaluatedKey while DynamoDB's 1 MB response
// limit cuts a response short.
func (t *Table) Query(ctx context.Context, q table.Query) (*table.Page, error) {
	if err := table.CheckQuery(&q); err != nil {
		return nil, err
	}
	in, err := t.queryInput(&q)
	if err != nil {
		return nil, err
	}
	items, err := t.queryItems(ctx, in, q.Limit+1)
	if err != nil {
		return nil, err
	}
	page := &table.Page{Items: items}
	if len(items) > q.Limit {
		page.Items = items[:q.Limit]
		page.Next = table.EncodeCursor(&q, &page.Items[q.Limit-1])
	}
	return page, nil
}

// queryItems reads up to n items, following LastEvaluatedKey until it has
// them or the query ends.
func (t *Table) queryItems(ctx context.Context, in *dynamodb.QueryInput, n int) ([]table.Item, error) {
	var items []table.Item
	for len(items) < n {
		in.Limit = aws.Int32(int32(n - len(items)))
		out, err := t.client.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("dynamo: query: %w", err)
		}
		t.report("Query", false, int(out.ScannedCount), consumed(out.ConsumedCapacity)...)
		for _, m := range out.Items {
			it, err := decode(m)
			if err != nil {
				return nil, err
			}
			items = append(items, *it)
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	return items, nil
}

// queryInput returns the Query of q.
func (t *Table) queryInput(q *table.Query) (*dynamodb.QueryInput, error) {
	pk, sk := keyAttrs(q.Index)
	in := &dynamodb.QueryInput{
		TableName:                 t.name,
		KeyConditionExpression:    aws.String(keyCondition(q)),
		ExpressionAttributeNames:  map[string]string{"#pk": pk},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(q.PK)},
		ScanIndexForward:          aws.Bool(!q.Desc),
		ReturnConsumedCapacity:    t.capacityMode(),
	}
	// DynamoDB refuses names and values the expression does not use.
	if q.Sort != table.SortAll {
		in.ExpressionAttributeNames["#sk"] = sk
		in.ExpressionAttributeValues[":a"] = str(q.A)
	}
	if q.Sort == table.SortBetween {
		in.ExpressionAttributeValues[":b"] = str(q.B)
	}
	if q.Index == table.IndexTable {
		in.ConsistentRead = aws.Bool(true) // indexes cannot be read so
	} else {
		in.IndexName = aws.String(q.Index)
	}
	if q.Cursor != "" {
		var err error
		if in.ExclusiveStartKey, err = startKey(q); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// keyAttrs returns the names of the partition and sort key of an index.
func keyAttrs(index string) (pk, sk string) {
	switch index {
	case table.IndexGSI1:
		return attrGSI1PK, attrGSI1SK
	case table.IndexGSI2:
		return attrGSI2PK, attrGSI2SK
	}
	return attrPK, attrSK
}

// keyCondition returns the key condition expression of q, on #pk = :pk
// and, unless q selects the whole partition, on #sk with :a and :b.
func keyCondition(q *table.Query) string {
	const pk = "#pk = :pk"
	switch q.Sort {
	case table.SortEqual:
		return pk + " AND #sk = :a"
	case table.SortBeginsWith:
		return pk + " AND begins_with(#sk, :a)"
	case table.SortBetween:
		return pk + " AND #sk BETWEEN :a AND :b"
	case table.SortLess:
		return pk + " AND #sk < :a"
	case table.SortLessEqual:
		return pk + " AND #sk <= :a"
	case table.SortGreater:
		return pk + " AND #sk > :a"
	case table.SortGreaterEqual:
		return pk + " AND #sk >= :a"
	}
	return pk
}

// startKey returns the ExclusiveStartKey that resumes q after its cursor:
// the table key, and for an index the item's index keys as well.
// table.DecodeCursor refuses a cursor outside q's partition or sort key
// range, which DynamoDB would refuse with a ValidationException.
func startKey(q *table.Query) (map[string]types.AttributeValue, error) {
	pos, err := table.DecodeCursor(q)
	if err != nil {
		return nil, err
	}
	start := key(pos.PK, pos.SK)
	if q.Index != table.IndexTable {
		pk, sk := keyAttrs(q.Index)
		start[pk], start[sk] = str(pos.IPK), str(pos.ISK)
	}
	return start, nil
}
