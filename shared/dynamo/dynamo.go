// Package dynamo is the DynamoDB engine of table.Table.
//
// Retried writes. The SDK repeats a request whose response was lost. A
// transaction (TransactWriteItems) carries a ClientRequestToken the SDK
// keeps across its repeats, so DynamoDB applies it once and answers the
// repeat with success. A lone Put or Delete whose condition is none,
// IfAbsent or IfExists is sent as PutItem or DeleteItem instead, for half
// the write capacity; those carry no token, so when a lost response is
// repeated the repeat of an IfAbsent or IfExists write that had applied
// fails its own condition, and Transact reports a *table.ConditionError
// for a write that took effect. Callers of such writes must read that
// error as "done already" (shared/store documents which of its writes
// rely on it). A lone write with a Version condition would report a
// conflict instead, so it stays a transaction, as a lone Add or Check
// does. See Transact.
//
// Every string the port takes is checked to be UTF-8 (table.CheckItem and
// the others) before it reaches the SDK, which would send invalid bytes
// as U+FFFD and so store another key than the one given.
package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/table"
)

// The item's attributes, as template.yaml's table defines its keys and
// indexes.
const (
	attrPK      = "PK"
	attrSK      = "SK"
	attrGSI1PK  = "GSI1PK"
	attrGSI1SK  = "GSI1SK"
	attrGSI2PK  = "GSI2PK"
	attrGSI2SK  = "GSI2SK"
	attrVersion = "Version"
	attrCount   = "Count"
	attrBody    = "Body"
	// attrCounter starts the name of each named counter's attribute: a
	// top-level Number, so an update can ADD to it on its own.
	attrCounter = "c:"
)

// Table is a table.Table kept in one DynamoDB table. It calls GetItem,
// Query, PutItem, DeleteItem and TransactWriteItems, whose actions IAM
// authorises as PutItem, UpdateItem, DeleteItem and ConditionCheckItem.
// PutBatch, which no function calls (tests and tools load with it), calls
// BatchWriteItem, which IAM allows as BatchWriteItem.
type Table struct {
	client  calls
	name    *string
	observe func(Usage)
}

