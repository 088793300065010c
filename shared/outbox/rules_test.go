package outbox_test

// The delivery rules the tests in outbox_test.go leave implicit: what a
// failed record of an attempt means, how long one attempt may take, which
// sibling tasks' failures matter, and what a sweep does with a delivery it
// cannot claim or record.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// faultyStore fails the calls given an error and passes the rest on.
type faultyStore struct {
	pathway.Store
	retry, complete, finish, pending error
}

func (s *faultyStore) RetryDelivery(ctx context.Context, d *pathway.Delivery) error {
	if s.retry != nil {
		return s.retry
	}
	return s.Store.RetryDelivery(ctx, d)
}

func (s *faultyStore) CompleteTask(ctx context.Context, id string, done pathway.TaskCompletion) (*pathway.Task, error) {
	if s.complete != nil {
		return nil, s.complete
	}
	return s.Store.CompleteTask(ctx, id, done)
}

func (s *faultyStore) FinishDelivery(ctx context.Context, d *pathway.Delivery, e *pathway.Event) error {
	if s.finish != nil {
		return s.finish
	}
	return s.Store.FinishDelivery(ctx, d, e)
}

func (s *faultyStore) PendingDeliveries(ctx context.Context, limit int) ([]*pathway.Delivery, error) {
	if s.pending != nil {
		return nil, s.pending
	}
	return s.Store.PendingDeliveries(ctx, limit)
}

// logBuffer is a logger whose output the test can read while others write.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) errors() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Count(b.buf.String(), "level=ERROR")
}

func (b *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }

// strictFixture is newFixture over a store without index lag, so that the
// sibling task is always listed, and with the store's faults and the log
// in the test's hands.
func strictFixture(t *testing.T) (*fixture, *faultyStore, *logBuffer) {
	t.Helper()
	f := &fixture{st: testkit.Store(t), wf: &fakeWorkflows{}, clock: &clock{}}
	f.clock.set(t0)
	f.openTwin(t)
	fs := &faultyStore{Store: f.st}
	logs := &logBuffer{}
	f.ob = outbox.New(fs, f.wf, f.clock.now, logs.logger())
	return f, fs, logs
}

// Rule: after a failed attempt, a conflict while recording the retry means
// another sender has the delivery (it is no error); any other failure to
// record it is reported, and the delivery stays pending for a sweep.
func TestSendLaterRecordingTheRetry(t *testing.T) {
	for _, tc := range []struct {
		name    string
		retry   error
		wantErr bool
	}{
		{"another sender finished or claimed it", pathway.Errorf(pathway.ECONFLICT, "changed"), false},
		{"the store failed", errors.New("store down"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, fs, _ := strictFixture(t)
			d := f.answer(t)
			f.wf.fail(errors.New("throttled"))
			fs.retry = tc.retry
			res, err := f.ob.Send(t.Context(), d)
			if res != outbox.Later || (err != nil) != tc.wantErr {
				t.Fatalf("Send = %v, %v; want Later with an error: %v", res, err, tc.wantErr)
			}
		})
	}
}

// deadlineWorkflows records the context each call is made with.
type deadlineWorkflows struct {
	deadline time.Time
	ok       bool
	err      error
}

func (w *deadlineWorkflows) SendTaskSuccess(ctx context.Context, _ string, _ json.RawMessage) error {
	w.deadline, w.ok = ctx.Deadline()
	w.err = ctx.Err()
	return nil
}

func (w *deadlineWorkflows) StartExecution(ctx context.Context, _, _ string, _ json.RawMessage) error {
	return w.SendTaskSuccess(ctx, "", nil)
}

// Rule: one attempt to send is bounded (10 seconds), so a hung workflow
// call cannot hold a sweep, but it is given a live context to work in.
func TestAttemptIsBoundedButAlive(t *testing.T) {
	f, _, _ := strictFixture(t)
	d := f.answer(t)
	wf := &deadlineWorkflows{}
	ob := outbox.New(f.st, wf, f.clock.now, nil)
	start := time.Now()
	if res, err := ob.Send(t.Context(), d); res != outbox.Sent || err != nil {
		t.Fatalf("Send = %v, %v; want Sent", res, err)
	}
	if !wf.ok || wf.err != nil {
		t.Fatalf("the workflow call had deadline %v (set %v), context error %v; want a live, bounded context", wf.deadline, wf.ok, wf.err)
	}
	if left := wf.deadline.Sub(start); left <= time.Second || left > 10*time.Second+time.Second {
		t.Fatalf("the attempt had %v to run; want about 10 s", left)
	}
}

