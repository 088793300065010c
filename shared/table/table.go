// Package table is the port of the one table: DynamoDB's single-table data
// model reduced to what the repositories use.
//
// Items have a partition and a sort key, up to two pairs of index keys, a
// version, a counter and a JSON body; reads are a strongly consistent Get,
// and a Query of the table or an index; writes are one transaction of puts,
// deletes, counter additions and condition checks.
//
// Two engines implement it: shared/dynamo (DynamoDB) and shared/embedded (a
// bbolt file that keeps its own indexes). Neither knows what the items
// mean; tabletest holds both to the same semantics. The repositories above
// the port (shared/store) hold every access pattern once.
package table

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Index names. IndexTable ("") queries the table itself.
const (
	IndexTable = ""
	IndexGSI1  = "GSI1"
	IndexGSI2  = "GSI2"
)

// Key limits, as DynamoDB sets them (in bytes). Keys, index keys, sort
// operands and bodies must also be valid UTF-8: DynamoDB strings are
// UTF-8 text, and its SDK would send an invalid byte as U+FFFD, storing
// another key than the one given.
const (
	MaxPartitionKey = 2048
	MaxSortKey      = 1024
	// MaxWrites is the most writes one transaction may hold.
	MaxWrites = 100
	// MaxItemSize bounds an item's body, well inside DynamoDB's 400 KB.
	MaxItemSize = 350 * 1024
	// MaxLimit bounds a query's page.
	MaxLimit = 1000
)

// Item is one item of the table.
type Item struct {
	// PK and SK are the primary key; both are required.
	PK, SK string
	// GSI1PK/GSI1SK and GSI2PK/GSI2SK are the item's keys in the two
	// indexes. An index holds the item only when both its keys are set
	// (sparse indexes).
	GSI1PK, GSI1SK string
	GSI2PK, GSI2SK string
	// Version is stored as given; callers count their writes with it and
	// make updates conditional on it (IfVersion).
	Version int64
	// Count is a counter that Add changes atomically.
	Count int64
	// Counts are named counters that Add changes atomically, each on its
	// own, so one item can hold every figure of an aggregate. Nil when
	// the item has none; names follow CheckCounts.
	Counts map[string]int64
	// Body is the record, as JSON; empty for counters.
	Body []byte
}

// Key returns the item's primary key.
func (it *Item) Key() Key { return Key{PK: it.PK, SK: it.SK} }

// Key is a primary key.
type Key struct{ PK, SK string }

// Cond is the condition a write holds on the stored item. The zero Cond
// always holds; conditions set together must all hold, so Exists with a
// Version is the Version alone, and Absent with either never holds and is
// refused (CheckWrites).
type Cond struct {
	// Absent: no item is stored under the key.
	Absent bool
	// Exists: an item is stored under the key.
	Exists bool
	// Version, when not zero: an item is stored and its Version equals it.
	Version int64
}

// IfAbsent holds when no item is stored under the key.
func IfAbsent() Cond { return Cond{Absent: true} }

// IfExists holds when an item is stored under the key.
func IfExists() Cond { return Cond{Exists: true} }

// IfVersion holds when the stored item has version v.
func IfVersion(v int64) Cond { return Cond{Version: v} }

// Op is the kind of a write.
type Op int

// Kinds of write.
const (
	// OpPut stores Item whole, replacing any stored item.
	OpPut Op = iota + 1
	// OpDelete removes the item under Item's key; removing none is no error.
	OpDelete
	// OpCheck changes nothing; it only holds the transaction to Cond.
	OpCheck
	// OpAdd adds Item.Count to the stored item's Count and each of
	// Item.Counts to the stored counter of that name, creating missing
	// counters (at zero) and an item with only its key and those counters
	// when none is stored. Its other fields, and its counters not named,
	// are left as they are.
	OpAdd
)

// Write is one write of a transaction.
type Write struct {
	Op   Op
	Item Item
	Cond Cond
}

// Put stores it if c holds.
func Put(it Item, c Cond) Write { return Write{Op: OpPut, Item: it, Cond: c} }

