package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func testCreateGetCoop(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	c := newCoop("coop-heather", progNorth, pathway.StageApplied, at(0))
	c.Version = 7 // the store sets it to 1 whatever the caller sent
	first := newEvent(c.ID, "application.submitted", at(0))
	if err := s.CreateCoop(ctx, c, first, nil); err != nil {
		t.Fatalf("CreateCoop: %v", err)
	}
	if c.Version != 1 {
		t.Fatalf("after CreateCoop c.Version = %d, want 1", c.Version)
	}
	want := newCoop("coop-heather", progNorth, pathway.StageApplied, at(0))
	want.Version = 1
	wantCoop(t, want, get(t, s, c.ID), "GetCoop after CreateCoop")

	page, err := s.ListEvents(ctx, pathway.CoopSubject(c.ID), "", 0)
	if err != nil {
		t.Fatalf("ListEvents: %v", err)
	}
	if len(page.Events) != 1 {
		t.Fatalf("ListEvents after CreateCoop: %v, want the first event", eventIDs(page.Events))
	}
	wantEvent(t, first, page.Events[0], "first event")

	again := newCoop("coop-heather", progNorth, pathway.StageAwaitingPanel, at(5))
	again.Name = "Second Attempt Co-op"
	err = s.CreateCoop(ctx, again, newEvent(c.ID, "application.submitted", at(5)), nil)
	wantCode(t, err, pathway.ECONFLICT, "CreateCoop of an existing ID")
	wantCoop(t, want, get(t, s, c.ID), "GetCoop after a refused second CreateCoop")
	if page, err = s.ListEvents(ctx, pathway.CoopSubject(c.ID), "", 0); err != nil || len(page.Events) != 1 {
		t.Fatalf("a refused CreateCoop wrote its event: %v, %v", page, err)
	}
	if n := countsOf(t, s, progNorth); n[pathway.StageApplied] != 1 || n[pathway.StageAwaitingPanel] != 0 {
		t.Fatalf("a refused CreateCoop changed the stage counts: %v", n)
	}

	_, err = s.GetCoop(ctx, "coop-never-created")
	wantCode(t, err, pathway.ENOTFOUND, "GetCoop of a missing ID")
}

func testCreateCoopInvalid(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	c := newCoop("coop-nameless", progNorth, pathway.StageApplied, at(0))
	c.Name = ""
	wantField(t, s.CreateCoop(ctx, c, newEvent(c.ID, "application.submitted", at(0)), nil), "name", "CreateCoop without a name")

	c = newCoop("coop-lost", progNorth, "nowhere", at(0))
	wantField(t, s.CreateCoop(ctx, c, newEvent(c.ID, "application.submitted", at(0)), nil), "stage", "CreateCoop in an unknown stage")

	c = newCoop("coop-bad-event", progNorth, pathway.StageApplied, at(0))
	e := newEvent(c.ID, "application.submitted", at(0))
	e.Summary = ""
	wantField(t, s.CreateCoop(ctx, c, e, nil), "summary", "CreateCoop with an invalid event")

	for _, id := range []string{"coop-nameless", "coop-lost", "coop-bad-event"} {
		_, err := s.GetCoop(ctx, id)
		wantCode(t, err, pathway.ENOTFOUND, "GetCoop of a co-op refused as invalid")
	}
	if n := countsOf(t, s, progNorth); len(n) != 0 {
		t.Fatalf("invalid co-ops were counted: %v", n)
	}
}

