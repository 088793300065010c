package cost

import "math"

// DynamoDB on-demand request units, counted the way DynamoDB bills them, so
// the local engine (which has no ConsumedCapacity) counts what AWS would.
// On AWS the table layer reads ConsumedCapacity instead; these rules are
// the same arithmetic.
//
// Source: Amazon DynamoDB Developer Guide, "DynamoDB read and write
// operations" (capacity unit consumption for reads and for writes),
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html,
// and "Global secondary indexes: provisioned throughput considerations"
// (writes to indexes), https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes.

// Read is a read's consistency, which sets its price per 4 KB.
type Read int

// Read consistencies.
const (
	// Eventual: half a read unit per 4 KB (DynamoDB's default).
	Eventual Read = iota
	// Strong: one read unit per 4 KB (ConsistentRead: true).
	Strong
	// Transactional: two read units per 4 KB (TransactGetItems).
	Transactional
)

const (
	readBlock  = 4 << 10 // reads are billed per 4 KB
	writeBlock = 1 << 10 // writes per 1 KB
)

// blocks is size rounded up to whole blocks, at least one: a read of a
// missing item or an empty page still costs the minimum unit.
func blocks(size, block int) int64 {
	if size <= 0 {
		return 1
	}
	return int64((size + block - 1) / block)
}

// halfUnits is the half read units of n 4 KB blocks read with c.
func (c Read) halfUnits(n int64) int64 {
	switch c {
	case Strong:
		return 2 * n
	case Transactional:
		return 4 * n
	default:
		return n
	}
}

// GetReadHalfUnits is the read cost, in half units, of a GetItem (or one
// item of a TransactGetItems) of an item of size bytes: the item's size
// rounded up to the next 4 KB, one unit per 4 KB for a strongly consistent
// read, half for an eventually consistent one, two for a transactional one.
func GetReadHalfUnits(size int, c Read) int64 { return c.halfUnits(blocks(size, readBlock)) }

// BatchGetReadHalfUnits is the read cost of a BatchGetItem: each item is
// rounded up to 4 KB on its own ("DynamoDB processes each item in the batch
// as an individual GetItem request"), then the units are summed.
func BatchGetReadHalfUnits(sizes []int, c Read) int64 {
	var n int64
	for _, s := range sizes {
		n += blocks(s, readBlock)
	}
	return c.halfUnits(n)
}

// QueryReadHalfUnits is the read cost of one Query or Scan page: the sizes
// of all the items read (before any filter; returned or not) are summed and
// the sum rounded up to 4 KB once, not item by item. An empty page is
// billed as one 4 KB block (the minimum read).
func QueryReadHalfUnits(sizes []int, c Read) int64 {
	total := 0
	for _, s := range sizes {
		total += s
	}
	return c.halfUnits(blocks(total, readBlock))
}

// PutWriteUnits is the write cost of a PutItem, UpdateItem or DeleteItem on
// the base table: the item's size rounded up to the next 1 KB, one unit per
// 1 KB, doubled in a transaction (TransactWriteItems). For an update, size
// is the larger of the item before and after; for a delete or a
// replacing put, the larger of the old and new item. A conditional write
// whose condition fails still consumes the units.
func PutWriteUnits(size int, transactional bool) int64 {
	n := blocks(size, writeBlock)
	if transactional {
		n *= 2
	}
	return n
}

// IndexWrite describes what one base-table write did to one global
// secondary index's entry for the item.
type IndexWrite struct {
	// Before and After are the sizes in bytes of the item's index entry
	// (its keys and projected attributes) before and after the write; 0
	// means the item was not in the index (its index key was absent).
	Before, After int
	// KeyChanged: the write changed the value of an index key attribute.
	KeyChanged bool
	// ProjectedChanged: the write changed a projected non-key attribute.
	ProjectedChanged bool
}

// IndexWriteUnits is the write cost of one base-table write on one global
// secondary index, per the Developer Guide's rules:
//   - an item enters the index (index key newly defined): one write of the
//     new entry;
//   - an item leaves the index (deleted, or index key removed): one write
//     (the delete) of the old entry;
//   - an index key value changes: two writes, delete the old entry and put
//     the new one;
//   - only projected non-key attributes change: one write of the larger
//     entry;
//   - nothing the index holds changes: no write.
//
// Each write is rounded up to 1 KB. In a transaction the units are doubled
// like the base table's (an assumption to check against ConsumedCapacity
// on AWS).
func IndexWriteUnits(w IndexWrite, transactional bool) int64 {
	var n int64
	switch {
	case w.Before == 0 && w.After == 0:
		return 0
	case w.Before == 0:
		n = blocks(w.After, writeBlock)
	case w.After == 0:
		n = blocks(w.Before, writeBlock)
	case w.KeyChanged:
		n = blocks(w.Before, writeBlock) + blocks(w.After, writeBlock)
	case w.ProjectedChanged:
		n = blocks(max(w.Before, w.After), writeBlock)
	default:
		return 0
	}
	if transactional {
		n *= 2
	}
	return n
}

// ConsumedUnits turns the CapacityUnits DynamoDB reports in a response's
// ConsumedCapacity (ReturnConsumedCapacity TOTAL or INDEXES, table and
// indexes together) into Usage. The API reports float64s, always whole or
// half units for on-demand tables, so rounding to the nearest half (reads)
// or whole unit (writes) is exact, not an approximation.
func ConsumedUnits(readUnits, writeUnits float64) Usage {
	return Usage{ReadHalfUnits: int64(math.Round(readUnits * 2)), WriteUnits: int64(math.Round(writeUnits))}
}
