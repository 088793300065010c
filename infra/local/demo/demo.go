// Package demo fills a local store with invented sample data: agencies, a
// funder, a council, two programmes, a user for every role and co-ops in
// every stage of the journey.
//
// Every name is invented; none is a real person.
//
// It works in two parts. Seed stores the records that are history — the
// organisations, programmes, users and the co-ops in stages nobody acts on
// any more, with back-dated events — straight into the store, before the
// workflow engine starts. Drive, once the engine runs, creates the co-ops in
// stages where someone acts through the journey service and carries each
// through the real workflows with the same calls a founder or an agency
// would make, so their open tasks are real and a demo user can answer them.
//
// Both are idempotent: records that exist are left as they are and a
// driven co-op resumes from its current stage, so `--demo` can be passed on
// every start, and after a start that was killed half way, without
// duplicating anything.
package demo

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// Seed stores the organisations, programmes, users and the historic sample
// co-ops (Coops) in s, dating the co-ops' journeys back from now. It
// changes nothing that already exists. It needs no workflows: call it
// before the engine starts, and Drive after.
func Seed(ctx context.Context, s pathway.Store, now time.Time) error {
	for _, o := range Organisations {
		if err := putOnce(ctx, s.GetOrganisation, o.ID, func() error { return s.PutOrganisation(ctx, o) }); err != nil {
			return fmt.Errorf("demo: organisation %s: %w", o.ID, err)
		}
	}
	for _, p := range Programmes {
		if err := putOnce(ctx, s.GetProgramme, p.ID, func() error { return s.PutProgramme(ctx, p) }); err != nil {
			return fmt.Errorf("demo: programme %s: %w", p.ID, err)
		}
	}
	for _, u := range Users {
		if err := putOnce(ctx, s.GetUser, u.ID, func() error { return s.PutUser(ctx, u) }); err != nil {
			return fmt.Errorf("demo: user %s: %w", u.ID, err)
		}
	}
	for _, sc := range Coops {
		if err := seedCoop(ctx, s, sc, now); err != nil {
			return fmt.Errorf("demo: co-op %s: %w", sc.Coop.ID, err)
		}
	}
	return nil
}

// putOnce calls put unless get finds the record, so a record someone
// changed since the first seeding is not reset.
func putOnce[T any](ctx context.Context, get func(context.Context, string) (T, error), id string, put func() error) error {
	_, err := get(ctx, id)
	switch pathway.ErrorCode(err) {
	case "":
		return nil
	case pathway.ENOTFOUND:
		return put()
	}
	return err
}

// seedCoop creates a co-op in its stage with its history of events. A co-op
// that exists is skipped whole; the events have IDs derived from the co-op
// and their position, so a seeding interrupted half-way completes on the
// next start without repeating any.
func seedCoop(ctx context.Context, s pathway.Store, sc SampleCoop, now time.Time) error {
	c := *sc.Coop
	c.Members = append([]pathway.Member(nil), sc.Coop.Members...)
	events := sc.events(now)
	last := events[len(events)-1]
	c.StageEnteredAt, c.CreatedAt, c.UpdatedAt = last.At, events[0].At, last.At
	if _, err := s.GetCoop(ctx, c.ID); err == nil {
		return nil
	} else if pathway.ErrorCode(err) != pathway.ENOTFOUND {
		return err
	}
	if err := sc.checkMoves(); err != nil {
		return err
	}
	for _, e := range events[1:] {
		if err := s.AppendEvent(ctx, e); err != nil {
			return err
		}
	}
	// Created last: its presence marks the seeding of this co-op complete.
	err := s.CreateCoop(ctx, &c, events[0], nil)
	if pathway.ErrorCode(err) == pathway.ECONFLICT {
		return nil // created by a concurrent seeding
	}
	return err
}

// Step is one event of a sample co-op's history.
type Step struct {
	// DaysAgo is how long before the seeding it happened.
	DaysAgo int
	// Actor is the user ID who did it, or pathway.ActorSystem.
	Actor string
	// Action names what happened.
	Action string
	// Summary says what happened.
	Summary string
	// To is the stage it moved the co-op to, if it did.
	To string
}

// SampleCoop is a co-op with the history that brought it to its stage.
type SampleCoop struct {
	// Coop is the co-op; its stage is where its history ends and its
	// times are filled in from the history.
	Coop *pathway.Coop
	// History is its events, oldest first; the first is the application.
	History []Step
}

// checkMoves holds the history to the stage table: it starts where an
// application does and each change of stage is one the table allows, so
// the sample data tells no journey the application could not take.
func (sc SampleCoop) checkMoves() error {
	stage := ""
	for i, st := range sc.History {
		switch {
		case st.To == "":
		case i == 0 && st.To != pathway.StageApplied:
			return fmt.Errorf("history starts at %q, not at applied", st.To)
		case i > 0 && !pathway.CanMove(stage, st.To):
			return fmt.Errorf("history moves from %q to %q, which the stage table does not allow", stage, st.To)
		}
		if st.To != "" {
			stage = st.To
		}
	}
	if stage != sc.Coop.Stage {
		return fmt.Errorf("history ends at %q, but the co-op is at %q", stage, sc.Coop.Stage)
	}
	return nil
}

// events turns the history into events with deterministic ULIDs.
func (sc SampleCoop) events(now time.Time) []*pathway.Event {
	out := make([]*pathway.Event, len(sc.History))
	stage := ""
	for i, st := range sc.History {
		at := now.Add(-time.Duration(st.DaysAgo) * 24 * time.Hour).Add(time.Duration(i) * time.Minute).UTC()
		e := &pathway.Event{
			ID:      eventID(sc.Coop.ID, i, at),
			Coop:    sc.Coop.ID,
			At:      at,
			Actor:   st.Actor,
			Action:  st.Action,
			Summary: st.Summary,
		}
		if st.To != "" {
			e.From, e.To = stage, st.To
			stage = st.To
		}
		out[i] = e
	}
	return out
}

// eventID returns a ULID for the event at its time whose random part is
// derived from the co-op and position, so every seeding produces the same ID.
func eventID(coop string, i int, at time.Time) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s#%d", coop, i))
	var id ulid.ULID
	_ = id.SetTime(ulid.Timestamp(at)) // fails only after the year 10889
	_ = id.SetEntropy(sum[:10])        // exactly 10 bytes: cannot fail
	return id.String()
}