// AddCounts adds each of counts to the named counter under the key.
func AddCounts(pk, sk string, counts map[string]int64) Write {
	return Write{Op: OpAdd, Item: Item{PK: pk, SK: sk, Counts: counts}}
}

// Delete removes the item under the key if c holds.
func Delete(pk, sk string, c Cond) Write {
	return Write{Op: OpDelete, Item: Item{PK: pk, SK: sk}, Cond: c}
}

// Check holds the transaction to c on the item under the key.
func Check(pk, sk string, c Cond) Write {
	return Write{Op: OpCheck, Item: Item{PK: pk, SK: sk}, Cond: c}
}

// Add adds delta to the counter under the key.
func Add(pk, sk string, delta int64) Write {
	return Write{Op: OpAdd, Item: Item{PK: pk, SK: sk, Count: delta}}
}

// SortOp is a condition on the sort key of a query.
type SortOp int

// Sort key conditions, as DynamoDB's key condition expressions.
const (
	SortAll          SortOp = iota // every item of the partition
	SortEqual                      // SK = A
	SortBeginsWith                 // begins_with(SK, A)
	SortBetween                    // A <= SK <= B
	SortLess                       // SK < A
	SortLessEqual                  // SK <= A
	SortGreater                    // SK > A
	SortGreaterEqual               // SK >= A
)

// Query selects items of one partition of the table or of an index.
type Query struct {
	// Index is IndexTable, IndexGSI1 or IndexGSI2.
	Index string
	// PK is the partition key (of the index, when Index is one).
	PK string
	// Sort is the condition on the sort key; A and B are its operands.
	Sort SortOp
	A, B string
	// Desc lists in descending sort-key order; ascending otherwise.
	//
	// Items with equal index sort keys come in one order on every read of
	// the same items, reversed when descending, and cursors neither skip
	// nor repeat them; which order is the engine's (DynamoDB does not
	// order them by table key). A repository that needs an order among
	// them makes its index sort keys unique, e.g. by appending the id.
	// Table sort keys are unique within a partition.
	Desc bool
	// Limit is the page size, 1 to MaxLimit.
	Limit int
	// Cursor is the Next of the previous page of the same query, or "".
	Cursor string
}

// Page is one page of a query's items.
type Page struct {
	Items []Item
	// Next is the cursor of the following page; "" when no item follows.
	// A cursor names the last item returned, so items written or deleted
	// between pages never make a later page skip or repeat an item that
	// was there throughout.
	Next string
}

// Table is the port. Reads of the table are strongly consistent; reads of
// an index are eventually consistent, as DynamoDB's global secondary
// indexes are: a read that must see the caller's own write reads the table.
type Table interface {
	// Get returns the item under the key, or ErrNotFound.
	Get(ctx context.Context, pk, sk string) (*Item, error)
	// Query returns one page of a query.
	Query(ctx context.Context, q Query) (*Page, error)
	// Transact applies the writes all together or not at all. A write
	// whose condition fails fails the whole transaction with a
	// *ConditionError. At most MaxWrites writes, no two on one key.
	Transact(ctx context.Context, writes ...Write) error
}

// ErrNotFound is Get's error for a key with no item.
var ErrNotFound = errors.New("table: no item under the key")

// ErrContention is returned when a transaction kept conflicting with other
// transactions on the same items; the caller may retry.
var ErrContention = errors.New("table: transaction conflicted with concurrent writes")

// ConditionError reports which write of a transaction failed its condition.
type ConditionError struct {
	// Index is the write's position in the transaction.
	Index int
	// Key is its key.
	Key Key
}

func (e *ConditionError) Error() string {
	return fmt.Sprintf("table: condition of write %d (%s / %s) failed", e.Index, e.Key.PK, e.Key.SK)
}

// FailedAt reports whether err is a *ConditionError for write i.
func FailedAt(err error, i int) bool {
	var ce *ConditionError
	return errors.As(err, &ce) && ce.Index == i
}

// InvalidError reports a request the table refuses whatever is stored: a
// key too long, empty or not UTF-8, a cursor of another query, too many
// writes, a condition that can never hold.
type InvalidError struct {
	// Field names what was wrong: "PK", "SK", "GSI1PK", "GSI1SK",
	// "GSI2PK", "GSI2SK", "body", "counts", "index", "sort", "cursor",
	// "limit", "writes".
	Field   string
	Message string
}

