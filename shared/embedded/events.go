package embedded

import (
	"bytes"
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"go.etcd.io/bbolt"
)

// AppendEvent stores an event once; appending an ID again changes nothing.
func (s *Store) AppendEvent(ctx context.Context, e *pathway.Event) error {
	if err := pathway.CheckWrite("event", e, nil); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bbolt.Tx) error { return appendEvent(tx, e) })
}

// appendEvent stores a valid event (or nothing for nil) unless its ID is
// stored already, so a retried step records it once.
func appendEvent(tx *bbolt.Tx, e *pathway.Event) error {
	if e == nil {
		return nil
	}
	events, key := tx.Bucket(bucketEvents), eventKey(e.Coop, e.ID)
	if events.Get(key) != nil {
		return nil
	}
	rec := *e
	rec.At = e.At.UTC()
	return putJSON(events, key, &rec)
}

// ListEvents returns a page of a co-op's events, oldest first.
func (s *Store) ListEvents(ctx context.Context, coopID, cursor string, limit int) (*pathway.EventPage, error) {
	limit, err := pathway.EventPageLimit(coopID, limit)
	if err != nil {
		return nil, err
	}
	if err := checkPart("coop", coopID); err != nil {
		return nil, err
	}
	prefix := part(nil, coopID)
	var after []byte
	if cursor != "" {
		if after, err = decodeCursor(cursor, prefix, 1); err != nil {
			return nil, err
		}
	}
	page := &pathway.EventPage{Events: make([]*pathway.Event, 0, min(limit, 32))}
	err = s.view(ctx, func(tx *bbolt.Tx) error {
		cur := tx.Bucket(bucketEvents).Cursor()
		var k, v, last []byte
		if after == nil {
			k, v = cur.Seek(prefix)
		} else {
			k, v = seekAfter(cur, after)
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
			if len(page.Events) == limit {
				page.Next = encodeCursor(last)
				break
			}
			e := new(pathway.Event)
			if err := decodeValue(k, v, e); err != nil {
				return err
			}
			page.Events = append(page.Events, e)
			last = k
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}