// calls are the client's methods the engine uses, held as function values
// rather than the *dynamodb.Client: a program that keeps a client in an
// interface or reflects over it (html/template does) makes the linker keep
// every method of the client, about 1.4 MiB of the API function.
type calls struct {
	GetItem            func(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	Query              func(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	PutItem            func(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem         func(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	TransactWriteItems func(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	BatchWriteItem     func(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

var _ table.Table = (*Table)(nil)

// New returns the engine of the DynamoDB table name, which must have
// template.yaml's keys and indexes.
func New(client *dynamodb.Client, name string) *Table {
	return &Table{name: aws.String(name), client: calls{
		GetItem: client.GetItem, Query: client.Query, PutItem: client.PutItem, DeleteItem: client.DeleteItem,
		TransactWriteItems: client.TransactWriteItems, BatchWriteItem: client.BatchWriteItem,
	}}
}

// Usage is what DynamoDB reported for one request it answered.
type Usage struct {
	// Op is the DynamoDB action: GetItem, Query, PutItem, DeleteItem or
	// TransactWriteItems.
	Op string
	// Read and Write are the capacity units the request consumed, table
	// and indexes together.
	Read, Write float64
	// Items is how many items the request read: the items a Query
	// evaluated, 1 or 0 for GetItem, 0 for writes.
	Items int
}

// Observe makes every request ask DynamoDB for the capacity it consumes
// and hands it to f, so callers can count costs. Requests DynamoDB refuses
// (a failed condition, a cancelled transaction) are not reported: the
// service returns no usage with an error. Call Observe before the Table is
// used; f may be called from several goroutines at once.
func (t *Table) Observe(f func(Usage)) { t.observe = f }

// capacityMode is the ReturnConsumedCapacity of every request: asked for
// only when someone observes it.
func (t *Table) capacityMode() types.ReturnConsumedCapacity {
	if t.observe == nil {
		return types.ReturnConsumedCapacityNone
	}
	return types.ReturnConsumedCapacityTotal
}

// report hands what DynamoDB consumed to the observer, if any. Capacity
// that DynamoDB does not split into read and write units counts as write
// units for writes and read units otherwise.
func (t *Table) report(op string, write bool, items int, cc ...types.ConsumedCapacity) {
	if t.observe == nil {
		return
	}
	u := Usage{Op: op, Items: items}
	for _, c := range cc {
		r, w := aws.ToFloat64(c.ReadCapacityUnits), aws.ToFloat64(c.WriteCapacityUnits)
		if r == 0 && w == 0 {
			if write {
				w = aws.ToFloat64(c.CapacityUnits)
			} else {
				r = aws.ToFloat64(c.CapacityUnits)
			}
		}
		u.Read += r
		u.Write += w
	}
	t.observe(u)
}

// consumed returns the capacity of a response, which is nil when none was
// asked for.
func consumed(c *types.ConsumedCapacity) []types.ConsumedCapacity {
	if c == nil {
		return nil
	}
	return []types.ConsumedCapacity{*c}
}

// Get reads the item under the key with a strongly consistent read.
func (t *Table) Get(ctx context.Context, pk, sk string) (*table.Item, error) {
	if err := table.CheckKey(pk, sk); err != nil {
		return nil, err
	}
	out, err := t.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: t.name, Key: key(pk, sk), ConsistentRead: aws.Bool(true),
		ReturnConsumedCapacity: t.capacityMode(),
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: get: %w", err)
	}
	if out.Item == nil {
		t.report("GetItem", false, 0, consumed(out.ConsumedCapacity)...)
		return nil, table.ErrNotFound
	}
	t.report("GetItem", false, 1, consumed(out.ConsumedCapacity)...)
	return decode(out.Item)
}

// key returns a primary key.
func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: str(pk), attrSK: str(sk)}
}

func str(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

func num(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// encode returns the attributes of an item. Empty index keys are left out,
// so the indexes hold only the items that have both their keys, and so is
// an empty body, which DynamoDB could store but which says nothing.
func encode(it *table.Item) map[string]types.AttributeValue {
	m := key(it.PK, it.SK)
	for _, a := range [...]struct{ name, v string }{
		{attrGSI1PK, it.GSI1PK}, {attrGSI1SK, it.GSI1SK},
		{attrGSI2PK, it.GSI2PK}, {attrGSI2SK, it.GSI2SK},
		{attrBody, string(it.Body)},
	} {
		if a.v != "" {
			m[a.name] = str(a.v)
		}
	}
	m[attrVersion] = num(it.Version)
	m[attrCount] = num(it.Count)
	for name, n := range it.Counts {
		m[attrCounter+name] = num(n)
	}
	return m
}

// decode reads an item's attributes; a missing one is the zero value, as
// for an item OpAdd created with only its key and count.
func decode(m map[string]types.AttributeValue) (*table.Item, error) {
	it := &table.Item{
		PK: text(m, attrPK), SK: text(m, attrSK),
		GSI1PK: text(m, attrGSI1PK), GSI1SK: text(m, attrGSI1SK),
		GSI2PK: text(m, attrGSI2PK), GSI2SK: text(m, attrGSI2SK),
	}
	if b := text(m, attrBody); b != "" {
		it.Body = []byte(b)
	}
	var err error
	if it.Version, err = number(m, attrVersion); err != nil {
		return nil, fmt.Errorf("dynamo: item %s / %s: %w", it.PK, it.SK, err)
	}
	if it.Count, err = number(m, attrCount); err != nil {
		return nil, fmt.Errorf("dynamo: item %s / %s: %w", it.PK, it.SK, err)
	}
	if it.Counts, err = counters(m); err != nil {
		return nil, fmt.Errorf("dynamo: item %s / %s: %w", it.PK, it.SK, err)
	}
	return it, nil
}

// counters returns the named counters among the attributes, nil when
// there are none.
func counters(m map[string]types.AttributeValue) (map[string]int64, error) {
	var out map[string]int64
	for attr := range m {
		name, ok := strings.CutPrefix(attr, attrCounter)
		if !ok {
			continue
		}
		n, err := number(m, attr)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = map[string]int64{}
		}
		out[name] = n
	}
	return out, nil
}

// text returns the string attribute name, or "".
func text(m map[string]types.AttributeValue, name string) string {
	if v, ok := m[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// number returns the integer attribute name, or 0.
func number(m map[string]types.AttributeValue, name string) (int64, error) {
	v, ok := m[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0, nil
	}
	n, err := strconv.ParseInt(v.Value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return n, nil
}
