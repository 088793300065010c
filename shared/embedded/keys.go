package embedded

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"go.etcd.io/bbolt"
)

// Index keys are built from parts. Every part but the last is written with
// its length first, so no value of one part can run into the next and a
// prefix of parts selects exactly those records, whatever bytes IDs contain.

// timeLen is the length of an encoded time.
const timeLen = 12

// maxPart bounds a length-prefixed part; longer values cannot be stored in
// an index (validation keeps IDs far shorter).
const maxPart = 0xFFFF

// part appends s with its length.
func part(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(len(s)))
	return append(b, s...)
}

// appendTime appends t so that byte order is time order, at nanosecond
// precision, for any year: seconds with the sign bit flipped, then nanos.
func appendTime(b []byte, t time.Time) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(t.Unix())^(1<<63))
	return binary.BigEndian.AppendUint32(b, uint32(t.Nanosecond()))
}

// pipelinePrefix selects one programme's co-ops in one stage.
func pipelinePrefix(programme, stage string) []byte {
	return part(part(make([]byte, 0, 4+len(programme)+len(stage)+timeLen+32), programme), stage)
}

// pipelineKey orders a stage's co-ops by (StageEnteredAt, ID); the listing
// walks it backwards for newest first.
func pipelineKey(c *pathway.Coop) []byte {
	return append(appendTime(pipelinePrefix(c.Programme, c.Stage), c.StageEnteredAt), c.ID...)
}

// countKey names one programme's counter of one stage.
func countKey(programme, stage string) []byte {
	return part(part(nil, programme), stage)
}

// founderKey links a founder to a co-op.
func founderKey(user, coop string) []byte { return append(part(nil, user), coop...) }

// eventKey orders a co-op's events by ID; IDs are ULIDs, so by time too.
func eventKey(coop, id string) []byte { return append(part(nil, coop), id...) }

// inboxPrefix selects the open tasks of one organisation and role.
func inboxPrefix(org, role string) []byte { return part(part(nil, org), role) }

// inboxKey orders an inbox's open tasks by due time, then ID.
func inboxKey(t *pathway.Task) []byte {
	return append(appendTime(inboxPrefix(t.Organisation, t.Role), t.Due), t.ID...)
}

// coopTaskKey orders a co-op's open tasks by due time, then ID.
func coopTaskKey(t *pathway.Task) []byte {
	return append(appendTime(part(nil, t.Coop), t.Due), t.ID...)
}

// itemKey orders a co-op's checklist items by ID.
func itemKey(coop, id string) []byte { return append(part(nil, coop), id...) }

// encodeCursor turns the last index key of a page into an opaque cursor.
func encodeCursor(key []byte) string { return base64.RawURLEncoding.EncodeToString(key) }

// decodeCursor returns the index key in cursor, which must lie under prefix
// with at least minRest more bytes; anything else is EINVALID, so a cursor
// of another listing cannot walk into records it did not select.
func decodeCursor(cursor string, prefix []byte, minRest int) ([]byte, error) {
	key, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !bytes.HasPrefix(key, prefix) || len(key) < len(prefix)+minRest {
		return nil, &pathway.Error{
			Code:    pathway.EINVALID,
			Message: "That page link is not valid. Start again from the first page.",
			Fields:  map[string]string{"cursor": "Is not valid"},
		}
	}
	return key, nil
}

// checkPart refuses a value too long to be an index part.
func checkPart(field, v string) error {
	if len(v) > maxPart {
		return pathway.Invalid(map[string]string{field: fmt.Sprintf("Must be %d characters or fewer", maxPart)})
	}
	return nil
}

// prefixEnd returns the smallest key greater than every key with the
// prefix, or nil if there is none.
func prefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xFF {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// seekBefore positions c on the greatest key less than key (the last key if
// key is nil) and returns it, or nil if there is none.
func seekBefore(c *bbolt.Cursor, key []byte) []byte {
	if key == nil {
		k, _ := c.Last()
		return k
	}
	if k, _ := c.Seek(key); k == nil {
		k, _ = c.Last()
		return k
	}
	k, _ := c.Prev()
	return k
}

// seekAfter positions c on the least key greater than key and returns it
// with its value, or nil if there is none.
func seekAfter(c *bbolt.Cursor, key []byte) ([]byte, []byte) {
	k, v := c.Seek(key)
	if bytes.Equal(k, key) {
		k, v = c.Next()
	}
	return k, v
}

// getJSON decodes the record under key into v and reports whether it exists.
func getJSON(b *bbolt.Bucket, key []byte, v any) (bool, error) {
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	return true, decodeValue(key, data, v)
}

// decodeValue decodes a record read through a cursor.
func decodeValue(key, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %q: %w", key, err)
	}
	return nil
}

// putJSON encodes v and stores it under key.
func putJSON(b *bbolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %q: %w", key, err)
	}
	return b.Put(key, data)
}