// Rule: once the workflow has an answer, the sibling tasks holding its
// token are cancelled; a sibling already closed (conflict) or gone (not
// found) is no error, any other failure to close one is reported with the
// delivery still counted as sent.
func TestSendClosingSiblings(t *testing.T) {
	for _, tc := range []struct {
		name     string
		complete error
		wantErr  bool
	}{
		{"sibling closed already", pathway.Errorf(pathway.ECONFLICT, "closed"), false},
		{"sibling gone", pathway.NotFound("task"), false},
		{"the store failed", errors.New("store down"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, fs, _ := strictFixture(t)
			d := f.answer(t)
			fs.complete = tc.complete
			res, err := f.ob.Send(t.Context(), d)
			if res != outbox.Sent || (err != nil) != tc.wantErr {
				t.Fatalf("Send = %v, %v; want Sent with an error: %v", res, err, tc.wantErr)
			}
		})
	}
}

// Rule: the trail line for an answer that came too late belongs to the
// co-op the task was about, so it shows in that co-op's history.
func TestUnusedAnswerIsInTheCoopsTrail(t *testing.T) {
	f, _, _ := strictFixture(t)
	d := f.answer(t)
	f.wf.fail(fmt.Errorf("%w: TaskTimedOut", pathway.ErrNotWaiting))
	if res, err := f.ob.Send(t.Context(), d); res != outbox.Unused || err != nil {
		t.Fatalf("Send = %v, %v; want Unused", res, err)
	}
	page, err := f.st.ListEvents(t.Context(), pathway.CoopSubject("coop-x"), "", 10)
	if err != nil || len(page.Events) != 1 {
		t.Fatalf("events = %+v, %v", page.Events, err)
	}
	if e := page.Events[0]; e.Coop != "coop-x" || e.Data["task"] != f.task.ID || e.Data["by"] != "user-x" {
		t.Fatalf("event = %+v; want the co-op, the task and who answered", e)
	}
}

// Rule: a delivery of a kind this outbox does not know can never be sent:
// it is finished as unused rather than retried for ever.
func TestUnknownKindIsUnused(t *testing.T) {
	f, _, _ := strictFixture(t)
	d := &pathway.Delivery{ID: "d-unknown", Kind: "carrier-pigeon", Subject: pathway.CoopSubject("coop-x")}
	if res, err := f.ob.Send(t.Context(), d); res != outbox.Unused || err != nil {
		t.Fatalf("Send = %v, %v; want Unused", res, err)
	}
	if len(f.wf.sent()) != 0 {
		t.Fatalf("something reached the workflows")
	}
}

// Rule: a sweep that sent a delivery but could not record it logs that
// and goes on (the delivery is pending still, and will be sent again only
// to be found unused); a clean sweep logs no error.
func TestSweepLogsOnlyFailures(t *testing.T) {
	for _, tc := range []struct {
		name       string
		finish     error
		wantErrors int
	}{
		{"recorded", nil, 0},
		{"not recorded", errors.New("store down"), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, fs, logs := strictFixture(t)
			f.answer(t)
			fs.finish = tc.finish
			n, err := f.ob.Sweep(t.Context(), true)
			if n != 1 || err != nil {
				t.Fatalf("Sweep = %d, %v; want 1 sent", n, err)
			}
			if got := logs.errors(); got != tc.wantErrors {
				t.Fatalf("errors logged = %d, want %d", got, tc.wantErrors)
			}
		})
	}
}

// Rule: a sweep sends only what it has claimed. A conflict on the claim
// means another sweep has it (normal, not logged); any other failure to
// claim is logged. Either way the delivery is not sent by this sweep.
func TestSweepClaim(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retry      error
		wantErrors int
	}{
		{"claimed by another sweep", pathway.Errorf(pathway.ECONFLICT, "changed"), 0},
		{"the store failed", errors.New("store down"), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, fs, logs := strictFixture(t)
			f.answer(t)
			fs.retry = tc.retry
			if n, err := f.ob.Sweep(t.Context(), true); n != 0 || err != nil {
				t.Fatalf("Sweep = %d, %v; want nothing sent", n, err)
			}
			if len(f.wf.sent()) != 0 {
				t.Fatalf("an unclaimed delivery was sent")
			}
			if got := logs.errors(); got != tc.wantErrors {
				t.Fatalf("errors logged = %d, want %d", got, tc.wantErrors)
			}
		})
	}
}

// Rule: Run's first sweep, at start-up, sends everything pending, grace
// or not (the request that made it is gone); Run stops when its context
// ends.
func TestRunSweepsEverythingAtStartUp(t *testing.T) {
	f, _, _ := strictFixture(t)
	f.answer(t) // within its grace
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { f.ob.Run(ctx, time.Hour); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(f.wf.sent()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if got := f.wf.sent(); len(got) != 1 {
		t.Fatalf("answers sent at start-up = %v, want the one pending", got)
	}
}

// Rule: while running, a sweep that fails is logged (the next one tries
// again); Run does not stop for it.
func TestRunLogsAFailedSweep(t *testing.T) {
	f, fs, logs := strictFixture(t)
	fs.pending = errors.New("store down")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { f.ob.Run(ctx, time.Millisecond); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for logs.errors() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if got := logs.errors(); got < 2 {
		t.Fatalf("errors logged = %d; want each failed sweep logged and Run still sweeping", got)
	}
}
