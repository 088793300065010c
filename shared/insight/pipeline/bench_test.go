package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/embedded"
	"github.com/coopcarepathway/pathway/shared/insight/project"
	"github.com/coopcarepathway/pathway/shared/table"
)

// Benchmarks of the agency dashboard (Report) and of the CSV of one
// programme (a fifth of the co-ops) at 1,000 and 100,000 co-ops:
//
//	go test ./shared/insight/pipeline -run '^$' -bench . -benchmem -benchtime 200x
//
// Each reports items/op, the table items read (a Get counts one, found or
// not; a Query the items it returns, at least one), beside ns/op, B/op and
// allocs/op. The CSV also reports rows/op and peak-heap-MB, the most heap
// in use while it streams. PIPELINE_BENCH_DYNAMO=1 adds DynamoDB Local at
// 1,000 co-ops; PIPELINE_BENCH_DYNAMO=100000 at both sizes (seeding
// 100,000 there takes minutes).
// dynamoBench adds DynamoDB Local to the benchmarks; dynamoMax is the
// largest size it is seeded with.
var dynamoBench = os.Getenv("PIPELINE_BENCH_DYNAMO") != ""

var dynamoMax = func() int {
	if n, err := strconv.Atoi(os.Getenv("PIPELINE_BENCH_DYNAMO")); err == nil && n > 1_000 {
		return n
	}
	return 1_000
}()

var benchSizes = []int{1_000, 100_000}

// seeded caches each engine's seeded table by size, so the dashboard and
// the export benchmarks share one seeding of 100,000 co-ops.
var seeded = map[string]*seededTable{}

type seededTable struct {
	svc     *Service
	counted *readCounter
}

// benchService seeds n co-ops into a fresh table of the engine (once per
// process) and returns the service over it, its reads counted.
func benchService(b *testing.B, e benchEngine, n int) (*Service, *readCounter) {
	b.Helper()
	key := fmt.Sprint(e.name, n)
	if s, ok := seeded[key]; ok {
		return s.svc, s.counted
	}
	tbl := e.open(b)
	src := NewSource(nil, nil, nil)
	start := time.Now()
	bulkSeed(b, tbl, src, n)
	b.Logf("%s: seeded %d co-ops in %s", e.name, n, time.Since(start).Round(time.Millisecond))
	counted := &readCounter{Table: tbl}
	s := &seededTable{NewService(project.New(counted, src), benchProgrammeList{}, func() time.Time { return benchNow }), counted}
	if e.name == "embedded" { // DynamoDB Local's tables go with their benchmark
		seeded[key] = s
	}
	return s.svc, s.counted
}

type benchEngine struct {
	name string
	open func(b *testing.B) table.Table
	max  int
}

func benchEngines() []benchEngine {
	out := []benchEngine{{"embedded", func(*testing.B) table.Table { return benchEmbedded() }, 100_000}}
	if dynamoBench {
		out = append(out, benchEngine{"dynamo", func(b *testing.B) table.Table {
			client, name := dynamotest.New(b)
			return dynamo.New(client, name)
		}, dynamoMax})
	}
	return out
}

func BenchmarkReport(b *testing.B) {
	for _, e := range benchEngines() {
		for _, n := range benchSizes {
			if n > e.max {
				continue
			}
			b.Run(fmt.Sprintf("%s/coops=%d", e.name, n), func(b *testing.B) {
				svc, counted := benchService(b, e, n) // seeded once, when this size is run
				counted.items.Store(0)
				var r *Report
				for b.Loop() {
					var err error
					if r, err = svc.Report(context.Background(), benchStaff, Filter{}); err != nil {
						b.Fatal(err)
					}
				}
				if r.Total != int64(n) {
					b.Fatalf("total %d, want %d", r.Total, n)
				}
				b.ReportMetric(float64(counted.items.Load())/float64(b.N), "items/op")
			})
		}
	}
}

func BenchmarkExportProgramme(b *testing.B) {
	for _, e := range benchEngines() {
		for _, n := range benchSizes {
			if n > e.max {
				continue
			}
			b.Run(fmt.Sprintf("%s/coops=%d", e.name, n), func(b *testing.B) {
				svc, counted := benchService(b, e, n) // seeded once, when this size is run
				counted.items.Store(0)
				w := &heapWatch{}
				for b.Loop() {
					w.rows = 0
					if err := svc.Export(context.Background(), benchStaff, Filter{Programme: "prog-0"}, w); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(counted.items.Load())/float64(b.N), "items/op")
				b.ReportMetric(float64(w.rows), "rows/op")
				b.ReportMetric(float64(w.peak)/(1<<20), "peak-heap-MB")
			})
		}
	}
}

// heapWatch discards the CSV, counting its lines and sampling the heap in
// use every 256 KiB written.
type heapWatch struct {
	rows, since int
	peak        uint64
}

func (h *heapWatch) Write(p []byte) (int, error) {
	for _, c := range p {
		if c == '\n' {
			h.rows++
		}
	}
	if h.since += len(p); h.since >= 256<<10 {
		h.since = 0
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.peak = max(h.peak, m.HeapInuse)
	}
	return io.Discard.Write(p)
}

// benchEmbedded opens an embedded table in a folder of its own that
// outlives one benchmark (the seeded tables are shared); the system's
// temporary folder holds it.
func benchEmbedded() table.Table {
	dir, err := os.MkdirTemp("", "pipeline-bench-")
	if err != nil {
		panic(err)
	}
	t, err := embedded.Open(filepath.Join(dir, "t.db"), embedded.Options{NoSync: true})
	if err != nil {
		panic(err)
	}
	return t
}
