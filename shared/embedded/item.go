package embedded

import (
	"encoding/binary"
	"errors"

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

// itemFormat is the first byte of every value, so a later layout can be
// told from this one.
const itemFormat = 1

var errCorrupt = errors.New("embedded: corrupt item value")

// encodeItem returns the stored value of it.
func encodeItem(it *table.Item) []byte {
	n := 1 + 6*binary.MaxVarintLen16 + 2*binary.MaxVarintLen64 + len(it.PK) + len(it.SK) +
		len(it.GSI1PK) + len(it.GSI1SK) + len(it.GSI2PK) + len(it.GSI2SK) + len(it.Body)
	b := make([]byte, 1, n)
	b[0] = itemFormat
	for _, s := range [...]string{it.PK, it.SK, it.GSI1PK, it.GSI1SK, it.GSI2PK, it.GSI2SK} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendVarint(b, it.Version)
	b = binary.AppendVarint(b, it.Count)
	return append(b, it.Body...)
}

// decodeItem returns the item stored as v. It copies everything it keeps,
// because bbolt's memory is valid only inside a transaction.
func decodeItem(v []byte) (*table.Item, error) {
	if len(v) == 0 || v[0] != itemFormat {
		return nil, errCorrupt
	}
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
