// Package dynamo is the DynamoDB adapter of pathway.Store: one table
// (single-table design, see keys.go), sparse overloaded indexes for the
// pipeline, the inboxes and a founder's co-ops, optimistic locking on every
// update, and stage changes written with their counters and event in one
// transaction.
//
// It uses only the actions template.yaml grants the functions: GetItem,
// PutItem, UpdateItem, Query and TransactWriteItems.
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Store keeps every record in one DynamoDB table.
type Store struct {
	client *dynamodb.Client
	table  *string
	// observe, when set (by tests in this package), receives what the
	// service reported for each Query, and makes every Query ask for its
	// consumed capacity.
	observe func(observation)
}

var _ pathway.Store = (*Store)(nil)

// observation is what DynamoDB reported for one Query: the capacity it
// consumed and how many items it read and returned.
type observation struct {
	op       string
	capacity *types.ConsumedCapacity
	scanned  int32
	count    int32
}

// New returns a Store on the table, which must have template.yaml's keys
// and indexes.
func New(client *dynamodb.Client, table string) *Store {
	return &Store{client: client, table: aws.String(table)}
}

// useJSONTags makes records keep their JSON field names in the table, so an
// item reads like the API's JSON and both round-trip the same fields.
func useJSONTags(o *attributevalue.EncoderOptions) { o.TagKey = "json" }

func useJSONTagsDecode(o *attributevalue.DecoderOptions) { o.TagKey = "json" }

// marshal turns a record into an item and adds its keys.
func marshal(v any, keys map[string]string) (map[string]types.AttributeValue, error) {
	item, err := attributevalue.MarshalMapWithOptions(v, useJSONTags)
	if err != nil {
		return nil, fmt.Errorf("dynamo: marshal %T: %w", v, err)
	}
	for k, s := range keys {
		item[k] = str(s)
	}
	return item, nil
}

// unmarshal reads an item into a record; key attributes are ignored.
func unmarshal(item map[string]types.AttributeValue, v any) error {
	if err := attributevalue.UnmarshalMapWithOptions(item, v, useJSONTagsDecode); err != nil {
		return fmt.Errorf("dynamo: unmarshal %T: %w", v, err)
	}
	return nil
}

// getRecord reads one item with a strongly consistent read, or returns
// ENOTFOUND naming the kind of record. Every Get method is this one read.
func getRecord[T any](ctx context.Context, s *Store, pk, sk, kind string) (*T, error) {
	if tooLong(pk, sk) {
		return nil, pathway.NotFound(kind)
	}
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: s.table, Key: key(pk, sk), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: get %s: %w", kind, err)
	}
	if out.Item == nil {
		return nil, pathway.NotFound(kind)
	}
	v := new(T)
	if err := unmarshal(out.Item, v); err != nil {
		return nil, err
	}
	return v, nil
}

// put writes an item unconditionally (create or replace).
func (s *Store) put(ctx context.Context, item map[string]types.AttributeValue) error {
	_, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: s.table, Item: item})
	if err != nil {
		return fmt.Errorf("dynamo: put: %w", err)
	}
	return nil
}

// query runs one Query page, reporting to the observer if there is one.
func (s *Store) query(ctx context.Context, op string, in *dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
	in.TableName = s.table
	if s.observe != nil {
		in.ReturnConsumedCapacity = types.ReturnConsumedCapacityIndexes
	}
	out, err := s.client.Query(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("dynamo: %s: %w", op, err)
	}
	if s.observe != nil {
		s.observe(observation{op: op, capacity: out.ConsumedCapacity, scanned: out.ScannedCount, count: out.Count})
	}
	return out, nil
}

