package states_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// tenStates is the benchmark workflow: ten states (four Tasks calling an
// in-process function, three Pass, two Choice, a Succeed), so every
// execution makes ten state transitions.
const tenStates = `{"StartAt":"T1","States":{
	"T1":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Step","Next":"P1"},
	"P1":{"Type":"Pass","Result":{"n":1},"ResultPath":"$.p","Next":"C1"},
	"C1":{"Type":"Choice","Choices":[{"Variable":"$.p.n","NumericEquals":1,"Next":"T2"}],"Default":"T3"},
	"T2":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Step","Next":"P2"},
	"P2":{"Type":"Pass","Parameters":{"coop.$":"$.coop","step":2},"Next":"C2"},
	"C2":{"Type":"Choice","Choices":[{"Variable":"$.coop","StringEquals":"c-1","Next":"T3"}],"Default":"T4"},
	"T3":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Step","Next":"P3"},
	"P3":{"Type":"Pass","Next":"T4"},
	"T4":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Step","ResultPath":"$.last","Next":"Done"},
	"Done":{"Type":"Succeed"}}}`

const transitionsPerExecution = 10

// benchEngine returns an engine with the benchmark workflow and a counter
// of the function's calls; MaxFinished keeps an in-memory engine from
// growing with b.N.
func benchEngine(b *testing.B, db *bbolt.DB) (*states.Engine, *atomic.Int64) {
	b.Helper()
	e, err := states.New(states.Options{DB: db, MaxFinished: 10000})
	if err != nil {
		b.Fatal(err)
	}
	calls := new(atomic.Int64)
	e.RegisterHandler("Step", states.HandlerFunc(func(_ context.Context, in any) (any, error) {
		calls.Add(1)
		return in, nil
	}))
	if _, err := e.AddStateMachine("ten", []byte(tenStates)); err != nil {
		b.Fatal(err)
	}
	return e, calls
}

