package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/oklog/ulid/v2"
)

// pkInsightQueue is the partition of insight deliveries (requests to
// refresh a subject's share of the dashboards' aggregates): a queue of its
// own, so that a sweep can take them every few seconds without reading the
// answers and emails, and so that a burst of changes never stands before
// a task's answer.
const pkInsightQueue = "OUTBOX#INSIGHT"

// insightKinds are the kinds of subject whose facts feed the aggregates
// (shared/insight); a change to any other asks for no refresh.
var insightKinds = map[string]bool{
	pathway.SubjectCoop:             true,
	pathway.SubjectGrantApplication: true,
	pathway.SubjectTender:           true,
}

// PendingInsight returns up to limit insight deliveries not sent yet,
// oldest (by ID, so by event) first, from the table.
func (s *Store) PendingInsight(ctx context.Context, limit int) ([]*pathway.Delivery, error) {
	return s.pending(ctx, pkInsightQueue, limit)
}

// withInsight appends, for an event, the insight deliveries of its subject
// and of its co-op, when they feed the aggregates: written with the event,
// so no change is lost from the dashboards. Their IDs derive from the
// event's, so a rewrite of the same event writes the same items
// (unconditionally: the same ID always carries the same request).
func withInsight(writes []table.Write, e *pathway.Event) ([]table.Write, error) {
	subjects := []pathway.Subject{e.Subject}
	if c := pathway.CoopSubject(e.Coop); e.Coop != "" && c != e.Subject {
		subjects = append(subjects, c)
	}
	for _, s := range subjects {
		if !insightKinds[s.Kind] || s.ID == "" {
			continue
		}
		d := insightDelivery(insightID(e.ID, s), s, e.At)
		it, err := deliveryItem(d)
		if err != nil {
			return nil, err
		}
		writes = append(writes, table.Put(it, table.Cond{}))
	}
	return writes, nil
}

// WithRefresh appends the insight delivery of subject s (when its kind
// feeds the aggregates) to writes, for a repository whose change concerns
// a subject its event is not about (a bid changes its tender's figures).
// Its ID is new each time; a refresh asked for twice adds nothing.
func WithRefresh(writes []table.Write, s pathway.Subject, at time.Time) ([]table.Write, error) {
	if !insightKinds[s.Kind] || s.ID == "" {
		return writes, nil
	}
	// Its own entropy: the package's monotonic default, given another
	// time than now, would lose the order of IDs made within one
	// millisecond elsewhere.
	id := ulid.MustNew(ulid.Timestamp(at), rand.Reader).String()
	return withDelivery(writes, insightDelivery(id, s, at))
}

// insightDelivery returns the delivery asking to refresh s because of a
// change at at. It is due at once: no request sends it itself, so there
// is no Grace to leave to one.
func insightDelivery(id string, s pathway.Subject, at time.Time) *pathway.Delivery {
	return &pathway.Delivery{ID: id, Kind: pathway.DeliverInsight, Subject: s,
		NotBefore: at, CreatedAt: at, Version: 1}
}

// insightID derives an insight delivery's ID from its event's, so the
// queue keeps the events' order, and from the subject, so the event's
// subject and its co-op get one each. It stays within a delivery ID's 64
// bytes whatever the subject's ID.
func insightID(eventID string, s pathway.Subject) string {
	h := sha256.Sum256([]byte(s.Kind + "\x00" + s.ID))
	if len(eventID) > 40 {
		eventID = eventID[:40]
	}
	return eventID + ".i" + hex.EncodeToString(h[:8])
}
