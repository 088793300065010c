package states

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// start0 is when every fake clock of these tests starts.
var start0 = time.Date(2026, 4, 6, 8, 0, 0, 0, time.UTC)

// counters counts the calls of each in-process function of one engine.
type counters struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counters) add(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[name]++
}

func (c *counters) get(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[name]
}

// openDB opens (or reopens) a bbolt file.
func openDB(t *testing.T, path string) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// durableEngine starts an engine over db with the counting function
// "Count" (returns its input) and machine def named "m".
func durableEngine(t *testing.T, db *bbolt.DB, clock Clock, c *counters, def string, extra map[string]Handler) *Engine {
	t.Helper()
	e, err := New(Options{DB: db, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	e.RegisterHandler("Count", HandlerFunc(func(ctx context.Context, in any) (any, error) {
		c.add("Count")
		return in, nil
	}))
	for name, h := range extra {
		e.RegisterHandler(name, h)
	}
	if _, err := e.AddStateMachine("m", []byte(def)); err != nil {
		t.Fatal(err)
	}
	return e
}

// restarted reopens the database at path in a new engine, as the process
// started again after a crash would, and resumes the executions it holds.
// The engine, then the database, close when the test ends.
func restarted(t *testing.T, path string, clock Clock, c *counters, def string, extra map[string]Handler) *Engine {
	t.Helper()
	db := openDB(t, path)
	t.Cleanup(func() { db.Close() })
	e := durableEngine(t, db, clock, c, def, extra)
	t.Cleanup(func() { e.Close() })
	if err := e.Resume(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e
}

// waitDone waits for the end of an execution.
func waitDone(t *testing.T, e *Engine, arn string) *Execution {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	d, err := e.Wait(ctx, arn)
	if err != nil {
		t.Fatalf("Wait(%s): %v", arn, err)
	}
	return d
}

func startM(t *testing.T, e *Engine, name, input string) *Execution {
	t.Helper()
	x, err := e.StartExecution(context.Background(), StartExecutionInput{StateMachine: "m", Name: name, Input: json.RawMessage(input)})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

const countWaitCount = `{"StartAt":"A","States":{
 "A":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Count","Next":"W"},
 "W":{"Type":"Wait","Seconds":3600,"Next":"B"},
 "B":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Count","ResultPath":"$.again","End":true}}}`

// TestResumeWaitDoesNotRepeatCompletedTask kills the engine while an
// execution waits, restarts it on the same file and checks that the
// execution goes on from the Wait: the task before it does not run again.
func TestResumeWaitDoesNotRepeatCompletedTask(t *testing.T) {
	path := filepath.Join(t.TempDir(), "states.db")
	db := openDB(t, path)
	var c1, c2 counters
	clock := NewFakeClock(start0)
	e1 := durableEngine(t, db, clock, &c1, countWaitCount, nil)
	x := startM(t, e1, "ash", `{"who":"Ash Example"}`)
	e1.WaitIdle()
	if got := c1.get("Count"); got != 1 {
		t.Fatalf("first engine ran Count %d times before the wait, want 1", got)
	}
	if err := e1.Close(); err != nil {
		t.Fatal(err)
	}
	db.Close()

	clock2 := NewFakeClock(start0.Add(time.Minute))
	e2 := restarted(t, path, clock2, &c2, countWaitCount, nil)
	e2.WaitIdle()
	if d, _ := e2.DescribeExecution(context.Background(), x.ARN); d.Status != ExecRunning {
		t.Fatalf("after resume the execution is %s, want RUNNING until the wait ends", d.Status)
	}
	if clock2.Pending() != 1 {
		t.Fatalf("after resume %d timers are pending, want the Wait's one", clock2.Pending())
	}
	clock2.Advance(3600 * time.Second)
	d := waitDone(t, e2, x.ARN)
	if d.Status != ExecSucceeded {
		t.Fatalf("status %s (%s: %s), want SUCCEEDED", d.Status, d.Error, d.Cause)
	}
	if got := c2.get("Count"); got != 1 {
		t.Fatalf("the resumed engine ran Count %d times, want 1 (only B)", got)
	}
	if string(d.Output) != `{"again":{"who":"Ash Example"},"who":"Ash Example"}` {
		t.Fatalf("output %s", d.Output)
	}
	h, err := e2.GetExecutionHistory(context.Background(), x.ARN)
	if err != nil {
		t.Fatal(err)
	}
	succeeded := 0
	for i, ev := range h {
		if ev.ID != int64(i+1) {
			t.Fatalf("event %d has ID %d: IDs must continue across the restart", i, ev.ID)
		}
		if ev.Type == "LambdaFunctionSucceeded" {
			succeeded++
		}
	}
	if succeeded != 2 || h[len(h)-1].Type != "ExecutionSucceeded" {
		t.Fatalf("history has %d LambdaFunctionSucceeded and ends with %s", succeeded, h[len(h)-1].Type)
	}
}

// TestResumePastDueTimerFiresAtOnce restarts after the Wait's time has
// passed: the execution finishes without the clock moving.
func TestResumePastDueTimerFiresAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "states.db")
	db := openDB(t, path)
	var c1, c2 counters
	e1 := durableEngine(t, db, NewFakeClock(start0), &c1, countWaitCount, nil)
	x := startM(t, e1, "late", `{}`)
	e1.WaitIdle()
	e1.Close()
	db.Close()

	e2 := restarted(t, path, NewFakeClock(start0.Add(2*time.Hour)), &c2, countWaitCount, nil)
	if d := waitDone(t, e2, x.ARN); d.Status != ExecSucceeded {
		t.Fatalf("status %s, want SUCCEEDED", d.Status)
	}
	if c1.get("Count")+c2.get("Count") != 2 {
		t.Fatalf("Count ran %d+%d times, want 2 in all", c1.get("Count"), c2.get("Count"))
	}
}

const countThenToken = `{"StartAt":"A","States":{
 "A":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Count","Next":"Ask"},
 "Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
   "Parameters":{"FunctionName":"Notify","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}`

// TestResumeCallbackKeepsToken restarts while a callback task waits: the
// token it handed out still completes it, and the function is not called
// again.
func TestResumeCallbackKeepsToken(t *testing.T) {
	path := filepath.Join(t.TempDir(), "states.db")
	db := openDB(t, path)
	var c1, c2 counters
	var token atomic.Value
	notify := func(c *counters) map[string]Handler {
		return map[string]Handler{"Notify": HandlerFunc(func(ctx context.Context, in any) (any, error) {
			c.add("Notify")
			token.Store(in.(map[string]any)["token"].(string))
			return nil, nil
		})}
	}
	e1 := durableEngine(t, db, NewFakeClock(start0), &c1, countThenToken, notify(&c1))
	x := startM(t, e1, "cb", `{}`)
	e1.WaitIdle()
	e1.Close()
	db.Close()
	if c1.get("Notify") != 1 {
		t.Fatalf("Notify ran %d times, want 1", c1.get("Notify"))
	}

	e2 := restarted(t, path, NewFakeClock(start0), &c2, countThenToken, notify(&c2))
	e2.WaitIdle()
	tok := token.Load().(string)
	if err := e2.SendTaskSuccess(context.Background(), tok, json.RawMessage(`{"approved":true}`)); err != nil {
		t.Fatalf("SendTaskSuccess after restart: %v", err)
	}
	d := waitDone(t, e2, x.ARN)
	if d.Status != ExecSucceeded || string(d.Output) != `{"approved":true}` {
		t.Fatalf("status %s output %s", d.Status, d.Output)
	}
	if c2.get("Notify") != 0 || c2.get("Count") != 0 {
		t.Fatalf("the resumed engine called Notify %d and Count %d times, want 0", c2.get("Notify"), c2.get("Count"))
	}
	err := e2.SendTaskSuccess(context.Background(), tok, json.RawMessage(`{}`))
	wantAPIError(t, err, ErrTaskTimedOut)
}

const countThenSlow = `{"StartAt":"A","States":{
 "A":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Count","Next":"Slow"},
 "Slow":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Slow",
   "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
 "Caught":{"Type":"Fail","Error":"Caught"}}}`

// TestCloseDuringTaskReRunsIt closes the engine while a task runs: the
// task's failure from the cancelled context is not recorded (its Catch
// does not fire), and after the restart the task runs again, the one
// before it does not.
func TestCloseDuringTaskReRunsIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "states.db")
	db := openDB(t, path)
	var c1, c2 counters
	entered := make(chan struct{})
	e1 := durableEngine(t, db, NewFakeClock(start0), &c1, countThenSlow, map[string]Handler{
		"Slow": HandlerFunc(func(ctx context.Context, in any) (any, error) {
			close(entered)
			<-ctx.Done()
			return nil, ctx.Err()
		})})
	x := startM(t, e1, "slow", `{"n":1}`)
	<-entered
	e1.Close()
	db.Close()

	e2 := restarted(t, path, NewFakeClock(start0), &c2, countThenSlow, map[string]Handler{
		"Slow": HandlerFunc(func(ctx context.Context, in any) (any, error) {
			c2.add("Slow")
			return map[string]any{"done": true}, nil
		})})
	d := waitDone(t, e2, x.ARN)
	if d.Status != ExecSucceeded || string(d.Output) != `{"done":true}` {
		t.Fatalf("status %s (%s) output %s, want SUCCEEDED {\"done\":true}", d.Status, d.Error, d.Output)
	}
	if c2.get("Count") != 0 || c2.get("Slow") != 1 {
		t.Fatalf("after restart Count ran %d times (want 0), Slow %d (want 1)", c2.get("Count"), c2.get("Slow"))
	}
}