// queryAll runs a Query to its end and returns every item.
func (s *Store) queryAll(ctx context.Context, op string, in *dynamodb.QueryInput) ([]map[string]types.AttributeValue, error) {
	var items []map[string]types.AttributeValue
	for {
		out, err := s.query(ctx, op, in)
		if err != nil {
			return nil, err
		}
		items = append(items, out.Items...)
		if len(out.LastEvaluatedKey) == 0 {
			return items, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// keyQuery returns the Query of a key condition: of the table, with
// strongly consistent reads, when index is ""; else of the index, which
// DynamoDB can only read eventually consistently.
func keyQuery(index string, kc expression.KeyConditionBuilder) (*dynamodb.QueryInput, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(kc).Build()
	if err != nil {
		return nil, err
	}
	in := &dynamodb.QueryInput{
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
	}
	if index == "" {
		in.ConsistentRead = aws.Bool(true)
	} else {
		in.IndexName = aws.String(index)
	}
	return in, nil
}

// partition is the key condition of one partition of the table.
func partition(pk string) expression.KeyConditionBuilder {
	return expression.Key(attrPK).Equal(expression.Value(pk))
}

// queryKey runs the Query of a key condition (see keyQuery) to its end.
func (s *Store) queryKey(ctx context.Context, op, index string, kc expression.KeyConditionBuilder) ([]map[string]types.AttributeValue, error) {
	in, err := keyQuery(index, kc)
	if err != nil {
		return nil, err
	}
	return s.queryAll(ctx, op, in)
}

// listTable returns every record of the table the key condition selects,
// in sort-key order, with strongly consistent reads.
func listTable[T any](ctx context.Context, s *Store, op string, kc expression.KeyConditionBuilder) ([]*T, error) {
	items, err := s.queryKey(ctx, op, "", kc)
	if err != nil {
		return nil, err
	}
	return unmarshalAll[T](items)
}

// listPage returns one page of records (see queryPage) and the cursor of
// the next page, "" after the last.
func listPage[T any](ctx context.Context, s *Store, op string, in *dynamodb.QueryInput, limit int, keyAttrs []string) ([]*T, string, error) {
	items, next, err := s.queryPage(ctx, op, in, limit, keyAttrs)
	if err != nil {
		return nil, "", err
	}
	recs, err := unmarshalAll[T](items)
	if err != nil {
		return nil, "", err
	}
	return recs, encodeCursor(next), nil
}

// unmarshalAll reads items into new records, in order.
func unmarshalAll[T any](items []map[string]types.AttributeValue) ([]*T, error) {
	out := make([]*T, len(items))
	for i, item := range items {
		out[i] = new(T)
		if err := unmarshal(item, out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// queryPage reads up to limit items from the query's start key, and a
// cursor key when more may follow. It asks for one item beyond the limit,
// so a page is followed by a cursor only when there is something after it,
// and builds the cursor from the last item's key attributes. A response cut
// short by DynamoDB's 1 MB limit is continued, so a page that is not the
// last is always full.
func (s *Store) queryPage(ctx context.Context, op string, in *dynamodb.QueryInput, limit int, keyAttrs []string) ([]map[string]types.AttributeValue, map[string]types.AttributeValue, error) {
	var items []map[string]types.AttributeValue
	for len(items) <= limit {
		in.Limit = aws.Int32(int32(limit + 1 - len(items)))
		out, err := s.query(ctx, op, in)
		if err != nil {
			return nil, nil, err
		}
		items = append(items, out.Items...)
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	if len(items) <= limit {
		return items, nil, nil
	}
	items = items[:limit]
	last := items[limit-1]
	next := make(map[string]types.AttributeValue, len(keyAttrs))
	for _, k := range keyAttrs {
		next[k] = last[k]
	}
	return items, next, nil
}

// errCanceled is a transaction DynamoDB cancelled because a condition
// failed; reasons holds one entry per action, in order, with the stored
// item (ALL_OLD) where a condition failed.
type errCanceled struct {
	reasons []types.CancellationReason
}

func (e *errCanceled) Error() string { return "dynamo: transaction cancelled by a failed condition" }

// failed returns the stored item of action i and whether its condition
// failed.
func (e *errCanceled) failed(i int) (map[string]types.AttributeValue, bool) {
	if i >= len(e.reasons) || aws.ToString(e.reasons[i].Code) != "ConditionalCheckFailed" {
		return nil, false
	}
	return e.reasons[i].Item, true
}

// transact writes the actions in one transaction. A condition that fails
// returns *errCanceled. A transaction that lost a race with another one on
// the same items (TransactionConflict, which the SDK does not retry) is
// tried again after a short, random pause: its conditions decide on the
// next attempt whether it may still apply.
func (s *Store) transact(ctx context.Context, actions []types.TransactWriteItem) error {
	if len(actions) > 100 {
		return pathway.Errorf(pathway.EINVALID, "This change touches %d records; at most 100 can change together.", len(actions))
	}
	for i := range actions {
		setTable(&actions[i], s.table)
	}
	if len(actions) == 1 && actions[0].Put != nil {
		return s.putOne(ctx, actions[0].Put)
	}
	const attempts = 8
	for attempt := 1; ; attempt++ {
		_, err := s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: actions})
		if err == nil {
			return nil
		}
		var tc *types.TransactionCanceledException
		var conflict *types.TransactionConflictException
		retry := errors.As(err, &conflict)
		if errors.As(err, &tc) {
			for _, r := range tc.CancellationReasons {
				if aws.ToString(r.Code) == "ConditionalCheckFailed" {
					return &errCanceled{reasons: tc.CancellationReasons}
				}
			}
			retry = hasCode(tc.CancellationReasons, "TransactionConflict")
		}
		if !retry || attempt == attempts {
			return fmt.Errorf("dynamo: transaction: %w", err)
		}
		if err := pause(ctx, attempt); err != nil {
			return err
		}
	}
}

// putOne writes a transaction of one Put as a plain PutItem, which costs
// half the write capacity, with the same condition and the same
// *errCanceled when it fails.
func (s *Store) putOne(ctx context.Context, p *types.Put) error {
	_, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: p.TableName, Item: p.Item, ConditionExpression: p.ConditionExpression,
		ExpressionAttributeNames: p.ExpressionAttributeNames, ExpressionAttributeValues: p.ExpressionAttributeValues,
		ReturnValuesOnConditionCheckFailure: p.ReturnValuesOnConditionCheckFailure,
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return &errCanceled{reasons: []types.CancellationReason{{Code: aws.String("ConditionalCheckFailed"), Item: ccf.Item}}}
	}
	if err != nil {
		return fmt.Errorf("dynamo: put: %w", err)
	}
	return nil
}

// hasCode reports whether any cancellation reason has the code.
func hasCode(reasons []types.CancellationReason, code string) bool {
	for _, r := range reasons {
		if aws.ToString(r.Code) == code {
			return true
		}
	}
	return false
}

// pause waits a random time that grows with the attempt, or until ctx ends.
func pause(ctx context.Context, attempt int) error {
	d := time.Duration(rand.Int64N(int64(5*time.Millisecond) << attempt))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// setTable names the table in whichever action a is.
func setTable(a *types.TransactWriteItem, table *string) {
	switch {
	case a.Put != nil:
		a.Put.TableName = table
	case a.Update != nil:
		a.Update.TableName = table
	case a.Delete != nil:
		a.Delete.TableName = table
	case a.ConditionCheck != nil:
		a.ConditionCheck.TableName = table
	}
}

// storedVersion reads the version attribute of an item returned on a
// failed condition, for conflict messages.
func storedVersion(item map[string]types.AttributeValue) int {
	var v struct {
		Version int `json:"version"`
	}
	if unmarshal(item, &v) != nil {
		return 0
	}
	return v.Version
}

// putNew writes the item of rec unless an item with its key exists, in one
// conditional PutItem, and returns rec; if one exists it returns the stored
// record instead, which the failed condition hands back (ALL_OLD), so a
// retry costs no second read. op names the write in errors.
func putNew[T any](ctx context.Context, s *Store, op string, item map[string]types.AttributeValue, rec *T) (*T, error) {
	_, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: s.table, Item: item, ConditionExpression: notExists,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		stored := new(T)
		if err := unmarshal(ccf.Item, stored); err != nil {
			return nil, err
		}
		return stored, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dynamo: %s: %w", op, err)
	}
	return rec, nil
}

// condPut is a transaction's Put of item on the condition; a failed
// condition returns the stored item (ALL_OLD), which tells a missing record
// (no item) from a stale one (its version).
func condPut(item map[string]types.AttributeValue, cond expression.ConditionBuilder) (types.TransactWriteItem, error) {
	expr, err := expression.NewBuilder().WithCondition(cond).Build()
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Put: &types.Put{
		Item: item, ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}}, nil
}

// versionIs is the optimistic-locking condition: the stored version is v.
func versionIs(v int) expression.ConditionBuilder {
	return expression.Name(attrVersion).Equal(expression.Value(v))
}

// stale is the conflict of an update of a kind of record based on an old
// version.
func stale(kind string, had, stored int) error {
	return pathway.Errorf(pathway.ECONFLICT,
		"Someone else changed this %s while you were working on it (you had version %d; it is now at version %d). Reload it and try again.",
		kind, had, stored)
}

// updateError explains the failure of an update: a transaction whose first
// action is a condPut on versionIs(had) of a kind of record, followed by
// the Put of e if e is not nil. The first action's stored item tells a
// missing record from a stale version; any other failed condition is e's
// ID, taken already. Other errors pass through.
func updateError(err error, kind string, had int, e *pathway.Event) error {
	tc, ok := err.(*errCanceled)
	if !ok {
		return err
	}
	if item, failed := tc.failed(0); failed {
		if item == nil {
			return pathway.NotFound(kind)
		}
		return stale(kind, had, storedVersion(item))
	}
	return eventExists(e)
}
