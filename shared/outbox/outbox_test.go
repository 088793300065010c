package outbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

var t0 = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)

// fakeWorkflows records what reaches the workflows and fails on demand.
type fakeWorkflows struct {
	mu      sync.Mutex
	answers []string // tokens, in the order they arrived
	starts  []string // execution names
	err     error    // returned (once) by the next call
}

func (f *fakeWorkflows) SendTaskSuccess(_ context.Context, token string, _ json.RawMessage) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.err; err != nil {
		f.err = nil
		return err
	}
	f.answers = append(f.answers, token)
	return nil
}

func (f *fakeWorkflows) StartExecution(_ context.Context, _, name string, _ json.RawMessage) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.err; err != nil {
		f.err = nil
		return err
	}
	f.starts = append(f.starts, name)
	return nil
}

func (f *fakeWorkflows) fail(err error) { f.mu.Lock(); f.err = err; f.mu.Unlock() }

func (f *fakeWorkflows) sent() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.answers...)
}

// clock is a settable now.
type clock struct{ at atomic.Int64 }

func (c *clock) now() time.Time          { return time.Unix(0, c.at.Load()).UTC() }
func (c *clock) set(t time.Time)         { c.at.Store(t.UnixNano()) }
func (c *clock) advance(d time.Duration) { c.at.Add(int64(d)) }

// fixture is an outbox over a fresh store with two open tasks of one
// co-op holding the same token (a decision and its escalation).
type fixture struct {
	st    pathway.Store
	wf    *fakeWorkflows
	clock *clock
	ob    *outbox.Outbox
	task  *pathway.Task
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{st: testkit.LaggedStore(t), wf: &fakeWorkflows{}, clock: &clock{}}
	f.clock.set(t0)
	f.ob = outbox.New(f.st, f.wf, f.clock.now, nil)
	f.openTwin(t)
	return f
}

// openTwin opens the fixture's two tasks holding one token: a decision
// and its escalation.
func (f *fixture) openTwin(t *testing.T) {
	t.Helper()
	for _, id := range []string{"task-a", "task-a-escalation"} {
		task := &pathway.Task{ID: id, Kind: pathway.TaskPanelDecision, Coop: "coop-x", Organisation: "org-x",
			Role: pathway.RoleAgency, Title: "Decide on Coop X", Due: t0.Add(time.Hour), Token: "tok-a",
			Status: pathway.TaskOpen, CreatedAt: t0}
		if _, err := f.st.PutTask(t.Context(), task); err != nil {
			t.Fatal(err)
		}
		if f.task == nil {
			f.task = task
		}
	}
}

// answer completes the task with its delivery, as journey.Decide does.
func (f *fixture) answer(t *testing.T) *pathway.Delivery {
	t.Helper()
	d := f.ob.NewAnswer(f.task, "user-x", json.RawMessage(`{"outcome":"accept"}`))
	if _, err := f.st.CompleteTask(t.Context(), f.task.ID, pathway.TaskCompletion{
		By: "user-x", At: f.clock.now(), Status: pathway.TaskCompleted, Outcome: d.Payload, Delivery: d,
	}); err != nil {
		t.Fatal(err)
	}
	return d
}

func (f *fixture) pending(t *testing.T) []*pathway.Delivery {
	t.Helper()
	p, err := f.st.PendingDeliveries(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSendDeliversOnceAndClosesSiblings(t *testing.T) {
	f := newFixture(t)
	d := f.answer(t)
	if res, err := f.ob.Send(t.Context(), d); res != outbox.Sent || err != nil {
		t.Fatalf("Send = %v, %v; want Sent", res, err)
	}
	if got := f.wf.sent(); len(got) != 1 || got[0] != "tok-a" {
		t.Fatalf("answers sent = %v", got)
	}
	if p := f.pending(t); len(p) != 0 {
		t.Fatalf("pending after a sent delivery: %+v", p)
	}
	// The escalation held the same token: the workflow has its answer, so
	// it is closed too.
	open, _ := f.st.ListTasks(t.Context(), pathway.TaskFilter{Coop: "coop-x"})
	if len(open) != 0 {
		t.Fatalf("open tasks after the answer = %+v, want the sibling closed", open)
	}
	// A sweep has nothing left to send.
	if n, _ := f.ob.Sweep(t.Context(), true); n != 0 || len(f.wf.sent()) != 1 {
		t.Fatalf("a sweep after Send sent again")
	}
}

func TestSendUnusedIsRecorded(t *testing.T) {
	// The three Step Functions errors an adapter maps to ErrNotWaiting.
	for _, name := range []string{"TaskDoesNotExist", "TaskTimedOut", "InvalidToken"} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			d := f.answer(t)
			f.wf.fail(fmt.Errorf("%w: %s: gone", pathway.ErrNotWaiting, name))
			if res, err := f.ob.Send(t.Context(), d); res != outbox.Unused || err != nil {
				t.Fatalf("Send = %v, %v; want Unused", res, err)
			}
			if p := f.pending(t); len(p) != 0 {
				t.Fatalf("an unused answer is still pending: %+v", p)
			}
			page, _ := f.st.ListEvents(t.Context(), pathway.CoopSubject("coop-x"), "", 10)
			if len(page.Events) != 1 || page.Events[0].Action != pathway.ActionTaskNotUsed {
				t.Fatalf("events = %+v, want the answer recorded as not used", page.Events)
			}
		})
	}
}

