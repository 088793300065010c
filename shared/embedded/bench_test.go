package embedded

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// benchSizes are the store sizes every benchmark runs at.
var benchSizes = []int{1_000, 100_000}

// benchStores holds one seeded store per size for the whole run, because
// the testing package calls a benchmark function several times and seeding
// 100,000 co-ops each time would dominate the run.
var benchStores struct {
	sync.Mutex
	dir    string
	stores map[int]*Store
}

func TestMain(m *testing.M) {
	code := m.Run()
	benchStores.Lock()
	for _, s := range benchStores.stores {
		_ = s.Close()
	}
	if benchStores.dir != "" {
		_ = os.RemoveAll(benchStores.dir)
	}
	benchStores.Unlock()
	os.Exit(code)
}

// benchEvents numbers benchmark events so every run appends new ones.
var benchEvents atomic.Int64

// seededStore returns the shared store holding n seeded co-ops.
func seededStore(b *testing.B, n int) *Store {
	b.Helper()
	benchStores.Lock()
	defer benchStores.Unlock()
	if s, ok := benchStores.stores[n]; ok {
		return s
	}
	if benchStores.dir == "" {
		dir, err := os.MkdirTemp("", "embedded-bench-")
		if err != nil {
			b.Fatalf("MkdirTemp: %v", err)
		}
		benchStores.dir, benchStores.stores = dir, map[int]*Store{}
	}
	s := openSeeded(b, benchStores.dir, n)
	benchStores.stores[n] = s
	return s
}

func BenchmarkGetCoop(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("coops=%d", n), func(b *testing.B) {
			s, ctx := seededStore(b, n), b.Context()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i = (i + 7919) % n // a prime stride visits co-ops all over the file
				if _, err := s.GetCoop(ctx, seedID(i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkUpdateCoop(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("coops=%d", n), func(b *testing.B) {
			s, ctx := seededStore(b, n), b.Context()
			// Each iteration is a conditional update of one of 100 co-ops,
			// at the version last stored, with a stage event.
			coops := make([]*pathway.Coop, 100)
			for j := range coops {
				c, err := s.GetCoop(ctx, seedID(j*(n/100)))
				if err != nil {
					b.Fatal(err)
				}
				coops[j] = c
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c := coops[i%len(coops)]
				c.Name = fmt.Sprintf("Seeded Care Co-op edit %d", i)
				e := &pathway.Event{
					ID: fmt.Sprintf("01J%023d", benchEvents.Add(1)), Coop: c.ID, At: seedBase, Actor: pathway.ActorSystem,
					Action: "coop.renamed", Summary: "Renamed in a benchmark",
				}
				if err := s.UpdateCoop(ctx, c, e); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkListCoops(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("coops=%d", n), func(b *testing.B) {
			s, ctx := seededStore(b, n), b.Context()
			f := pathway.CoopFilter{Programme: "prog-bench-1", Stage: pathway.StageCQCPreparing, Limit: 25}
			first, err := s.ListCoops(ctx, f)
			if err != nil || len(first.Coops) != 25 || first.Next == "" {
				b.Fatalf("first page: %d co-ops, next %q, %v", len(first.Coops), first.Next, err)
			}
			f.Cursor = first.Next // measure a page reached by cursor: a seek, then 25 steps
			b.ReportAllocs()
			for b.Loop() {
				p, err := s.ListCoops(ctx, f)
				if err != nil || len(p.Coops) != 25 {
					b.Fatalf("page: %d co-ops, %v", len(p.Coops), err)
				}
			}
		})
	}
}
