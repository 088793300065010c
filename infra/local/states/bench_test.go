package states_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/coopcarepathway/pathway/infra/local/states"
)

// anchor is the benchmark workflow, state for state the one
// aws-local-stepfunctions (the JavaScript interpreter the README compares
// with) was measured on: four Tasks whose result ({"ok":true}, new each
// call) goes through ResultSelector into $.r, four Pass states with
// Parameters, a Choice on $.n > 0 and a Succeed. Every execution enters ten
// states.
const anchor = `{"StartAt":"T1","States":{
	"T1":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Step","ResultSelector":{"ok.$":"$.ok"},"ResultPath":"$.r","Next":"P1"},
	"P1":{"Type":"Pass","Parameters":{"n.$":"$.n","coop.$":"$.coop"},"Next":"T2"},
	"T2":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Step","ResultSelector":{"ok.$":"$.ok"},"ResultPath":"$.r","Next":"P2"},
	"P2":{"Type":"Pass","Parameters":{"n.$":"$.n","coop.$":"$.coop"},"Next":"T3"},
	"T3":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Step","ResultSelector":{"ok.$":"$.ok"},"ResultPath":"$.r","Next":"P3"},
	"P3":{"Type":"Pass","Parameters":{"n.$":"$.n","coop.$":"$.coop"},"Next":"T4"},
	"T4":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Step","ResultSelector":{"ok.$":"$.ok"},"ResultPath":"$.r","Next":"P4"},
	"P4":{"Type":"Pass","Parameters":{"n.$":"$.n","coop.$":"$.coop"},"Next":"Check"},
	"Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":0,"Next":"Done"}],"Default":"Done"},
	"Done":{"Type":"Succeed"}}}`

// anchorInput is every execution's input.
const anchorInput = `{"n":1,"coop":"c-1"}`

// transitionsPerExecution counts state entries.
const transitionsPerExecution = 10

// benchMaxFinished is how many finished executions an in-memory engine
// remembers in the benchmarks: it keeps the engine from growing with b.N,
// and is far more than the one execution at a time a caller still has to
// read (executions run one after another; aws-local-stepfunctions
// remembers none). What is remembered costs the garbage collector: with
// 1,000 the in-memory benchmark runs about 15% slower, with 10,000 about
// 40%.
const benchMaxFinished = 100

// benchEngine returns an engine with the benchmark workflow and a counter
// of the function's calls.
func benchEngine(b *testing.B, db *bbolt.DB) (*states.Engine, *atomic.Int64) {
	b.Helper()
	e, err := states.New(states.Options{DB: db, MaxFinished: benchMaxFinished})
	if err != nil {
		b.Fatal(err)
	}
	calls := new(atomic.Int64)
	e.RegisterHandler("Step", states.HandlerFunc(func(context.Context, any) (any, error) {
		calls.Add(1)
		return map[string]any{"ok": true}, nil
	}))
	if _, err := e.AddStateMachine("anchor", []byte(anchor)); err != nil {
		b.Fatal(err)
	}
	return e, calls
}

// runExecutions runs b.N executions of the benchmark workflow on conc
// concurrent callers (1: one after another) and reports state
// transitions per second.
func runExecutions(b *testing.B, e *states.Engine, calls *atomic.Int64, conc int) {
	calls.Store(0)
	ctx := context.Background()
	input := json.RawMessage(anchorInput)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				ex, err := e.StartExecution(ctx, states.StartExecutionInput{StateMachine: "anchor",
					Name: "e-" + strconv.FormatInt(i, 10), Input: input})
				if err != nil {
					b.Error(err)
					return
				}
				d, err := e.Wait(ctx, ex.ARN)
				if err != nil && workflowErrName(err) == states.ErrExecutionDoesNotExist {
					// On one core a caller can be left unscheduled until
					// MaxFinished later executions have ended and its own
					// was forgotten; the call count below still checks it.
					continue
				}
				if err != nil || d.Status != states.ExecSucceeded {
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

// TestAnchorWorkflow checks what the benchmark runs: ten states entered,
// the output the anchor's workflow gives.
func TestAnchorWorkflow(t *testing.T) {
	h := newHarness(t, states.Options{})
	h.handle("Step", func(context.Context, any) (any, error) { return map[string]any{"ok": true}, nil })
	h.machine("anchor", anchor)
	d := h.settle(h.start("anchor", anchorInput).ARN)
	wantSucceeded(t, d, `{"n":1,"coop":"c-1"}`)
	events, err := h.e.GetExecutionHistory(context.Background(), d.ARN)
	if err != nil {
		t.Fatal(err)
	}
	entered := 0
	for _, ev := range events {
		if strings.HasSuffix(ev.Type, "StateEntered") {
			entered++
		}
	}
	if entered != transitionsPerExecution {
		t.Errorf("%d states entered, want %d", entered, transitionsPerExecution)
	}
}

// BenchmarkTransitionsInMemory: one core, in-process tasks, no store, the
// anchor's workflow, executions one after another. Target: at least
// 1,000,000 transitions/s.
func BenchmarkTransitionsInMemory(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	e, calls := benchEngine(b, nil)
	defer e.Close()
	runExecutions(b, e, calls, 1)
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
				_, err := e.StartExecution(ctx, states.StartExecutionInput{StateMachine: "wait",
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
	fl, err := e.StartExecution(ctx, states.StartExecutionInput{StateMachine: "flush", Name: "flush", Input: json.RawMessage(`{}`)})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.Wait(ctx, fl.ARN); err != nil {
		b.Fatal(err)
	}
	heap = float64(liveHeap()) - float64(heapBefore)
	if list, err := e.ListExecutions(ctx, "wait", states.ExecRunning); err != nil || len(list) != n {
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
