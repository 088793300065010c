package embedded

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestListCoopsDoesNotScan proves a pipeline page is a seek: the number of
// index keys a page visits is the same at 1,000 and at 100,000 co-ops, and
// never more than the page size plus one (the key that says a next page
// exists).
func TestListCoopsDoesNotScan(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 101,000 co-ops")
	}
	dir := t.TempDir()
	small := openSeeded(t, dir, 1_000)
	defer small.Close()
	large := openSeeded(t, dir, 100_000)
	defer large.Close()

	const limit = 25
	f := pathway.CoopFilter{Programme: "prog-bench-2", Stage: pathway.StageCQCSubmitted, Limit: limit}
	first := pageVisits(t, small, f)
	if first > limit+1 {
		t.Fatalf("the first page at 1,000 co-ops visited %d keys, want at most %d", first, limit+1)
	}
	if got := pageVisits(t, large, f); got > first {
		t.Fatalf("the first page visited %d keys at 100,000 co-ops but %d at 1,000", got, first)
	}

	// A page reached by cursor deep in the large column seeks there too.
	cursor := ""
	for range 100 { // 100 pages of 25 into a column of 5,000
		p, err := large.ListCoops(t.Context(), pathway.CoopFilter{Programme: f.Programme, Stage: f.Stage, Cursor: cursor, Limit: limit})
		if err != nil || p.Next == "" {
			t.Fatalf("ListCoops: next %q, %v", p.Next, err)
		}
		cursor = p.Next
	}
	deep := f
	deep.Cursor = cursor
	if got := pageVisits(t, large, deep); got > limit+1 {
		t.Fatalf("page 101 visited %d keys, want at most %d", got, limit+1)
	}
}

// pageVisits returns how many index keys one ListCoops call visited.
func pageVisits(t *testing.T, s *Store, f pathway.CoopFilter) int64 {
	t.Helper()
	before := s.visited.Load()
	p, err := s.ListCoops(t.Context(), f)
	if err != nil {
		t.Fatalf("ListCoops: %v", err)
	}
	if len(p.Coops) != f.Limit {
		t.Fatalf("page of %d co-ops, want %d", len(p.Coops), f.Limit)
	}
	return s.visited.Load() - before
}