const parallelWait = `{"StartAt":"P","States":{
 "P":{"Type":"Parallel","End":true,"Branches":[
   {"StartAt":"Quick","States":{"Quick":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Count","End":true}}},
   {"StartAt":"Long","States":{"Long":{"Type":"Wait","Seconds":86400,"Next":"Then"},
     "Then":{"Type":"Pass","Result":"later","End":true}}}]}}}`

// TestResumeParallelKeepsFinishedBranch restarts while one branch of a
// Parallel is done and the other waits: the done branch keeps its output
// and does not run again.
func TestResumeParallelKeepsFinishedBranch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "states.db")
	db := openDB(t, path)
	var c1, c2 counters
	e1 := durableEngine(t, db, NewFakeClock(start0), &c1, parallelWait, nil)
	x := startM(t, e1, "par", `{"k":"v"}`)
	e1.WaitIdle()
	e1.Close()
	db.Close()

	clock := NewFakeClock(start0)
	e2 := restarted(t, path, clock, &c2, parallelWait, nil)
	e2.WaitIdle()
	clock.Advance(24 * time.Hour)
	d := waitDone(t, e2, x.ARN)
	if d.Status != ExecSucceeded || string(d.Output) != `[{"k":"v"},"later"]` {
		t.Fatalf("status %s (%s %s) output %s", d.Status, d.Error, d.Cause, d.Output)
	}
	if c1.get("Count") != 1 || c2.get("Count") != 0 {
		t.Fatalf("Count ran %d then %d times, want 1 then 0", c1.get("Count"), c2.get("Count"))
	}
}