func testUpdateCoop(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	create(t, s, newCoop("coop-bramble", progNorth, pathway.StageApplied, at(0)))

	c := get(t, s, "coop-bramble")
	e := stageEvent(c.ID, pathway.StageApplied, pathway.StageAwaitingPanel, at(60))
	c.Name = "Bramble Homecare Co-operative"
	c.Stage, c.StageEnteredAt, c.UpdatedAt = pathway.StageAwaitingPanel, at(60), at(60)
	c.Founders = append(c.Founders, "user-founder-wren")
	if err := s.UpdateCoop(ctx, c, e); err != nil {
		t.Fatalf("UpdateCoop: %v", err)
	}
	if c.Version != 2 {
		t.Fatalf("after UpdateCoop c.Version = %d, want 2", c.Version)
	}
	wantCoop(t, c, get(t, s, c.ID), "GetCoop after UpdateCoop")

	page, err := s.ListEvents(ctx, pathway.CoopSubject(c.ID), "", 0)
	if err != nil {
		t.Fatalf("ListEvents: %v", err)
	}
	if len(page.Events) != 2 {
		t.Fatalf("events after a stage change: %v, want the first and the stage event", eventIDs(page.Events))
	}
	wantEvent(t, e, page.Events[1], "stage event")

	// An update without an event is allowed and still conditional.
	c.Failure = "The panel date could not be booked."
	if err := s.UpdateCoop(ctx, c, nil); err != nil {
		t.Fatalf("UpdateCoop without an event: %v", err)
	}
	if c.Version != 3 {
		t.Fatalf("after a second UpdateCoop c.Version = %d, want 3", c.Version)
	}
	wantCoop(t, c, get(t, s, c.ID), "GetCoop after UpdateCoop without an event")
	if page, _ = s.ListEvents(ctx, pathway.CoopSubject(c.ID), "", 0); len(page.Events) != 2 {
		t.Fatalf("UpdateCoop with a nil event wrote events: %v", eventIDs(page.Events))
	}
}

func testUpdateCoopInvalidOrMissing(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	create(t, s, newCoop("coop-sorrel", progNorth, pathway.StageApplied, at(0)))
	stored := get(t, s, "coop-sorrel")

	c := get(t, s, "coop-sorrel")
	c.Members = nil
	wantField(t, s.UpdateCoop(ctx, c, nil), "members", "UpdateCoop without members")
	if c.Version != 1 {
		t.Fatalf("a refused UpdateCoop changed c.Version to %d", c.Version)
	}

	c = get(t, s, "coop-sorrel")
	c.Stage = pathway.StageAwaitingPanel
	e := stageEvent(c.ID, pathway.StageApplied, pathway.StageAwaitingPanel, at(1))
	e.Actor = ""
	wantField(t, s.UpdateCoop(ctx, c, e), "actor", "UpdateCoop with an invalid event")
	wantCoop(t, stored, get(t, s, "coop-sorrel"), "GetCoop after refused updates")

	ghost := newCoop("coop-ghost", progNorth, pathway.StageApplied, at(0))
	ghost.Version = 1
	wantCode(t, s.UpdateCoop(ctx, ghost, nil), pathway.ENOTFOUND, "UpdateCoop of a missing co-op")
	_, err := s.GetCoop(ctx, "coop-ghost")
	wantCode(t, err, pathway.ENOTFOUND, "UpdateCoop of a missing co-op created it")
}

// testLostUpdate: two writers read version 1; the first to write wins and
// the second is refused without changing anything.
func testLostUpdate(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	create(t, s, newCoop("coop-yarrow", progNorth, pathway.StageApplied, at(0)))
	a, b := get(t, s, "coop-yarrow"), get(t, s, "coop-yarrow")

	a.Name = "Yarrow Writer A"
	ea := newEvent(a.ID, "coop.renamed", at(1))
	if err := s.UpdateCoop(ctx, a, ea); err != nil {
		t.Fatalf("first writer: %v", err)
	}

	b.Name = "Yarrow Writer B"
	b.Stage, b.StageEnteredAt = pathway.StageAwaitingPanel, at(2)
	eb := stageEvent(b.ID, pathway.StageApplied, pathway.StageAwaitingPanel, at(2))
	wantCode(t, s.UpdateCoop(ctx, b, eb), pathway.ECONFLICT, "second writer with a stale version")
	if b.Version != 1 {
		t.Fatalf("the refused writer's Version became %d, want it left at 1", b.Version)
	}
	wantCoop(t, a, get(t, s, "coop-yarrow"), "stored co-op after the lost race")

	events := allEvents(t, s, "coop-yarrow", pathway.MaxPageSize)
	if slices.Contains(eventIDs(events), eb.ID) {
		t.Fatalf("the refused update's event was stored")
	}
	if !slices.Contains(eventIDs(events), ea.ID) || len(events) != 2 {
		t.Fatalf("events %v, want the first event and the winner's", eventIDs(events))
	}
	if n := countsOf(t, s, progNorth); n[pathway.StageApplied] != 1 || n[pathway.StageAwaitingPanel] != 0 {
		t.Fatalf("the refused stage change was counted: %v", n)
	}
	page, err := s.ListCoops(ctx, pathway.CoopFilter{Programme: progNorth, Stage: pathway.StageAwaitingPanel})
	if err != nil || len(page.Coops) != 0 {
		t.Fatalf("the refused stage change reached the pipeline: %v, %v", page, err)
	}
}

