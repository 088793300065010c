package dynamo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/table"
)

// Transact applies the writes in one TransactWriteItems, but for a lone
// put or delete whose condition is none, IfAbsent or IfExists, which uses
// PutItem or DeleteItem: half the write capacity, the same condition
// failure. The SDK repeats a request whose response was lost; a
// transaction's ClientRequestToken, which the SDK sets once per call and
// keeps across its repeats, makes DynamoDB answer a repeat of a
// transaction that applied with success instead of applying it again. The
// single-item calls carry no token: a repeat of an unconditional write
// changes nothing, but a repeat of an IfAbsent or IfExists write that had
// applied fails its own condition, and Transact reports a
// *table.ConditionError for a write that took effect, which every caller
// in shared/store reads as "done already" (see the package comment). A
// lone write with a Version condition would report a conflict that did
// not happen, and a repeated Add would count twice, so those stay
// transactions, at twice the write capacity.
//
// A transaction that conflicts with another one on the same items (which
// the SDK does not retry) is tried again after a short random pause, for
// about a second, then given up with table.ErrContention. Its conditions
// decide afresh on every attempt whether it may apply; each attempt is a
// new call with a new token.
func (t *Table) Transact(ctx context.Context, writes ...table.Write) error {
	if err := table.CheckWrites(writes); err != nil {
		return err
	}
	actions := make([]action, len(writes))
	for i := range writes {
		actions[i] = newAction(&writes[i])
	}
	if len(writes) == 1 && single(&writes[0]) {
		return retry(ctx, func() error { return t.writeOne(ctx, &actions[0]) })
	}
	items := make([]types.TransactWriteItem, len(actions))
	for i := range actions {
		items[i] = actions[i].transactItem(t.name)
	}
	return retry(ctx, func() error { return t.transact(ctx, writes, items) })
}

// single reports whether a lone write w may use PutItem or DeleteItem: a
// put or delete with no Version condition (see Transact).
func single(w *table.Write) bool {
	return (w.Op == table.OpPut || w.Op == table.OpDelete) && w.Cond.Version == 0
}

// action is one write in DynamoDB's terms: the item or key it touches, the
// update of an addition, and its condition.
type action struct {
	op     table.Op
	key    table.Key
	item   map[string]types.AttributeValue // OpPut
	update *string                         // OpAdd
	cond   *string
	names  map[string]string
	values map[string]types.AttributeValue
}

// newAction translates a write.
func newAction(w *table.Write) action {
	a := action{op: w.Op, key: w.Item.Key()}
	a.condition(w.Cond)
	switch w.Op {
	case table.OpPut:
		a.item = encode(&w.Item)
	case table.OpAdd:
		a.add(&w.Item)
	case table.OpCheck:
		if a.cond == nil {
			// A ConditionCheck needs an expression; the zero Cond
			// always holds.
			a.cond = aws.String("attribute_not_exists(#pk) OR attribute_exists(#pk)")
			a.name("#pk", attrPK)
		}
	}
	return a
}

// add sets the update of an OpAdd: ADD to Count and to each named
// counter, whose attribute names go through expression attribute names
// because they hold characters an expression cannot.
func (a *action) add(it *table.Item) {
	var b strings.Builder
	b.WriteString("ADD #c :d")
	a.name("#c", attrCount)
	a.value(":d", num(it.Count))
	for i, name := range slices.Sorted(maps.Keys(it.Counts)) {
		n, v := "#n"+strconv.Itoa(i), ":n"+strconv.Itoa(i)
		fmt.Fprintf(&b, ", %s %s", n, v)
		a.name(n, attrCounter+name)
		a.value(v, num(it.Counts[name]))
	}
	a.update = aws.String(b.String())
}

// condition sets the condition expression of c, which leaves it nil when
// c always holds. Conditions c sets together must all hold.
func (a *action) condition(c table.Cond) {
	var parts []string
	if c.Absent {
		parts = append(parts, "attribute_not_exists(#pk)")
		a.name("#pk", attrPK)
	}
	if c.Exists {
		parts = append(parts, "attribute_exists(#pk)")
		a.name("#pk", attrPK)
	}
	if c.Version != 0 {
		parts = append(parts, "#v = :v")
		a.name("#v", attrVersion)
		a.value(":v", num(c.Version))
	}
	if len(parts) > 0 {
		a.cond = aws.String(strings.Join(parts, " AND "))
	}
}

// name and value add to the expression's names and values, which stay nil
// when empty because DynamoDB refuses an empty map.
func (a *action) name(n, attr string) {
	if a.names == nil {
		a.names = map[string]string{}
	}
	a.names[n] = attr
}

func (a *action) value(n string, v types.AttributeValue) {
	if a.values == nil {
		a.values = map[string]types.AttributeValue{}
	}
	a.values[n] = v
}