// TestWaitingExecutionIsSmallInStore checks the store cost of an execution
// parked on a long Wait.
func TestWaitingExecutionIsSmallInStore(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "states.db"))
	defer db.Close()
	var c counters
	e := durableEngine(t, db, NewFakeClock(start0), &c, countWaitCount, nil)
	defer e.Close()
	startM(t, e, "small", `{"coopId":"c-0001","who":"Ash Example"}`)
	e.WaitIdle()
	e.flushAll()
	size := 0
	err := db.View(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketExecs, bucketFrames, bucketHistory} {
			_ = tx.Bucket(b).ForEach(func(k, v []byte) error {
				size += len(k) + len(v)
				return nil
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if size == 0 || size > 8<<10 {
		t.Fatalf("a waiting execution takes %d bytes of keys and values, want (0, 8 KiB]", size)
	}
}

// wantAPIError checks the name of a Step Functions API error.
func wantAPIError(t *testing.T, err error, name string) {
	t.Helper()
	var we *APIError
	if !errors.As(err, &we) || we.Name != name {
		t.Fatalf("error %v, want a WorkflowError %s", err, name)
	}
}

// flushAll waits until every execution's saves are committed.
func (e *Engine) flushAll() {
	e.mu.Lock()
	var all []*execution
	for _, ex := range e.execs {
		all = append(all, ex)
	}
	e.mu.Unlock()
	for _, ex := range all {
		e.flush(ex)
	}
}

const mapWait = `{"StartAt":"Each","States":{
 "Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ItemSelector":{"n.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},
   "ItemProcessor":{"StartAt":"C","States":{
     "C":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Count","Next":"W"},
     "W":{"Type":"Wait","Seconds":60,"End":true}}},"End":true}}}`

// TestResumeMapMidway restarts a Map with two of four iterations waiting:
// they finish, the other two start, and no iteration's task runs twice.
func TestResumeMapMidway(t *testing.T) {
	path := filepath.Join(t.TempDir(), "states.db")
	db := openDB(t, path)
	var c1, c2 counters
	e1 := durableEngine(t, db, NewFakeClock(start0), &c1, mapWait, nil)
	x := startM(t, e1, "map", `{"items":["a","b","c","d"]}`)
	e1.WaitIdle()
	e1.Close()
	db.Close()
	if c1.get("Count") != 2 {
		t.Fatalf("Count ran %d times before the restart, want 2 (MaxConcurrency)", c1.get("Count"))
	}

	clock := NewFakeClock(start0)
	e2 := restarted(t, path, clock, &c2, mapWait, nil)
	for i := 0; i < 2; i++ {
		e2.WaitIdle()
		clock.Advance(time.Minute)
	}
	d := waitDone(t, e2, x.ARN)
	want := `[{"i":0,"n":"a"},{"i":1,"n":"b"},{"i":2,"n":"c"},{"i":3,"n":"d"}]`
	if d.Status != ExecSucceeded || string(d.Output) != want {
		t.Fatalf("status %s (%s %s) output %s, want %s", d.Status, d.Error, d.Cause, d.Output, want)
	}
	if c2.get("Count") != 2 {
		t.Fatalf("the resumed engine ran Count %d times, want 2", c2.get("Count"))
	}
}

// TestConcurrentDurableExecutions runs many executions at once on a file:
// every one finishes with its own output (the writer's batches mix them).
func TestConcurrentDurableExecutions(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "states.db"))
	defer db.Close()
	var c counters
	e := durableEngine(t, db, RealClock{}, &c, `{"StartAt":"A","States":{
 "A":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Count","ResultPath":"$.a","Next":"B"},
 "B":{"Type":"Pass","Parameters":{"n.$":"$.n"},"End":true}}}`, nil)
	defer e.Close()
	const n = 50
	arns := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x, err := e.StartExecution(context.Background(), StartExecutionInput{StateMachine: "m",
				Name: "c" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Input: json.RawMessage(`{"n":` + strconv.Itoa(i) + `}`)})
			if err != nil {
				t.Error(err)
				return
			}
			arns[i] = x.ARN
		}()
	}
	wg.Wait()
	for i, arn := range arns {
		d := waitDone(t, e, arn)
		if d.Status != ExecSucceeded || string(d.Output) != `{"n":`+strconv.Itoa(i)+`}` {
			t.Fatalf("execution %d: %s output %s", i, d.Status, d.Output)
		}
	}
	if c.get("Count") != n {
		t.Fatalf("Count ran %d times, want %d", c.get("Count"), n)
	}
}

