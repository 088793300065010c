package store

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// eventWrite returns the Put of an event in its subject's trail. Within a
// transaction it is unconditional: the same event ID always carries the
// same event, so writing it twice changes nothing.
func eventWrite(e *pathway.Event, c table.Cond) (table.Write, error) {
	pk, err := subjectPK(e.Subject)
	if err != nil {
		return table.Write{}, err
	}
	rec := *e
	rec.At = e.At.UTC()
	return putItem(pk, preEvent+e.ID, &rec, c)
}

// WithEvent appends the writes of an event (its record in its subject's
// trail, and the email notices it carries) to writes when there is an
// event: every phase's repository records its events this way, so the
// trail has one layout.
func WithEvent(writes []table.Write, e *pathway.Event) ([]table.Write, error) {
	return withEvent(writes, e)
}

// withEvent appends the event's write to writes when there is an event.
func withEvent(writes []table.Write, e *pathway.Event) ([]table.Write, error) {
	if e == nil {
		return writes, nil
	}
	w, err := eventWrite(e, table.Cond{})
	if err != nil {
		return nil, err
	}
	if writes, err = withInsight(append(writes, w), e); err != nil {
		return nil, err
	}
	return withNotices(writes, e)
}

// AppendEvent stores an event once: the first write of an ID wins.
func (s *Store) AppendEvent(ctx context.Context, e *pathway.Event) error {
	if err := pathway.CheckWrite("event", e, nil); err != nil {
		return err
	}
	w, err := eventWrite(e, table.IfAbsent())
	if err != nil {
		return err
	}
	writes, err := withInsight([]table.Write{w}, e)
	if err != nil {
		return err
	}
	if writes, err = withNotices(writes, e); err != nil {
		return err
	}
	err = s.t.Transact(ctx, writes...)
	if table.FailedAt(err, 0) {
		return nil
	}
	return mapErr(err)
}

// ListEvents returns a page of a subject's events, oldest first.
func (s *Store) ListEvents(ctx context.Context, subj pathway.Subject, cursor string, limit int) (*pathway.EventPage, error) {
	limit, err := pathway.EventPageLimit(subj, limit)
	if err != nil {
		return nil, err
	}
	pk, err := subjectPK(subj)
	if err != nil {
		return nil, err
	}
	if tooLong(subj.ID) {
		if cursor != "" {
			return nil, badCursor()
		}
		return &pathway.EventPage{Events: []*pathway.Event{}}, nil
	}
	p, err := s.t.Query(ctx, table.Query{PK: pk, Sort: table.SortBeginsWith, A: preEvent, Limit: limit, Cursor: cursor})
	if err != nil {
		return nil, mapErr(err)
	}
	out := &pathway.EventPage{Events: make([]*pathway.Event, 0, len(p.Items)), Next: p.Next}
	for i := range p.Items {
		var e pathway.Event
		if err := decode(&p.Items[i], &e); err != nil {
			return nil, err
		}
		out.Events = append(out.Events, &e)
	}
	return out, nil
}

// EventsAfter returns up to limit of a subject's events after the one with
// the ID after (from the first when after is ""), oldest first: what a
// reader that keeps its place in the trail has not seen yet.
func (s *Store) EventsAfter(ctx context.Context, subj pathway.Subject, after string, limit int) ([]*pathway.Event, error) {
	limit, err := pathway.EventPageLimit(subj, limit)
	if err != nil {
		return nil, err
	}
	pk, err := subjectPK(subj)
	if err != nil {
		return nil, err
	}
	if tooLong(subj.ID) || tooLong(after) {
		return nil, nil
	}
	// Event IDs are ULIDs (Crockford base32, all below "~"), so the events
	// after one are the sort keys from it to preEvent+"~"; the one itself
	// is left out.
	q := table.Query{PK: pk, Sort: table.SortBetween, A: preEvent + after, B: preEvent + "~", Limit: limit + 1}
	p, err := s.t.Query(ctx, q)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]*pathway.Event, 0, len(p.Items))
	for i := range p.Items {
		if p.Items[i].SK == preEvent+after {
			continue
		}
		var e pathway.Event
		if err := decode(&p.Items[i], &e); err != nil {
			return nil, err
		}
		if len(out) < limit {
			out = append(out, &e)
		}
	}
	return out, nil
}