// transactItem returns the action as one item of a TransactWriteItems.
func (a *action) transactItem(name *string) types.TransactWriteItem {
	k := key(a.key.PK, a.key.SK)
	switch a.op {
	case table.OpPut:
		return types.TransactWriteItem{Put: &types.Put{TableName: name, Item: a.item,
			ConditionExpression: a.cond, ExpressionAttributeNames: a.names, ExpressionAttributeValues: a.values}}
	case table.OpDelete:
		return types.TransactWriteItem{Delete: &types.Delete{TableName: name, Key: k,
			ConditionExpression: a.cond, ExpressionAttributeNames: a.names, ExpressionAttributeValues: a.values}}
	case table.OpAdd:
		return types.TransactWriteItem{Update: &types.Update{TableName: name, Key: k, UpdateExpression: a.update,
			ConditionExpression: a.cond, ExpressionAttributeNames: a.names, ExpressionAttributeValues: a.values}}
	}
	return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{TableName: name, Key: k,
		ConditionExpression: a.cond, ExpressionAttributeNames: a.names, ExpressionAttributeValues: a.values}}
}

// transact runs one TransactWriteItems. Each call gets its own
// ClientRequestToken from the SDK, so the SDK's own retries of a call that
// may have been applied are idempotent, and an attempt after a conflict is
// a new transaction.
func (t *Table) transact(ctx context.Context, writes []table.Write, items []types.TransactWriteItem) error {
	out, err := t.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: items, ReturnConsumedCapacity: t.capacityMode(),
	})
	if err != nil {
		return transactError(err, writes)
	}
	t.report("TransactWriteItems", true, 0, out.ConsumedCapacity...)
	return nil
}

// errConflict is an attempt that lost a race with another transaction.
var errConflict = errors.New("dynamo: transaction conflict")

// transactError maps a TransactWriteItems error: the first write whose
// condition failed to a *table.ConditionError, a conflict to errConflict.
func transactError(err error, writes []table.Write) error {
	var tc *types.TransactionCanceledException
	if errors.As(err, &tc) {
		for i, r := range tc.CancellationReasons {
			if aws.ToString(r.Code) == "ConditionalCheckFailed" && i < len(writes) {
				return &table.ConditionError{Index: i, Key: writes[i].Item.Key()}
			}
		}
		for _, r := range tc.CancellationReasons {
			if aws.ToString(r.Code) == "TransactionConflict" {
				return errConflict
			}
		}
	}
	return writeError("transaction", err)
}

// writeError maps the error of any write: a write that met a transaction
// in progress on its item to errConflict, anything else to a wrapped
// service error.
func writeError(op string, err error) error {
	var conflict *types.TransactionConflictException
	if errors.As(err, &conflict) {
		return errConflict
	}
	return fmt.Errorf("dynamo: %s: %w", op, err)
}

// writeOne applies a lone put or delete with its single-item action.
func (t *Table) writeOne(ctx context.Context, a *action) error {
	op, cc, err := t.callOne(ctx, a)
	var ccf *types.ConditionalCheckFailedException
	switch {
	case errors.As(err, &ccf):
		return &table.ConditionError{Index: 0, Key: a.key}
	case err != nil:
		return writeError(op, err)
	}
	t.report(op, true, 0, consumed(cc)...)
	return nil
}

// callOne calls the single-item action of a and returns its name and the
// capacity it consumed.
func (t *Table) callOne(ctx context.Context, a *action) (string, *types.ConsumedCapacity, error) {
	mode := t.capacityMode()
	if a.op == table.OpPut {
		out, err := t.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: t.name, Item: a.item,
			ConditionExpression: a.cond, ExpressionAttributeNames: a.names, ExpressionAttributeValues: a.values,
			ReturnConsumedCapacity: mode})
		if err != nil {
			return "PutItem", nil, err
		}
		return "PutItem", out.ConsumedCapacity, nil
	}
	out, err := t.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: t.name, Key: key(a.key.PK, a.key.SK),
		ConditionExpression: a.cond, ExpressionAttributeNames: a.names, ExpressionAttributeValues: a.values,
		ReturnConsumedCapacity: mode})
	if err != nil {
		return "DeleteItem", nil, err
	}
	return "DeleteItem", out.ConsumedCapacity, nil
}

// Retries after a conflict: up to conflictRetries, each after a random
// pause below a bound that doubles from firstPause up to maxPause, so all
// of them wait about a second at most.
const (
	conflictRetries = 7
	firstPause      = 10 * time.Millisecond
	maxPause        = 250 * time.Millisecond
)

// retry calls f again while it returns errConflict, and gives up with
// table.ErrContention.
func retry(ctx context.Context, f func() error) error {
	for attempt := 0; ; attempt++ {
		err := f()
		if !errors.Is(err, errConflict) {
			return err
		}
		if attempt == conflictRetries {
			return table.ErrContention
		}
		if err := pause(ctx, attempt); err != nil {
			return err
		}
	}
}

// pause waits a random time below a bound that grows with the attempt
// (full jitter, so racing writers spread out), or until ctx ends.
func pause(ctx context.Context, attempt int) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("dynamo: transaction: %w", err) // before a short timer can win the select
	}
	d := time.Duration(rand.Int64N(int64(min(firstPause<<attempt, maxPause))))
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("dynamo: transaction: %w", ctx.Err())
	case <-tm.C:
		return nil
	}
}
