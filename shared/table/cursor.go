package table

import (
	"encoding/base64"
	"encoding/json"
)

// cursor is what a Next names: the query it belongs to and the last item
// returned, by its table key and its key in the queried index.
type cursor struct {
	Index string `json:"i,omitempty"`
	QPK   string `json:"q"`
	PK    string `json:"p"`
	SK    string `json:"s"`
	IPK   string `json:"ip,omitempty"`
	ISK   string `json:"is,omitempty"`
}

// Position is the place a cursor resumes after: the last item returned,
// by its table key and (for an index query) its index keys.
type Position struct {
	PK, SK   string
	IPK, ISK string
}

// EncodeCursor returns the Next of a page of q that ended with it.
func EncodeCursor(q *Query, it *Item) string {
	c := cursor{Index: q.Index, QPK: q.PK, PK: it.PK, SK: it.SK}
	c.IPK, c.ISK = IndexKeys(it, q.Index)
	b, _ := json.Marshal(c) // strings always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor returns where q.Cursor resumes. It refuses a cursor of any
// other query: one of another index or partition, a table cursor whose
// item is of another partition, and one whose item q's sort condition does
// not select (DynamoDB refuses such a start key with a ValidationException,
// and no page of q can have ended there). So no cursor walks into items
// its query did not select, and both engines refuse the same cursors.
// A cursor of the same index and partition under another sort condition
// is accepted when its item is in q's range: resuming there is well
// defined.
func DecodeCursor(q *Query) (*Position, error) {
	bad := &InvalidError{Field: "cursor", Message: "not a cursor of this query"}
	b, err := base64.RawURLEncoding.DecodeString(q.Cursor)
	if err != nil {
		return nil, bad
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Index != q.Index || c.QPK != q.PK ||
		checkKey(c.PK, c.SK) != nil {
		return nil, bad
	}
	ipk, isk := c.PK, c.SK // the item's place in the table...
	if q.Index != IndexTable {
		ipk, isk = c.IPK, c.ISK // ...or in the index
	}
	if ipk != q.PK || isk == "" || len(isk) > MaxSortKey || !q.Selects(isk) {
		return nil, bad
	}
	return &Position{PK: c.PK, SK: c.SK, IPK: c.IPK, ISK: c.ISK}, nil
}

// IndexKeys returns the item's keys in the index ("" for the table).
func IndexKeys(it *Item, index string) (pk, sk string) {
	switch index {
	case IndexGSI1:
		return it.GSI1PK, it.GSI1SK
	case IndexGSI2:
		return it.GSI2PK, it.GSI2SK
	}
	return it.PK, it.SK
}
