// Package tablesize is the size DynamoDB gives an item of the table port
// as shared/dynamo stores it, so that the embedded engine bills the same
// request units for it as DynamoDB does (shared/cost's rules).
//
// DynamoDB's item size is the sum, over the item's attributes, of the
// attribute name's length in UTF-8 bytes and the value's size: a string's
// UTF-8 length; a number's "approximately 1 byte per two significant
// digits, plus 1 byte" (Developer Guide, "Item sizes and formats",
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html),
// taken here as ceil(digits/2) + 1, with one byte more for a negative
// number. Sizes are rounded up to 1 KB or 4 KB before they are billed, so
// that approximation only matters within a few bytes of a boundary.
package tablesize

import (
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/table"
)

// The attribute names shared/dynamo stores an item under (dynamo.go).
const (
	attrPK, attrSK         = "PK", "SK"
	attrGSI1PK, attrGSI1SK = "GSI1PK", "GSI1SK"
	attrGSI2PK, attrGSI2SK = "GSI2PK", "GSI2SK"
	attrVersion, attrCount = "Version", "Count"
	attrBody               = "Body"
)

// Item is the DynamoDB size of it as shared/dynamo stores it: its keys,
// its index keys and body when not empty, its version and count always.
func Item(it *table.Item) int {
	if it == nil {
		return 0
	}
	n := String(attrPK, it.PK) + String(attrSK, it.SK)
	for _, a := range [...]struct{ name, v string }{
		{attrGSI1PK, it.GSI1PK}, {attrGSI1SK, it.GSI1SK},
		{attrGSI2PK, it.GSI2PK}, {attrGSI2SK, it.GSI2SK},
		{attrBody, string(it.Body)},
	} {
		if a.v != "" {
			n += String(a.name, a.v)
		}
	}
	n += Number(attrVersion, it.Version) + Number(attrCount, it.Count)
	return n + counters(it)
}

// Index is the size of it's entry in a global secondary index that
// projects all attributes (template.yaml's two): the item itself, or 0
// when it lacks either of the index's keys and so is not in the index.
func Index(it *table.Item, index string) int {
	if it == nil {
		return 0
	}
	if pk, sk := table.IndexKeys(it, index); pk == "" || sk == "" {
		return 0
	}
	return Item(it)
}

// String is the size of a string attribute.
func String(name, v string) int { return len(name) + len(v) }

// Number is the size of a number attribute holding n.
func Number(name string, n int64) int { return len(name) + NumberValue(strconv.FormatInt(n, 10)) }

// NumberValue is the size of a number value written in decimal.
func NumberValue(s string) int {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(strings.TrimPrefix(s, "-"), "0")
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = strings.TrimRight(s[:i]+s[i+1:], "0")
		s = strings.TrimLeft(s, "0")
	} else {
		s = strings.TrimRight(s, "0")
	}
	n := (len(s)+1)/2 + 1
	if neg {
		n++
	}
	return n
}