const twoTasks = `{"StartAt":"A","States":{
 "A":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Tally","ResultPath":"$.a","Next":"B"},
 "B":{"Type":"Pass","Result":"b","ResultPath":"$.b","Next":"C"},
 "C":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Tally","ResultPath":"$.c","End":true}}}`

// tally is a function that counts its calls per execution (the input's
// "id").
func tally(c *counters) map[string]Handler {
	return map[string]Handler{"Tally": HandlerFunc(func(ctx context.Context, in any) (any, error) {
		c.add(in.(map[string]any)["id"].(string))
		return "done", nil
	})}
}

// TestSnapshotMidRunResumes copies the store while executions run (what a
// kill at that moment leaves), resumes the copy and checks every execution
// finishes, with exactly the tasks the copy had not recorded as done run
// again.
func TestSnapshotMidRunResumes(t *testing.T) {
	dir := t.TempDir()
	db := openDB(t, filepath.Join(dir, "live.db"))
	var c1, c2 counters
	e1 := durableEngine(t, db, RealClock{}, &c1, twoTasks, tally(&c1))
	const n = 40
	for i := range n {
		id := "s" + strconv.Itoa(i)
		startM(t, e1, id, `{"id":"`+id+`"}`)
		if i == n/2 {
			err := db.View(func(tx *bbolt.Tx) error { return tx.CopyFile(filepath.Join(dir, "copy.db"), 0o600) })
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	e1.Close()
	db.Close()

	db = openDB(t, filepath.Join(dir, "copy.db"))
	defer db.Close()
	e2 := durableEngine(t, db, RealClock{}, &c2, twoTasks, tally(&c2))
	defer e2.Close()
	done := map[string]int{} // LambdaFunctionSucceeded per execution in the copy
	before, err := e2.ListExecutions(context.Background(), "m", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range before {
		h, err := e2.GetExecutionHistory(context.Background(), x.ARN)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range h {
			if ev.Type == "LambdaFunctionSucceeded" {
				done[x.Name]++
			}
		}
	}
	if err := e2.Resume(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, x := range before {
		d := waitDone(t, e2, x.ARN)
		if d.Status != ExecSucceeded {
			t.Fatalf("%s: %s %s %s", x.Name, d.Status, d.Error, d.Cause)
		}
		want := `{"a":"done","b":"b","c":"done","id":"` + x.Name + `"}`
		if string(d.Output) != want {
			t.Fatalf("%s: output %s, want %s", x.Name, d.Output, want)
		}
		if got := c2.get(x.Name); got != 2-done[x.Name] {
			t.Fatalf("%s: the copy had %d tasks done, and %d ran after the resume; want %d", x.Name, done[x.Name], got, 2-done[x.Name])
		}
	}
	if len(before) == 0 {
		t.Fatal("the copy holds no execution")
	}
}
