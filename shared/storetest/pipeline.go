package storetest

import (
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func testListCoopsOrderAndFilter(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	var want []string // expected order of north/applied
	for i := range 5 {
		create(t, s, newCoop(fmt.Sprintf("coop-n-%d", i), progNorth, pathway.StageApplied, at(i)))
	}
	// Two co-ops entered at the same instant: the greater ID comes first.
	create(t, s, newCoop("coop-tie-a", progNorth, pathway.StageApplied, at(10)))
	create(t, s, newCoop("coop-tie-b", progNorth, pathway.StageApplied, at(10)))
	want = append(want, "coop-tie-b", "coop-tie-a", "coop-n-4", "coop-n-3", "coop-n-2", "coop-n-1", "coop-n-0")
	// Neighbours that must not show: another stage, another programme.
	create(t, s, newCoop("coop-panel-1", progNorth, pathway.StageAwaitingPanel, at(20)))
	create(t, s, newCoop("coop-panel-2", progNorth, pathway.StageAwaitingPanel, at(3)))
	create(t, s, newCoop("coop-s-1", progSouth, pathway.StageApplied, at(30)))
	create(t, s, newCoop("coop-s-2", progSouth, pathway.StageApplied, at(2)))

	page, err := s.ListCoops(ctx, pathway.CoopFilter{Programme: progNorth, Stage: pathway.StageApplied})
	if err != nil {
		t.Fatalf("ListCoops: %v", err)
	}
	if got := ids(page.Coops); !slices.Equal(got, want) {
		t.Fatalf("north/applied = %v, want %v", got, want)
	}
	if page.Next != "" {
		t.Fatalf("a page shorter than the limit has Next %q", page.Next)
	}
	wantCoop(t, get(t, s, "coop-n-3"), page.Coops[3], "listed co-op")

	for _, tc := range []struct {
		programme, stage string
		want             []string
	}{
		{progNorth, pathway.StageAwaitingPanel, []string{"coop-panel-1", "coop-panel-2"}},
		{progSouth, pathway.StageApplied, []string{"coop-s-1", "coop-s-2"}},
		{progSouth, pathway.StageAwaitingPanel, nil},
		{"prog-unheard-of", pathway.StageApplied, nil},
	} {
		pages := allCoops(t, s, tc.programme, tc.stage, 1, nil)
		if got := ids(slices.Concat(pages...)); !slices.Equal(got, tc.want) {
			t.Fatalf("%s/%s = %v, want %v", tc.programme, tc.stage, got, tc.want)
		}
	}

	// A co-op that moves leaves its old column and joins the new one at its
	// new StageEnteredAt; an update that keeps the stage keeps its place.
	move(t, s, "coop-n-2", pathway.StageAwaitingPanel, at(15))
	c := get(t, s, "coop-n-0")
	c.Name = "Renamed Moorside Co-op"
	if err := s.UpdateCoop(ctx, c, nil); err != nil {
		t.Fatalf("UpdateCoop: %v", err)
	}
	pages := allCoops(t, s, progNorth, pathway.StageApplied, 100, nil)
	want = slices.DeleteFunc(want, func(id string) bool { return id == "coop-n-2" })
	if got := ids(pages[0]); !slices.Equal(got, want) {
		t.Fatalf("north/applied after moves = %v, want %v", got, want)
	}
	if last := pages[0][len(pages[0])-1]; last.Name != c.Name || last.Version != 2 {
		t.Fatalf("listed co-op is stale: %+v", last)
	}
	pages = allCoops(t, s, progNorth, pathway.StageAwaitingPanel, 100, nil)
	if got, w := ids(pages[0]), []string{"coop-panel-1", "coop-n-2", "coop-panel-2"}; !slices.Equal(got, w) {
		t.Fatalf("north/awaiting-panel after moves = %v, want %v", got, w)
	}
}

func testListCoopsPaging(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	const n = 120
	var want []string
	for i := range n {
		create(t, s, newCoop(fmt.Sprintf("coop-p-%03d", i), progNorth, pathway.StageApplied, at(i)))
	}
	for i := n - 1; i >= 0; i-- {
		want = append(want, fmt.Sprintf("coop-p-%03d", i))
	}

	page, err := s.ListCoops(ctx, pathway.CoopFilter{Programme: progNorth, Stage: pathway.StageApplied})
	if err != nil {
		t.Fatalf("ListCoops with no limit: %v", err)
	}
	if len(page.Coops) != pathway.DefaultPageSize || page.Next == "" {
		t.Fatalf("no limit gave %d co-ops (next %q), want %d and a Next", len(page.Coops), page.Next, pathway.DefaultPageSize)
	}
	if got := ids(page.Coops); !slices.Equal(got, want[:pathway.DefaultPageSize]) {
		t.Fatalf("first page = %v, want %v", got, want[:pathway.DefaultPageSize])
	}

	page, err = s.ListCoops(ctx, pathway.CoopFilter{Programme: progNorth, Stage: pathway.StageApplied, Limit: 5000})
	if err != nil {
		t.Fatalf("ListCoops with limit 5000: %v", err)
	}
	if len(page.Coops) != pathway.MaxPageSize || page.Next == "" {
		t.Fatalf("limit 5000 gave %d co-ops (next %q), want %d and a Next", len(page.Coops), page.Next, pathway.MaxPageSize)
	}

	for _, limit := range []int{7, 25, 40, 100} {
		pages := allCoops(t, s, progNorth, pathway.StageApplied, limit, nil)
		if got := ids(slices.Concat(pages...)); !slices.Equal(got, want) {
			t.Fatalf("paging by %d = %v, want %v", limit, got, want)
		}
	}
}

// testListCoopsPagingWhileWriting: while a reader pages through a column,
// writers add newer co-ops, move co-ops out and update others in place.
// Every co-op that stays in the column throughout appears exactly once.
func testListCoopsPagingWhileWriting(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	const n = 40
	stayed := map[string]bool{}
	for i := range n {
		id := fmt.Sprintf("coop-w-%02d", i)
		create(t, s, newCoop(id, progNorth, pathway.StageApplied, at(i)))
		stayed[id] = true
	}

	between := func(page int) {
		// A newer co-op lands in the column, ahead of the reader.
		create(t, s, newCoop(fmt.Sprintf("coop-new-%02d", page), progNorth, pathway.StageApplied, at(1000+page)))
		// One co-op leaves; the pattern picks some already read and some not.
		id := fmt.Sprintf("coop-w-%02d", (page*13+5)%n)
		if stayed[id] {
			move(t, s, id, pathway.StageAwaitingPanel, at(2000+page))
			delete(stayed, id)
		}
		// One co-op is updated without changing stage.
		id = fmt.Sprintf("coop-w-%02d", (page*7+3)%n)
		if stayed[id] {
			c := get(t, s, id)
			c.Name = fmt.Sprintf("Moorside Co-op edit %d", page)
			if err := s.UpdateCoop(ctx, c, nil); err != nil {
				t.Fatalf("UpdateCoop(%s): %v", id, err)
			}
		}
	}
	pages := allCoops(t, s, progNorth, pathway.StageApplied, 6, between)

	seen := map[string]int{}
	for p, page := range pages {
		wantNewestFirst(t, page, fmt.Sprintf("page %d", p))
		for _, c := range page {
			seen[c.ID]++
			if seen[c.ID] > 1 {
				t.Fatalf("%s was listed twice (page %d)", c.ID, p)
			}
		}
	}
	for id := range stayed {
		if seen[id] != 1 {
			t.Fatalf("%s stayed in the column but was listed %d times", id, seen[id])
		}
	}
	if len(stayed) == n {
		t.Fatalf("the test moved no co-op; its pattern is broken")
	}
}

func testListCoopsBadInput(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	for i := range 3 {
		create(t, s, newCoop(fmt.Sprintf("coop-b-%d", i), progNorth, pathway.StageApplied, at(i)))
		create(t, s, newCoop(fmt.Sprintf("coop-c-%d", i), progNorth, pathway.StageAwaitingPanel, at(i)))
		create(t, s, newCoop(fmt.Sprintf("coop-d-%d", i), progSouth, pathway.StageApplied, at(i)))
	}
	_, err := s.ListCoops(ctx, pathway.CoopFilter{Stage: pathway.StageApplied})
	wantField(t, err, "programme", "ListCoops without a programme")
	_, err = s.ListCoops(ctx, pathway.CoopFilter{Programme: progNorth})
	wantField(t, err, "stage", "ListCoops without a stage")
	_, err = s.ListCoops(ctx, pathway.CoopFilter{Programme: progNorth, Stage: "nowhere"})
	wantField(t, err, "stage", "ListCoops of an unknown stage")
	_, err = s.ListCoops(ctx, pathway.CoopFilter{Programme: progNorth, Stage: pathway.StageApplied, Limit: -1})
	wantField(t, err, "limit", "ListCoops with a negative limit")
	// Longer than either store allows in a key (DynamoDB 512, bbolt 65,535).
	_, err = s.ListCoops(ctx, pathway.CoopFilter{Programme: strings.Repeat("p", 70_000), Stage: pathway.StageApplied})
	wantField(t, err, "programme", "ListCoops of a too-long programme")

	other := func(f pathway.CoopFilter) string {
		f.Limit = 1
		p, err := s.ListCoops(ctx, f)
		if err != nil || p.Next == "" {
			t.Fatalf("ListCoops(%+v) = %v, %v; want a page with a Next", f, p, err)
		}
		return p.Next
	}
	bad := map[string]string{
		"not base64":           "!!not a cursor!!",
		"base64 of garbage":    base64.RawURLEncoding.EncodeToString([]byte("garbage")),
		"std base64 of braces": base64.StdEncoding.EncodeToString([]byte("{}")),
		"another stage's":      other(pathway.CoopFilter{Programme: progNorth, Stage: pathway.StageAwaitingPanel}),
		"another programme's":  other(pathway.CoopFilter{Programme: progSouth, Stage: pathway.StageApplied}),
	}
	for _, name := range slices.Sorted(maps.Keys(bad)) {
		_, err := s.ListCoops(ctx, pathway.CoopFilter{Programme: progNorth, Stage: pathway.StageApplied, Cursor: bad[name]})
		wantCode(t, err, pathway.EINVALID, "ListCoops with "+name+" cursor")
	}
}

func testCountStages(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	if n := countsOf(t, s, progNorth); len(n) != 0 {
		t.Fatalf("empty store counts %v", n)
	}
	for i := range 3 {
		create(t, s, newCoop(fmt.Sprintf("coop-app-%d", i), progNorth, pathway.StageApplied, at(i)))
	}
	for i := range 2 {
		create(t, s, newCoop(fmt.Sprintf("coop-pan-%d", i), progNorth, pathway.StageAwaitingPanel, at(i)))
	}
	create(t, s, newCoop("coop-south-0", progSouth, pathway.StageApplied, at(0)))
	wantCounts(t, s, progNorth, map[string]int{pathway.StageApplied: 3, pathway.StageAwaitingPanel: 2})
	wantCounts(t, s, progSouth, map[string]int{pathway.StageApplied: 1})

	move(t, s, "coop-app-0", pathway.StageCQCPreparing, at(10))
	wantCounts(t, s, progNorth, map[string]int{pathway.StageApplied: 2, pathway.StageAwaitingPanel: 2, pathway.StageCQCPreparing: 1})

	// Emptying a stage removes it from the map.
	move(t, s, "coop-pan-0", pathway.StageDeclined, at(11))
	move(t, s, "coop-pan-1", pathway.StageDeclined, at(12))
	wantCounts(t, s, progNorth, map[string]int{pathway.StageApplied: 2, pathway.StageCQCPreparing: 1, pathway.StageDeclined: 2})

	// Updates that keep the stage, and refused updates, change no count.
	c := get(t, s, "coop-app-1")
	stale := get(t, s, "coop-app-1")
	c.Name = "Counted Once Co-op"
	if err := s.UpdateCoop(ctx, c, nil); err != nil {
		t.Fatalf("UpdateCoop: %v", err)
	}
	stale.Stage = pathway.StageWithdrawn
	wantCode(t, s.UpdateCoop(ctx, stale, nil), pathway.ECONFLICT, "stale stage change")
	wantCounts(t, s, progNorth, map[string]int{pathway.StageApplied: 2, pathway.StageCQCPreparing: 1, pathway.StageDeclined: 2})
	wantCounts(t, s, progSouth, map[string]int{pathway.StageApplied: 1})
}

func wantCounts(t *testing.T, s pathway.Store, programme string, want map[string]int) {
	t.Helper()
	if got := countsOf(t, s, programme); !maps.Equal(got, want) {
		t.Fatalf("CountStages(%s) = %v, want %v", programme, got, want)
	}
}

func testListFounderCoops(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	one := newCoop("coop-f-1", progNorth, pathway.StageApplied, at(0))
	one.Founders = []string{"user-ivo", "user-juno"}
	two := newCoop("coop-f-2", progSouth, pathway.StageAwaitingPanel, at(1))
	two.Founders = []string{"user-juno"}
	three := newCoop("coop-f-3", progNorth, pathway.StageApplied, at(2))
	three.Founders = []string{"user-kit"}
	for _, c := range []*pathway.Coop{one, two, three} {
		create(t, s, c)
	}
	wantFounder(t, s, "user-juno", "coop-f-1", "coop-f-2")
	wantFounder(t, s, "user-ivo", "coop-f-1")
	wantFounder(t, s, "user-kit", "coop-f-3")
	wantFounder(t, s, "user-nobody")

	c := get(t, s, "coop-f-1")
	c.Founders = []string{"user-juno", "user-lark"}
	if err := s.UpdateCoop(ctx, c, nil); err != nil {
		t.Fatalf("UpdateCoop: %v", err)
	}
	wantFounder(t, s, "user-ivo")
	wantFounder(t, s, "user-lark", "coop-f-1")
	got := wantFounder(t, s, "user-juno", "coop-f-1", "coop-f-2")
	wantCoop(t, c, got[0], "founder's co-op after an update")
}

// wantFounder checks ListFounderCoops against want IDs in any order and
// returns the co-ops sorted by ID.
func wantFounder(t *testing.T, s pathway.Store, user string, want ...string) []*pathway.Coop {
	t.Helper()
	cs, err := s.ListFounderCoops(t.Context(), user)
	if err != nil {
		t.Fatalf("ListFounderCoops(%s): %v", user, err)
	}
	slices.SortFunc(cs, func(a, b *pathway.Coop) int {
		if a.ID < b.ID {
			return -1
		} else if a.ID > b.ID {
			return 1
		}
		return 0
	})
	if got := ids(cs); !slices.Equal(got, want) {
		t.Fatalf("ListFounderCoops(%s) = %v, want %v", user, got, want)
	}
	return cs
}