func (e *InvalidError) Error() string { return "table: " + e.Field + ": " + e.Message }

// Invalid reports whether err is an *InvalidError.
func Invalid(err error) (*InvalidError, bool) {
	var ie *InvalidError
	ok := errors.As(err, &ie)
	return ie, ok
}

// CheckItem refuses an item no engine can store: empty, over-long or
// non-UTF-8 keys, half an index key pair, an over-long or non-UTF-8 body.
// Engines call it, so both refuse the same items with the same errors.
func CheckItem(it *Item) error {
	if err := checkKey(it.PK, it.SK); err != nil {
		return err
	}
	for _, ix := range [...]struct{ name, pk, sk string }{
		{IndexGSI1, it.GSI1PK, it.GSI1SK}, {IndexGSI2, it.GSI2PK, it.GSI2SK},
	} {
		if (ix.pk == "") != (ix.sk == "") {
			return &InvalidError{Field: ix.name + "PK", Message: "an index needs both keys or neither"}
		}
		if len(ix.pk) > MaxPartitionKey || len(ix.sk) > MaxSortKey {
			return &InvalidError{Field: ix.name + "PK", Message: "index key too long"}
		}
		if err := checkText(ix.name+"PK", ix.pk); err != nil {
			return err
		}
		if err := checkText(ix.name+"SK", ix.sk); err != nil {
			return err
		}
	}
	if len(it.Body) > MaxItemSize {
		return &InvalidError{Field: "body", Message: "item too large"}
	}
	if !utf8.Valid(it.Body) {
		return &InvalidError{Field: "body", Message: notText}
	}
	return CheckCounts(it.Counts)
}

// MaxCountName bounds a counter's name, in bytes.
const MaxCountName = 200

// MaxAddCounts bounds the named counters one Add changes: DynamoDB
// refuses an update expression over 4 KB, and each counter takes about
// 14 bytes of it.
const MaxAddCounts = 250

// CheckCounts refuses a counter name that is empty, longer than
// MaxCountName or not printable ASCII without spaces: names become
// DynamoDB attribute names, and this keeps them plain and unambiguous.
func CheckCounts(counts map[string]int64) error {
	for name := range counts {
		if name == "" || len(name) > MaxCountName {
			return &InvalidError{Field: "counts", Message: fmt.Sprintf("a counter name must be 1 to %d bytes", MaxCountName)}
		}
		for i := 0; i < len(name); i++ {
			if name[i] <= ' ' || name[i] > '~' {
				return &InvalidError{Field: "counts", Message: "a counter name must be printable ASCII without spaces: " + strconv.Quote(name)}
			}
		}
	}
	return nil
}

// notText is the message of a string that is not valid UTF-8.
const notText = "must be UTF-8 text"

// checkText refuses a string that is not valid UTF-8, naming field.
func checkText(field, s string) error {
	if !utf8.ValidString(s) {
		return &InvalidError{Field: field, Message: notText}
	}
	return nil
}

// checkKey refuses an empty, over-long or non-UTF-8 primary key.
func checkKey(pk, sk string) error {
	switch {
	case pk == "" || len(pk) > MaxPartitionKey:
		return &InvalidError{Field: "PK", Message: fmt.Sprintf("must be 1 to %d bytes", MaxPartitionKey)}
	case sk == "" || len(sk) > MaxSortKey:
		return &InvalidError{Field: "SK", Message: fmt.Sprintf("must be 1 to %d bytes", MaxSortKey)}
	}
	if err := checkText("PK", pk); err != nil {
		return err
	}
	return checkText("SK", sk)
}

// CheckKey refuses an empty, over-long or non-UTF-8 primary key.
func CheckKey(pk, sk string) error { return checkKey(pk, sk) }

