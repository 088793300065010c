package states

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestHistoryOfAnIdleExecutionReturns: reading the history of a running
// execution whose events are all saved already (it waits, nothing else
// writes) returns at once, every time. It once waited for a commit that
// no write would ever make.
func TestHistoryOfAnIdleExecutionReturns(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "states.db"))
	t.Cleanup(func() { db.Close() })
	var c counters
	e := durableEngine(t, db, NewFakeClock(start0), &c, countWaitCount, nil)
	x := startM(t, e, "ash", `{"who":"Ash Example"}`)
	e.WaitIdle()
	for i := range 3 {
		done := make(chan int, 1)
		go func() {
			h, _ := e.GetExecutionHistory(context.Background(), x.ARN)
			done <- len(h)
		}()
		select {
		case n := <-done:
			if n == 0 {
				t.Fatalf("read %d: no events", i)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("read %d of an idle execution's history did not return", i)
		}
	}
}
