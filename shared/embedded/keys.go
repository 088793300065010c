package embedded

import (
	"bytes"
	"encoding/binary"
)

// Keys of the buckets are built so that bbolt's byte order is the order a
// query reads in, and so that one partition's keys are contiguous:
//
//	item:  len(PK) PK SK
//	index: len(IPK) IPK esc(ISK) esc(PK) SK
//
// The partition key comes first with its length (two bytes), so no key of
// one partition falls between two keys of another; partitions themselves
// are in no useful order, and no query needs one. The last part is written
// raw, so its byte order is DynamoDB's order of sort keys (UTF-8 bytes).
// An index's sort key and the item's partition key are followed by more
// parts, so they are escaped (see esc) to keep their order and end where
// they end. Items with equal index sort keys thus follow their table keys'
// order, PK then SK: a fixed order, which is all the port asks for.

// partition returns the prefix every key of partition pk starts with.
func partition(pk string) []byte {
	b := make([]byte, 2, 2+len(pk)+64)
	binary.BigEndian.PutUint16(b, uint16(len(pk))) // table.CheckKey bounds pk to 2048 bytes
	return append(b, pk...)
}

// itemKey is the key of the item (pk, sk) in the items bucket.
func itemKey(pk, sk string) []byte { return append(partition(pk), sk...) }

// indexKey is the key of an index entry.
func indexKey(ipk, isk, pk, sk string) []byte {
	b := esc(partition(ipk), isk)
	b = esc(b, pk)
	return append(b, sk...)
}

// Escaping: a zero byte is written as 0x00 0xFF and the value ends with
// 0x00 0x01. The code is prefix-free and keeps byte order, and the end
// marker is below every byte that can follow a value's shorter prefix, so
// esc(a) < esc(b) exactly when a < b, whatever follows either.
const (
	escZero = 0xFF
	escEnd  = 0x01
)

// esc appends s escaped and ended.
func esc(b []byte, s string) []byte {
	b = escOpen(b, s)
	return append(b, 0, escEnd)
}

// escOpen appends s escaped but not ended: every value that begins with s
// encodes to something that begins with it.
func escOpen(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			b = append(b, 0, escZero)
		} else {
			b = append(b, s[i])
		}
	}
	return b
}

// keyspace builds the bounds of a sort-key range in one partition of the
// table or of an index. The table's keys end with the raw sort key; an
// index's continue after the escaped one.
type keyspace struct {
	prefix []byte // the partition's prefix
	index  bool
}

// atLeast returns the least key whose sort key is >= s.
func (ks keyspace) atLeast(s string) []byte {
	if ks.index {
		return escOpen(bytes.Clone(ks.prefix), s)
	}
	return append(bytes.Clone(ks.prefix), s...)
}

// above returns the least key whose sort key is > s.
func (ks keyspace) above(s string) []byte {
	if ks.index {
		// Keys with sort key s continue with the end marker 0x00 0x01.
		return append(escOpen(bytes.Clone(ks.prefix), s), 0, escEnd+1)
	}
	// The least byte string after prefix+s is prefix+s+0x00.
	return append(append(bytes.Clone(ks.prefix), s...), 0)
}

// end returns the least key greater than every key starting with prefix.
// It is never nil for the keys of this package, which start with a length
// below 0xFFFF.
func end(prefix []byte) []byte {
	e := bytes.Clone(prefix)
	for i := len(e) - 1; i >= 0; i-- {
		if e[i] < 0xFF {
			e[i]++
			return e[:i+1]
		}
	}
	return nil
}

// after returns the least key greater than k.
func after(k []byte) []byte { return append(bytes.Clone(k), 0) }