// CheckQuery refuses a query no engine can run.
func CheckQuery(q *Query) error {
	switch {
	case q.Index != IndexTable && q.Index != IndexGSI1 && q.Index != IndexGSI2:
		return &InvalidError{Field: "index", Message: "no such index"}
	case q.PK == "" || len(q.PK) > MaxPartitionKey:
		return &InvalidError{Field: "PK", Message: "partition key must be 1 to 2048 bytes"}
	case q.Limit < 1 || q.Limit > MaxLimit:
		return &InvalidError{Field: "limit", Message: fmt.Sprintf("must be 1 to %d", MaxLimit)}
	case q.Sort < SortAll || q.Sort > SortGreaterEqual:
		return &InvalidError{Field: "sort", Message: "unknown sort key condition"}
	case len(q.A) > MaxSortKey || len(q.B) > MaxSortKey:
		return &InvalidError{Field: "sort", Message: "sort key operand too long"}
	case q.Sort != SortAll && q.A == "", q.Sort == SortBetween && q.B == "":
		// DynamoDB refuses an empty key value in a key condition.
		return &InvalidError{Field: "sort", Message: "sort key operand must not be empty"}
	case q.Sort == SortBetween && q.A > q.B:
		// As DynamoDB does, rather than return nothing.
		return &InvalidError{Field: "sort", Message: "BETWEEN needs its lower bound first"}
	}
	if err := checkText("PK", q.PK); err != nil {
		return err
	}
	if err := checkText("sort", q.A); err != nil {
		return err
	}
	return checkText("sort", q.B)
}

// Selects reports whether q's sort key condition holds for the sort key
// sk, comparing strings as DynamoDB does: by their UTF-8 bytes.
func (q *Query) Selects(sk string) bool {
	switch q.Sort {
	case SortEqual:
		return sk == q.A
	case SortBeginsWith:
		return strings.HasPrefix(sk, q.A)
	case SortBetween:
		return q.A <= sk && sk <= q.B
	case SortLess:
		return sk < q.A
	case SortLessEqual:
		return sk <= q.A
	case SortGreater:
		return sk > q.A
	case SortGreaterEqual:
		return sk >= q.A
	}
	return true
}

// CheckWrites refuses a transaction no engine can apply: none or too many
// writes, two on one key, an unknown op, a condition that can never hold
// (Absent with Exists or a Version), an item CheckItem refuses.
func CheckWrites(writes []Write) error {
	if len(writes) == 0 || len(writes) > MaxWrites {
		return &InvalidError{Field: "writes", Message: fmt.Sprintf("a transaction holds 1 to %d writes", MaxWrites)}
	}
	seen := make(map[Key]bool, len(writes))
	for i := range writes {
		w := &writes[i]
		if w.Op < OpPut || w.Op > OpAdd {
			return &InvalidError{Field: "writes", Message: "unknown op"}
		}
		if w.Cond.Absent && (w.Cond.Exists || w.Cond.Version != 0) {
			return &InvalidError{Field: "writes", Message: "a condition of absence and of a stored item never holds"}
		}
		var err error
		switch w.Op {
		case OpPut:
			err = CheckItem(&w.Item)
		case OpAdd:
			if err = checkKey(w.Item.PK, w.Item.SK); err == nil {
				err = checkAdd(w.Item.Counts)
			}
		default:
			err = checkKey(w.Item.PK, w.Item.SK)
		}
		if err != nil {
			return err
		}
		k := w.Item.Key()
		if seen[k] {
			return &InvalidError{Field: "writes", Message: "two writes on one key: " + k.PK + " / " + k.SK}
		}
		seen[k] = true
	}
	return nil
}

// checkAdd refuses an Add of too many counters or of a bad name.
func checkAdd(counts map[string]int64) error {
	if len(counts) > MaxAddCounts {
		return &InvalidError{Field: "counts", Message: fmt.Sprintf("an Add changes at most %d counters", MaxAddCounts)}
	}
	return CheckCounts(counts)
}

// CheckBatch refuses a bulk load (the engines' PutBatch, which is no part
// of Table) of an item CheckItem refuses or of two items under one key.
func CheckBatch(items []Item) error {
	seen := make(map[Key]bool, len(items))
	for i := range items {
		if err := CheckItem(&items[i]); err != nil {
			return err
		}
		k := items[i].Key()
		if seen[k] {
			return &InvalidError{Field: "writes", Message: "two items under one key: " + k.PK + " / " + k.SK}
		}
		seen[k] = true
	}
	return nil
}