func TestSendLaterBacksOffAndSweepRetries(t *testing.T) {
	f := newFixture(t)
	d := f.answer(t)
	f.wf.fail(errors.New("throttled"))
	if res, err := f.ob.Send(t.Context(), d); res != outbox.Later || err != nil {
		t.Fatalf("Send = %v, %v; want Later", res, err)
	}
	p := f.pending(t)
	if len(p) != 1 || p[0].Attempts != 1 || p[0].LastError != "throttled" || !p[0].NotBefore.Equal(t0.Add(5*time.Second)) {
		t.Fatalf("pending = %+v; want one attempt, retry in 5 s", p)
	}
	// Not due yet: a regular sweep leaves it.
	if n, _ := f.ob.Sweep(t.Context(), false); n != 0 || len(f.wf.sent()) != 0 {
		t.Fatalf("a sweep sent a delivery before it was due")
	}
	f.clock.advance(6 * time.Second)
	if n, err := f.ob.Sweep(t.Context(), false); n != 1 || err != nil {
		t.Fatalf("sweep when due = %d, %v; want 1", n, err)
	}
	if got := f.wf.sent(); len(got) != 1 {
		t.Fatalf("answers sent = %v", got)
	}
}

// A new delivery is left to the request that made it for Grace; a sweep
// at start-up (all) takes it at once.
func TestSweepLeavesNewDeliveriesToTheirRequest(t *testing.T) {
	f := newFixture(t)
	f.answer(t)
	if n, _ := f.ob.Sweep(t.Context(), false); n != 0 {
		t.Fatalf("a sweep took a delivery within its grace")
	}
	if n, _ := f.ob.Sweep(t.Context(), true); n != 1 {
		t.Fatalf("the start-up sweep did not send the delivery a crash left")
	}
}

// Concurrent sweeps claim each delivery before sending it, so the
// workflow gets each answer once.
func TestConcurrentSweepsSendOnce(t *testing.T) {
	f := newFixture(t)
	f.answer(t)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.ob.Sweep(t.Context(), true); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := f.wf.sent(); len(got) != 1 {
		t.Fatalf("10 concurrent sweeps sent %d answers, want 1", len(got))
	}
}

func TestStartDelivery(t *testing.T) {
	f := newFixture(t)
	d := f.ob.NewStart(pathway.CoopSubject("coop-x"), pathway.WorkflowApplication, "coop-x", json.RawMessage(`{}`), "u")
	c := &pathway.Coop{ID: "coop-x", Name: "Coop X", Programme: "p", LegalForm: pathway.FormCooperativeSociety,
		Origin: "new-start", LocalAuthority: "Calderdale", Services: []string{"home-care"},
		Members: []pathway.Member{{Name: "Invented Person", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Stage:   pathway.StageApplied, StageEnteredAt: t0}
	if err := f.st.CreateCoop(t.Context(), c, nil, d); err != nil {
		t.Fatal(err)
	}
	f.wf.fail(fmt.Errorf("%w: ExecutionAlreadyExists: exists", pathway.ErrAlreadyStarted))
	if res, err := f.ob.Send(t.Context(), d); res != outbox.Sent || err != nil {
		t.Fatalf("Send of a start that exists already = %v, %v; want Sent", res, err)
	}
	if p := f.pending(t); len(p) != 0 {
		t.Fatalf("pending = %+v", p)
	}
}

func TestOrHTTP(t *testing.T) {
	f := newFixture(t)
	f.answer(t)
	f.clock.advance(time.Minute)
	var httpCalls int
	h := f.ob.OrHTTP(func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		httpCalls++
		return events.APIGatewayV2HTTPResponse{StatusCode: 200}, nil
	})
	out, err := h(t.Context(), json.RawMessage(`{"source":"aws.events","detail-type":"Scheduled Event","detail":{}}`))
	if err != nil || out.(outbox.SweepResult).Sent != 1 || httpCalls != 0 {
		t.Fatalf("scheduled invocation = %+v, %v (http calls %d); want a sweep that sent 1", out, err, httpCalls)
	}
	if _, err := h(t.Context(), json.RawMessage(`{"version":"2.0","rawPath":"/healthz","requestContext":{"http":{"method":"GET"}}}`)); err != nil || httpCalls != 1 {
		t.Fatalf("HTTP invocation: %v, http calls %d", err, httpCalls)
	}
}
