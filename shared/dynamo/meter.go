package dynamo

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/table/tablesize"
)

// Metering. Every call made with a context that carries a *cost.Meter
// (cost.WithMeter) asks DynamoDB for the capacity it consumes
// (ReturnConsumedCapacity TOTAL, table and indexes together) and adds it to
// that meter, so the work a request or a workflow step does is charged to
// the journey it served. Calls without a meter ask for nothing more than
// Observe does.
//
// A write DynamoDB refuses (a failed condition, a cancelled transaction)
// comes back with no ConsumedCapacity, though AWS bills it: "If a
// ConditionExpression evaluates to false, the write still consumes write
// capacity" (Developer Guide, "Condition expressions"). Those are counted
// by the same rule shared/embedded uses for them (failedWriteUnits): the
// size of what the request sent, rounded up to 1 KB, doubled in a
// transaction. That is an estimate: AWS bills the size of the stored item,
// which the error does not say.

// metered wraps the client's calls so that each one meters its context.
func metered(c calls) calls {
	return calls{
		GetItem: func(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
			m := askCapacity(ctx, &in.ReturnConsumedCapacity)
			out, err := c.GetItem(ctx, in, o...)
			if err == nil {
				m.Add(capacityUsage(false, consumed(out.ConsumedCapacity)...))
			}
			return out, err
		},
		Query: func(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
			m := askCapacity(ctx, &in.ReturnConsumedCapacity)
			out, err := c.Query(ctx, in, o...)
			if err == nil {
				m.Add(capacityUsage(false, consumed(out.ConsumedCapacity)...))
			}
			return out, err
		},
		PutItem: func(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
			m := askCapacity(ctx, &in.ReturnConsumedCapacity)
			out, err := c.PutItem(ctx, in, o...)
			switch {
			case err == nil:
				m.Add(capacityUsage(true, consumed(out.ConsumedCapacity)...))
			case conditionFailed(err):
				m.Add(cost.Usage{WriteUnits: failedWriteUnits(false, in.Item)})
			}
			return out, err
		},
		DeleteItem: func(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
			m := askCapacity(ctx, &in.ReturnConsumedCapacity)
			out, err := c.DeleteItem(ctx, in, o...)
			switch {
			case err == nil:
				m.Add(capacityUsage(true, consumed(out.ConsumedCapacity)...))
			case conditionFailed(err):
				m.Add(cost.Usage{WriteUnits: failedWriteUnits(false, in.Key)})
			}
			return out, err
		},
		TransactWriteItems: func(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
			m := askCapacity(ctx, &in.ReturnConsumedCapacity)
			out, err := c.TransactWriteItems(ctx, in, o...)
			switch {
			case err == nil:
				m.Add(capacityUsage(true, out.ConsumedCapacity...))
			case conditionFailed(err):
				var n int64
				for _, ti := range in.TransactItems {
					n += failedWriteUnits(true, transactItemAttrs(ti))
				}
				m.Add(cost.Usage{WriteUnits: n})
			}
			return out, err
		},
		BatchWriteItem: func(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
			m := askCapacity(ctx, &in.ReturnConsumedCapacity)
			out, err := c.BatchWriteItem(ctx, in, o...)
			if err == nil {
				m.Add(capacityUsage(true, out.ConsumedCapacity...))
			}
			return out, err
		},
	}
}

// askCapacity returns the meter of ctx and, when there is one, makes the
// request ask for its consumed capacity. An observer's TOTAL is kept.
func askCapacity(ctx context.Context, mode *types.ReturnConsumedCapacity) *cost.Meter {
	m := cost.MeterFrom(ctx)
	if m != nil && (*mode == "" || *mode == types.ReturnConsumedCapacityNone) {
		*mode = types.ReturnConsumedCapacityTotal
	}
	return m
}

// capacityUsage turns consumed capacity into usage. TOTAL reports
// CapacityUnits alone (and, for some calls, the read and write split):
// a read call's units are read units, a write call's write units.
func capacityUsage(write bool, cc ...types.ConsumedCapacity) cost.Usage {
	var r, w float64
	for _, c := range cc {
		cr, cw := aws.ToFloat64(c.ReadCapacityUnits), aws.ToFloat64(c.WriteCapacityUnits)
		if cr == 0 && cw == 0 {
			if write {
				cw = aws.ToFloat64(c.CapacityUnits)
			} else {
				cr = aws.ToFloat64(c.CapacityUnits)
			}
		}
		r += cr
		w += cw
	}
	return cost.ConsumedUnits(r, w)
}

// conditionFailed reports whether DynamoDB refused a write for its
// condition (alone or in a transaction), the refusal AWS still bills.
func conditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return true
	}
	var tc *types.TransactionCanceledException
	if errors.As(err, &tc) {
		for _, r := range tc.CancellationReasons {
			if aws.ToString(r.Code) == "ConditionalCheckFailed" {
				return true
			}
		}
	}
	return false
}

// transactItemAttrs returns the attributes a transaction's item sends: the
// put item, or the key of an update, delete or condition check.
func transactItemAttrs(ti types.TransactWriteItem) map[string]types.AttributeValue {
	switch {
	case ti.Put != nil:
		return ti.Put.Item
	case ti.Update != nil:
		return ti.Update.Key
	case ti.Delete != nil:
		return ti.Delete.Key
	case ti.ConditionCheck != nil:
		return ti.ConditionCheck.Key
	}
	return nil
}

// failedWriteUnits is the estimate of a refused write (see above).
func failedWriteUnits(transactional bool, attrs map[string]types.AttributeValue) int64 {
	return cost.PutWriteUnits(ItemSize(attrs), transactional)
}

// ItemSize is DynamoDB's size of an item's attributes (see
// shared/table/tablesize for the rules), for the strings and numbers this
// engine stores; other types count their name only.
func ItemSize(attrs map[string]types.AttributeValue) int {
	n := 0
	for name, v := range attrs {
		switch v := v.(type) {
		case *types.AttributeValueMemberS:
			n += tablesize.String(name, v.Value)
		case *types.AttributeValueMemberN:
			n += len(name) + tablesize.NumberValue(v.Value)
		default:
			n += len(name)
		}
	}
	return n
}
