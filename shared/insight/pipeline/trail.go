package pipeline

import (
	"context"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Trail is the co-op's audit trail, read from the last event a refresh saw
// on. Its stage events say when each stage was entered, so a stage the
// co-op passed through between two refreshes (screening takes
// milliseconds; a sweep comes every few seconds) still gets its spell and
// its days. The pathway store implements it; a Coops without it leaves the
// Source to what each refresh sees.
type Trail interface {
	EventsAfter(ctx context.Context, subj pathway.Subject, after string, limit int) ([]*pathway.Event, error)
}

// trailPage and trailMax bound one refresh's reading of the trail: pages
// of 100, at most 1,000 events (a co-op's whole journey is far fewer).
const (
	trailPage = 100
	trailMax  = 1000
)

// move is one change of journey stage the trail records.
type move struct {
	stage string
	at    time.Time
}

// moves reads the co-op's stage events after the last one seen and
// returns them as journey moves, with the ID of the last event read
// (after itself when there is none new).
func (s *Source) moves(ctx context.Context, id, after string) ([]move, string, error) {
	tr, ok := s.coops.(Trail)
	if !ok {
		return nil, after, nil
	}
	var out []move
	for read := 0; read < trailMax; {
		es, err := tr.EventsAfter(ctx, pathway.CoopSubject(id), after, trailPage)
		if err != nil {
			return nil, "", err
		}
		for _, e := range es {
			after = e.ID
			if e.To != "" && pathway.IsStage(e.To) {
				out = append(out, move{stage: journeyStage(e.To, 0, 0, false), at: e.At.UTC()})
			}
		}
		read += len(es)
		if len(es) < trailPage {
			break
		}
	}
	return out, after, nil
}

// carry sets what only the facts keep: the spells of the stages left, the
// stages reached and, for a stage derived from several records (funded,
// tendering), when it was entered. It walks the applied stage, then each
// move the trail recorded since, then the stage the records hold now; a
// change with no event (funded, tendering) is dated at, the refresh's.
func carry(f, before *Facts, moves []move, at time.Time) {
	var cur string
	var entered time.Time
	var spells []Spell
	var got []string
	if before != nil {
		cur, entered, got = before.Stage, before.StageEnteredAt, before.Reached
		spells = append(spells, before.Spells...)
	}
	for _, m := range moves {
		if m.stage == cur {
			continue
		}
		if cur != "" {
			spells = append(spells, Spell{Stage: cur, Days: pathway.DaysSince(entered, m.at)})
		}
		got = reached(got, m.stage)
		cur, entered = m.stage, m.at
	}
	f.Spells, f.Reached = spells, reached(got, f.Stage)
	if f.Stage == cur {
		// Still the same stay, though the pathway stage under it may have
		// changed (cqc-preparing to cqc-ready is still preparing).
		f.StageEnteredAt = entered
	} else if cur != "" {
		if f.StageEnteredAt.IsZero() {
			f.StageEnteredAt = at.UTC()
		}
		f.Spells = append(f.Spells, Spell{Stage: cur, Days: pathway.DaysSince(entered, f.StageEnteredAt)})
	}
	if f.StageEnteredAt.IsZero() {
		f.StageEnteredAt = at.UTC()
	}
}
