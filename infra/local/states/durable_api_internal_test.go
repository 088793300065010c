package states

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// crashCopy copies what the store holds right now, committed and synced,
// to a new file: what a SIGKILL at this moment would leave on disk. Writes
// still queued in the engine's memory are not in it.
func crashCopy(t *testing.T, db *bbolt.DB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "crashed.db")
	if err := db.View(func(tx *bbolt.Tx) error { return tx.CopyFile(path, 0o600) }); err != nil {
		t.Fatal(err)
	}
	return path
}

// askThenTally waits for a callback (a failure is caught), then runs the
// function Tally, which counts its calls per execution id.
const askThenTally = `{"StartAt":"Ask","States":{
 "Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
   "Parameters":{"FunctionName":"Notify","Payload":{"token.$":"$$.Task.Token","id.$":"$.id"}},
   "ResultPath":"$.answer","Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.failure","Next":"Next"}],"Next":"Next"},
 "Next":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Tally","ResultPath":"$.next","End":true}}}`

// tokenBook records the task token handed out per execution id.
type tokenBook struct {
	mu sync.Mutex
	by map[string]string
}

func (b *tokenBook) get(id string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.by[id]
}

// notify is the Notify function: it records the token and counts calls.
func (b *tokenBook) notify(c *counters) Handler {
	return HandlerFunc(func(ctx context.Context, in any) (any, error) {
		m := in.(map[string]any)
		b.mu.Lock()
		if b.by == nil {
			b.by = map[string]string{}
		}
		b.by[m["id"].(string)] = m["token"].(string)
		b.mu.Unlock()
		c.add("Notify")
		return nil, nil
	})
}

// stuck is a Tally that never completes before the engine closes: the
// crash comes before the step after the callback has run.
func stuck() Handler {
	return HandlerFunc(func(ctx context.Context, in any) (any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
}

// answerAll answers every execution's callback at once, even ids with
// SendTaskSuccess and odd ones with SendTaskFailure, and returns when
// every call has returned.
func answerAll(t *testing.T, e *Engine, book *tokenBook, ids []string) {
	t.Helper()
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if i%2 == 0 {
				err = e.SendTaskSuccess(context.Background(), book.get(id), json.RawMessage(`{"ok":`+strconv.Itoa(i)+`}`))
			} else {
				err = e.SendTaskFailure(context.Background(), book.get(id), "Declined", "no "+strconv.Itoa(i))
			}
			if err != nil {
				t.Errorf("answering %s: %v", id, err)
			}
		}()
	}
	wg.Wait()
}

