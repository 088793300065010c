package embedded

import (
	"encoding/binary"
	"errors"
	"maps"
	"slices"

	"github.com/coopcarepathway/pathway/shared/table"
)

// An item is stored whole, in the items bucket and in each index that holds
// it (as a DynamoDB index projecting all attributes does), so an index page
// is read from its own bucket alone. The value is
//
//	format, PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, Version, Count, Body
//
// with the strings length-prefixed (uvarint), the numbers as varints and
// the body as the rest. The keys are stored again in the value, not parsed
// back out of the bucket key, so decoding never depends on the key layout.
//
// An item with named counters is stored in format 2, which puts after
// Count the number of counters and each name (length-prefixed) and value
// (varint), in name order so one item always has one encoding. Items
// without counters keep format 1, so files written before counters
// existed read as they did and their items are stored as before.

// itemFormat is the first byte of every value, so a later layout can be
// told from this one; itemFormatCounts is the layout with named counters.
const (
	itemFormat       = 1
	itemFormatCounts = 2
)

var errCorrupt = errors.New("embedded: corrupt item value")

// encodeItem returns the stored value of it.
func encodeItem(it *table.Item) []byte {
	n := 1 + 6*binary.MaxVarintLen16 + 2*binary.MaxVarintLen64 + len(it.PK) + len(it.SK) +
		len(it.GSI1PK) + len(it.GSI1SK) + len(it.GSI2PK) + len(it.GSI2SK) + len(it.Body)
	for name := range it.Counts {
		n += 2*binary.MaxVarintLen64 + len(name)
	}
	b := make([]byte, 1, n)
	b[0] = itemFormat
	for _, s := range [...]string{it.PK, it.SK, it.GSI1PK, it.GSI1SK, it.GSI2PK, it.GSI2SK} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendVarint(b, it.Version)
	b = binary.AppendVarint(b, it.Count)
	if len(it.Counts) > 0 {
		b[0] = itemFormatCounts
		b = appendCounts(b, it.Counts)
	}
	return append(b, it.Body...)
}

// appendCounts appends the named counters, in name order.
func appendCounts(b []byte, counts map[string]int64) []byte {
	b = binary.AppendUvarint(b, uint64(len(counts)))
	for _, name := range slices.Sorted(maps.Keys(counts)) {
		b = binary.AppendUvarint(b, uint64(len(name)))
		b = append(b, name...)
		b = binary.AppendVarint(b, counts[name])
	}
	return b
}

// readCounts reads what appendCounts wrote and returns the rest of v.
func readCounts(v []byte) (map[string]int64, []byte, error) {
	n, k := binary.Uvarint(v)
	if k <= 0 || n > uint64(len(v)) {
		return nil, nil, errCorrupt
	}
	v = v[k:]
	counts := make(map[string]int64, n)
	for range n {
		l, k := binary.Uvarint(v)
		if k <= 0 || l > uint64(len(v)-k) {
			return nil, nil, errCorrupt
		}
		name := string(v[k : k+int(l)])
		v = v[k+int(l):]
		c, k := binary.Varint(v)
		if k <= 0 {
			return nil, nil, errCorrupt
		}
		counts[name] = c
		v = v[k:]
	}
	return counts, v, nil
}

// decodeItem returns the item stored as v. It copies everything it keeps,
// because bbolt's memory is valid only inside a transaction.
func decodeItem(v []byte) (*table.Item, error) {
	if len(v) == 0 || (v[0] != itemFormat && v[0] != itemFormatCounts) {
		return nil, errCorrupt
	}
	format := v[0]
	v = v[1:]
	it := new(table.Item)
	for _, s := range [...]*string{&it.PK, &it.SK, &it.GSI1PK, &it.GSI1SK, &it.GSI2PK, &it.GSI2SK} {
		n, k := binary.Uvarint(v)
		if k <= 0 || n > uint64(len(v)-k) {
			return nil, errCorrupt
		}
		*s = string(v[k : k+int(n)])
		v = v[k+int(n):]
	}
	for _, x := range [...]*int64{&it.Version, &it.Count} {
		n, k := binary.Varint(v)
		if k <= 0 {
			return nil, errCorrupt
		}
		*x = n
		v = v[k:]
	}
	if format == itemFormatCounts {
		var err error
		if it.Counts, v, err = readCounts(v); err != nil {
			return nil, err
		}
	}
	if len(v) > 0 {
		it.Body = append([]byte(nil), v...)
	}
	return it, nil
}

// indexes names the two indexes and how to read an item's keys in each.
var indexes = [...]struct {
	name   string
	bucket []byte
}{
	{table.IndexGSI1, bucketGSI1},
	{table.IndexGSI2, bucketGSI2},
}

// entryKey returns the key of it's entry in index ix, or nil when it is not
// in that index (sparse indexes hold only items with both keys).
func entryKey(it *table.Item, ix int) []byte {
	if it == nil {
		return nil
	}
	ipk, isk := table.IndexKeys(it, indexes[ix].name)
	if ipk == "" || isk == "" {
		return nil
	}
	return indexKey(ipk, isk, it.PK, it.SK)
}