// runExecutions runs b.N executions of the benchmark workflow on conc
// concurrent callers and reports state transitions per second.
func runExecutions(b *testing.B, e *states.Engine, calls *atomic.Int64, conc int) {
	calls.Store(0)
	ctx := context.Background()
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				ex, err := e.StartExecution(ctx, pathway.StartExecutionInput{StateMachine: "ten",
					Name: fmt.Sprint("e-", b.N, "-", i), Input: json.RawMessage(`{"coop":"c-1","k":1}`)})
				if err != nil {
					b.Error(err)
					return
				}
				d, err := e.Wait(ctx, ex.ARN)
				if workflowErrName(err) == pathway.ErrExecutionDoesNotExist {
					// On one core a caller can be left unscheduled until
					// MaxFinished later executions have ended and its own
					// was forgotten; the call count below still checks it.
					continue
				}
				if err != nil || d.Status != pathway.ExecSucceeded {
					b.Errorf("execution %d: %v %+v", i, err, d)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if got := calls.Load(); got != 4*int64(b.N) {
		b.Fatalf("%d function calls for %d executions, want 4 each", got, b.N)
	}
	b.ReportMetric(float64(b.N*transitionsPerExecution)/b.Elapsed().Seconds(), "transitions/s")
}

// BenchmarkTransitionsInMemory: one core, in-process tasks, no store.
// Target: at least 600,000 transitions/s.
func BenchmarkTransitionsInMemory(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	e, calls := benchEngine(b, nil)
	defer e.Close()
	runExecutions(b, e, calls, 16)
}

// BenchmarkTransitionsPersisted: one core, every transition committed to
// a bbolt file (fsync on), many concurrent executions sharing commits.
// Target: at least 10,000 transitions/s.
func BenchmarkTransitionsPersisted(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	db, err := bbolt.Open(filepath.Join(b.TempDir(), "bench.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	e, calls := benchEngine(b, db)
	defer e.Close()
	runExecutions(b, e, calls, 512)
}

// waiting is a workflow that does some work, then waits eight weeks: the
// shape of an application waiting for a council's answer.
const waiting = `{"StartAt":"Record","States":{
	"Record":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Step","ResultPath":"$.recorded","Next":"Wait8Weeks"},
	"Wait8Weeks":{"Type":"Wait","Seconds":4838400,"Next":"Done"},
	"Done":{"Type":"Succeed"}}}`

// BenchmarkWaitingExecutionMemory measures what an execution waiting
// eight weeks costs, as the local server runs it (bbolt store, wall
// clock): bytes in the store and resident heap bytes, per execution.
// Targets: under 8 KiB in the store, under 2 KiB resident. Run with
// -benchtime=1x; each iteration starts 10,000 executions. The timer keeps
// running: stopped, it would read every iteration as free and grow b.N
// (and the disk used) without bound.
func BenchmarkWaitingExecutionMemory(b *testing.B) {
	const n = 10000
	for i := 0; i < b.N; i++ {
		store, file, heap := measureWaiting(b, n)
		b.ReportMetric(store/n, "store-B/exec")
		b.ReportMetric(file/n, "file-B/exec")
		b.ReportMetric(heap/n, "heap-B/exec")
	}
}

// measureWaiting starts n waiting executions and returns the growth of
// the engine's buckets (bytes of keys and values in use), of the file, and
// of the live heap.
func measureWaiting(b *testing.B, n int) (store, file, heap float64) {
	path := filepath.Join(b.TempDir(), "wait.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	e, err := states.New(states.Options{DB: db})
	if err != nil {
		b.Fatal(err)
	}
	e.RegisterHandler("Step", states.HandlerFunc(func(context.Context, any) (any, error) { return map[string]any{"ok": true}, nil }))
	if _, err := e.AddStateMachine("wait", []byte(waiting)); err != nil {
		b.Fatal(err)
	}
	if _, err := e.AddStateMachine("flush", []byte(one(`{"Type":"Pass","End":true}`))); err != nil {
		b.Fatal(err)
	}
	storeBefore, fileBefore := storeBytes(b, db, path)
	heapBefore := liveHeap()

	ctx := context.Background()
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 64; w++ { // concurrent starts share commits
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				_, err := e.StartExecution(ctx, pathway.StartExecutionInput{StateMachine: "wait",
					Name: fmt.Sprintf("coop-%06d", i), Input: json.RawMessage(`{"coopId":"c-000123","applicant":"Ash Example","council":"E06000001"}`)})
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	e.WaitIdle()
	// Writes are committed in order: once an execution started after all
	// of them has ended (its end committed), no write is still queued in
	// memory to inflate the heap.
	fl, err := e.StartExecution(ctx, pathway.StartExecutionInput{StateMachine: "flush", Name: "flush", Input: json.RawMessage(`{}`)})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.Wait(ctx, fl.ARN); err != nil {
		b.Fatal(err)
	}
	heap = float64(liveHeap()) - float64(heapBefore)
	if list, err := e.ListExecutions(ctx, "wait", pathway.ExecRunning); err != nil || len(list) != n {
		b.Fatalf("%d executions waiting (%v), want %d", len(list), err, n)
	}
	if err := e.Close(); err != nil { // commits every pending write
		b.Fatal(err)
	}
	storeAfter, fileAfter := storeBytes(b, db, path)
	return float64(storeAfter - storeBefore), float64(fileAfter - fileBefore), heap
}

// liveHeap returns the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// storeBytes returns the bytes of keys and values in the engine's buckets
// (named "states.…") and the size of the file.
func storeBytes(b *testing.B, db *bbolt.DB, path string) (int64, int64) {
	var n int64
	err := db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bbolt.Bucket) error {
			if !bytes.HasPrefix(name, []byte("states.")) {
				return nil
			}
			return bk.ForEach(func(k, v []byte) error {
				n += int64(len(k) + len(v))
				return nil
			})
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return n, fi.Size()
}