// wantAnswered checks an execution of askThenTally resumed after the
// crash: it went on with its answer, and Tally ran once.
func wantAnswered(t *testing.T, e *Engine, c *counters, arn, id string, i int) {
	t.Helper()
	d, err := e.DescribeExecution(context.Background(), arn)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"answer":{"ok":` + strconv.Itoa(i) + `},"id":"` + id + `","next":"done"}`
	if i%2 == 1 {
		want = `{"failure":{"Cause":"no ` + strconv.Itoa(i) + `","Error":"Declined"},"id":"` + id + `","next":"done"}`
	}
	if d.Status != ExecSucceeded || string(d.Output) != want {
		t.Errorf("%s, answered before the crash: %s output %s, want SUCCEEDED %s (still waiting for its answer?)",
			id, d.Status, d.Output, want)
	}
	if n := c.get(id); n != 1 {
		t.Errorf("%s: the step after the callback ran %d times after the restart, want 1", id, n)
	}
}

// TestAnswersAreDurableWhenTheyReturn answers many callbacks at once,
// takes what a kill right after the last answer returned would leave, and
// restarts on it: every answered task is resumed as answered (its
// execution goes on past the callback instead of waiting again), and the
// step after it, which had not completed before the crash, runs once.
func TestAnswersAreDurableWhenTheyReturn(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "live.db"))
	var c1, c2 counters
	var book tokenBook
	e1 := durableEngine(t, db, RealClock{}, &c1, askThenTally, map[string]Handler{"Notify": book.notify(&c1), "Tally": stuck()})
	const n = 60
	ids, arns := make([]string, n), make([]string, n)
	for i := range ids {
		ids[i] = "d" + strconv.Itoa(i)
		arns[i] = startM(t, e1, ids[i], `{"id":"`+ids[i]+`"}`).ARN
	}
	e1.WaitIdle()
	before := e1.w.batch()
	answerAll(t, e1, &book, ids)
	path := crashCopy(t, db)
	// Waiting for durability must not serialise the answers: concurrent
	// ones share commits (the frames running on commit too).
	if commits := e1.w.batch() - before; commits > n/2 {
		t.Errorf("%d concurrent answers took %d commits, want them to share commits", n, commits)
	} else {
		t.Logf("%d concurrent answers: %d commits", n, commits)
	}
	e1.Close()
	db.Close()

	e2 := restarted(t, path, RealClock{}, &c2, askThenTally, merge(map[string]Handler{"Notify": book.notify(&c2)}, tally(&c2)))
	e2.WaitIdle()
	for i, id := range ids {
		wantAnswered(t, e2, &c2, arns[i], id, i)
	}
	if c2.get("Notify") != 0 {
		t.Errorf("the restarted engine called Notify %d times: a callback answered before the crash was asked again", c2.get("Notify"))
	}
}

// merge is the union of handler maps.
func merge(ms ...map[string]Handler) map[string]Handler {
	out := map[string]Handler{}
	for _, m := range ms {
		for k, h := range m {
			out[k] = h
		}
	}
	return out
}

// TestStartAndStopAreDurableWhenTheyReturn: an execution StartExecution
// returned exists after a crash that follows, also when a second start
// with the same name and input raced the first and returned it; and one
// StopExecution returned stays stopped.
func TestStartAndStopAreDurableWhenTheyReturn(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "live.db"))
	var c1, c2 counters
	var book tokenBook
	e1 := durableEngine(t, db, RealClock{}, &c1, askThenTally, map[string]Handler{"Notify": book.notify(&c1), "Tally": stuck()})
	const n = 40
	arns := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		for k := range 1 + i%4/3 { // every fourth is started twice at once
			wg.Add(1)
			go func() {
				defer wg.Done()
				if arn := startOrStop(t, e1, i); k == 0 {
					arns[i] = arn
				}
			}()
		}
	}
	wg.Wait()
	path := crashCopy(t, db)
	e1.Close()
	db.Close()

	e2 := restarted(t, path, RealClock{}, &c2, askThenTally, map[string]Handler{"Notify": book.notify(&c2), "Tally": stuck()})
	e2.WaitIdle()
	for i, arn := range arns {
		d, err := e2.DescribeExecution(context.Background(), arn)
		want := ExecRunning
		if i%2 == 1 {
			want = ExecAborted
		}
		if err != nil || d.Status != want {
			t.Errorf("execution %d after the crash: %v %+v, want %s", i, err, d, want)
		}
	}
}

// startOrStop starts execution i, and stops it if i is odd; it returns
// its ARN.
func startOrStop(t *testing.T, e *Engine, i int) string {
	id := "s" + strconv.Itoa(i)
	x, err := e.StartExecution(context.Background(), StartExecutionInput{StateMachine: "m", Name: id,
		Input: json.RawMessage(`{"id":"` + id + `"}`)})
	if err == nil && i%2 == 1 {
		err = e.StopExecution(context.Background(), x.ARN, "Withdrawn", "by test")
	}
	if err != nil {
		t.Error(err)
		return ""
	}
	return x.ARN
}

// heartbeatAsk is a callback task with a one-minute heartbeat.
const heartbeatAsk = `{"StartAt":"Ask","States":{
 "Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","HeartbeatSeconds":60,
   "Parameters":{"FunctionName":"Notify","Payload":{"token.$":"$$.Task.Token","id.$":"$.id"}},"End":true}}}`

// TestHeartbeatIsDurableWhenItReturns sends a heartbeat 50 s into a
// 60 s heartbeat, crashes, and restarts 100 s in: the task's heartbeat
// deadline is the one the heartbeat set (110 s), so it still waits.
func TestHeartbeatIsDurableWhenItReturns(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "live.db"))
	var c1, c2 counters
	var book tokenBook
	clock := NewFakeClock(start0)
	e1 := durableEngine(t, db, clock, &c1, heartbeatAsk, map[string]Handler{"Notify": book.notify(&c1)})
	x := startM(t, e1, "hb", `{"id":"hb"}`)
	e1.WaitIdle()
	clock.Advance(50 * time.Second)
	if err := e1.SendTaskHeartbeat(context.Background(), book.get("hb")); err != nil {
		t.Fatal(err)
	}
	path := crashCopy(t, db)
	e1.Close()
	db.Close()

	e2 := restarted(t, path, NewFakeClock(start0.Add(100*time.Second)), &c2, heartbeatAsk, map[string]Handler{"Notify": book.notify(&c2)})
	e2.mu.Lock()
	f := e2.tokens[book.get("hb")]
	e2.mu.Unlock()
	if f == nil {
		t.Fatalf("after the restart %s no longer waits for its token", x.ARN)
	}
	f.ex.mu.Lock()
	hbAt := f.hbAt
	f.ex.mu.Unlock()
	if want := start0.Add(110 * time.Second); !hbAt.Equal(want) {
		t.Fatalf("after the restart the heartbeat is due at %s, want %s: the heartbeat sent before the crash was lost", hbAt, want)
	}
}

// TestAnswerDuringInvocationIsDurable: the function that receives the
// token answers it before it returns, and the process dies before the
// function has returned. After the restart the task is answered: the
// function is not called again, and the execution goes on.
func TestAnswerDuringInvocationIsDurable(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "live.db"))
	var c1, c2 counters
	crashed := make(chan string, 1)
	var e1 *Engine
	notify := HandlerFunc(func(ctx context.Context, in any) (any, error) {
		tok := in.(map[string]any)["token"].(string)
		if err := e1.SendTaskSuccess(ctx, tok, json.RawMessage(`{"ok":0}`)); err != nil {
			t.Error(err)
		}
		crashed <- crashCopy(t, db)
		<-ctx.Done() // the function is still running at the crash
		return nil, ctx.Err()
	})
	e1 = durableEngine(t, db, RealClock{}, &c1, askThenTally, map[string]Handler{"Notify": notify, "Tally": stuck()})
	x := startM(t, e1, "d0", `{"id":"d0"}`)
	path := <-crashed
	e1.Close()
	db.Close()

	var book tokenBook
	e2 := restarted(t, path, RealClock{}, &c2, askThenTally, merge(map[string]Handler{"Notify": book.notify(&c2)}, tally(&c2)))
	e2.WaitIdle()
	wantAnswered(t, e2, &c2, x.ARN, "d0", 0)
	if c2.get("Notify") != 0 {
		t.Errorf("the restarted engine called Notify %d times, want 0: its task was answered", c2.get("Notify"))
	}
}

// batch is the number of the last batch committed.
func (w *writer) batch() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.committed
}

// TestAnswerAfterCloseFails: an answer that races Close cannot be made
// durable any more; it fails instead of waiting for a commit that will
// never come.
func TestAnswerAfterCloseFails(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "live.db"))
	defer db.Close()
	var c counters
	var book tokenBook
	e := durableEngine(t, db, RealClock{}, &c, askThenTally, map[string]Handler{"Notify": book.notify(&c), "Tally": stuck()})
	startM(t, e, "late", `{"id":"late"}`)
	e.WaitIdle()
	e.Close()
	done := make(chan error, 1)
	go func() { done <- e.SendTaskSuccess(context.Background(), book.get("late"), json.RawMessage(`{}`)) }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("SendTaskSuccess after Close succeeded, but nothing can save its answer")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SendTaskSuccess after Close still waits for a commit after 10 s")
	}
}