// testLostUpdateRace: two writers holding the same version write at the
// same moment, round after round; exactly one wins each round.
func testLostUpdateRace(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	create(t, s, newCoop("coop-tansy", progNorth, pathway.StageApplied, at(0)))
	for round := range 10 {
		writers := [2]*pathway.Coop{get(t, s, "coop-tansy"), get(t, s, "coop-tansy")}
		version := writers[0].Version
		var errs [2]error
		var start, done sync.WaitGroup
		start.Add(1)
		for i, w := range writers {
			w.Name = fmt.Sprintf("Tansy round %d writer %d", round, i)
			done.Go(func() {
				start.Wait()
				errs[i] = s.UpdateCoop(ctx, w, newEvent(w.ID, "coop.renamed", at(round)))
			})
		}
		start.Done()
		done.Wait()

		winner := -1
		for i, err := range errs {
			switch pathway.ErrorCode(err) {
			case "":
				if winner >= 0 {
					t.Fatalf("round %d: both writers of version %d succeeded", round, version)
				}
				winner = i
			case pathway.ECONFLICT:
			default:
				t.Fatalf("round %d writer %d: %v", round, i, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: neither writer succeeded", round)
		}
		got := get(t, s, "coop-tansy")
		wantCoop(t, writers[winner], got, fmt.Sprintf("round %d stored co-op", round))
		if got.Version != version+1 {
			t.Fatalf("round %d: version %d, want %d", round, got.Version, version+1)
		}
	}
	if n := len(allEvents(t, s, "coop-tansy", pathway.MaxPageSize)); n != 11 {
		t.Fatalf("%d events after 10 rounds, want 11 (first + one winner each)", n)
	}
}

// testConcurrentUpdates: 20 writers each add one member, re-reading and
// retrying on conflict; no member may be lost.
func testConcurrentUpdates(t *testing.T, s pathway.Store) {
	const writers = 20
	ctx := t.Context()
	create(t, s, newCoop("coop-meadow", progNorth, pathway.StageApplied, at(0)))
	start := len(get(t, s, "coop-meadow").Members)

	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			for attempt := 0; attempt < 1000; attempt++ {
				c, err := s.GetCoop(ctx, "coop-meadow")
				if err != nil {
					t.Errorf("writer %d: GetCoop: %v", i, err)
					return
				}
				c.Members = append(c.Members, pathway.Member{
					Name: fmt.Sprintf("Invented Member %02d", i), Class: pathway.ClassCommunity, Role: pathway.MemberOrdinary,
				})
				c.Name = fmt.Sprintf("Meadow Care Co-op (%d members)", len(c.Members))
				err = s.UpdateCoop(ctx, c, nil)
				if err == nil {
					return
				}
				if pathway.ErrorCode(err) != pathway.ECONFLICT {
					t.Errorf("writer %d: UpdateCoop: %v", i, err)
					return
				}
			}
			t.Errorf("writer %d: still conflicting after 1000 attempts", i)
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	c := get(t, s, "coop-meadow")
	if c.Version != 1+writers {
		t.Fatalf("version %d after %d updates, want %d", c.Version, writers, 1+writers)
	}
	if len(c.Members) != start+writers {
		t.Fatalf("%d members, want %d: an update was lost", len(c.Members), start+writers)
	}
	for i := range writers {
		name := fmt.Sprintf("Invented Member %02d", i)
		if n := countMembers(c.Members, name); n != 1 {
			t.Fatalf("member %q appears %d times, want once", name, n)
		}
	}
	if want := fmt.Sprintf("Meadow Care Co-op (%d members)", start+writers); c.Name != want {
		t.Fatalf("name %q, want %q", c.Name, want)
	}
}

func countMembers(ms []pathway.Member, name string) int {
	n := 0
	for _, m := range ms {
		if m.Name == name {
			n++
		}
	}
	return n
}

// countsOf returns CountStages of the programme and fails the test on error.
func countsOf(t *testing.T, s pathway.Store, programme string) map[string]int {
	t.Helper()
	n, err := s.CountStages(t.Context(), programme)
	if err != nil {
		t.Fatalf("CountStages(%s): %v", programme, err)
	}
	return n
}
