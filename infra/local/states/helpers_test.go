package states_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/coopcarepathway/pathway/infra/local/states"
)

// t0 is when every fake clock starts.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// harness is an in-memory engine on a fake clock.
type harness struct {
	t     testing.TB
	e     *states.Engine
	clock *states.FakeClock
	n     atomic.Int64 // execution names
}

// newHarness starts an engine; opts.Clock is replaced by a FakeClock.
func newHarness(t testing.TB, opts states.Options) *harness {
	t.Helper()
	clock := states.NewFakeClock(t0)
	opts.Clock = clock
	e, err := states.New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return &harness{t: t, e: e, clock: clock}
}

// handle registers an in-process Lambda function on JSON values.
func (h *harness) handle(name string, f func(ctx context.Context, in any) (any, error)) {
	h.e.RegisterHandler(name, states.HandlerFunc(f))
}

// machine registers a definition and fails the test if it is refused.
func (h *harness) machine(name, def string) string {
	h.t.Helper()
	arn, err := h.e.AddStateMachine(name, []byte(def))
	if err != nil {
		h.t.Fatalf("AddStateMachine(%s): %v", name, err)
	}
	return arn
}

// start starts an execution of machine with a fresh name.
func (h *harness) start(machine, input string) *states.Execution {
	h.t.Helper()
	ex, err := h.e.StartExecution(context.Background(), states.StartExecutionInput{
		StateMachine: machine, Name: fmt.Sprintf("run-%d", h.n.Add(1)), Input: json.RawMessage(input)})
	if err != nil {
		h.t.Fatalf("StartExecution(%s): %v", machine, err)
	}
	return ex
}

// describe returns an execution, failing the test on error.
func (h *harness) describe(arn string) *states.Execution {
	h.t.Helper()
	d, err := h.e.DescribeExecution(context.Background(), arn)
	if err != nil {
		h.t.Fatalf("DescribeExecution: %v", err)
	}
	return d
}

// settle waits until the engine is idle and returns the execution.
func (h *harness) settle(arn string) *states.Execution {
	h.t.Helper()
	h.e.WaitIdle()
	return h.describe(arn)
}

// finish runs an execution to its end, advancing the fake clock to each
// timer in turn, and returns it with the timer delays it jumped over.
func (h *harness) finish(arn string) (*states.Execution, []time.Duration) {
	h.t.Helper()
	var delays []time.Duration
	for i := 0; ; i++ {
		d := h.settle(arn)
		if d.Status != states.ExecRunning {
			return d, delays
		}
		next, ok := h.clock.Next()
		if !ok {
			// A timer of no duration may still be starting its goroutine;
			// Wait sees the end whatever wakes the execution.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			d, err := h.e.Wait(ctx, arn)
			cancel()
			if err != nil {
				h.t.Fatalf("execution %s is stuck in %s: %v", arn, lastEntered(h, arn), err)
			}
			return d, delays
		}
		delay := next.Sub(h.clock.Now())
		delays = append(delays, delay)
		h.clock.Advance(delay)
		if i > 10000 {
			h.t.Fatalf("execution %s still runs after 10000 timers", arn)
		}
	}
}

// run registers def as a fresh machine, runs it on input to the end and
// returns the execution.
func (h *harness) run(def, input string) *states.Execution {
	h.t.Helper()
	name := fmt.Sprintf("m%d", h.n.Add(1))
	h.machine(name, def)
	d, _ := h.finish(h.start(name, input).ARN)
	return d
}

// runDef runs def on a new harness.
func runDef(t *testing.T, def, input string) *states.Execution {
	t.Helper()
	return newHarness(t, states.Options{}).run(def, input)
}

// history returns an execution's events.
func history(h *harness, arn string) []states.HistoryEvent {
	h.t.Helper()
	ev, err := h.e.GetExecutionHistory(context.Background(), arn)
	if err != nil {
		h.t.Fatalf("GetExecutionHistory: %v", err)
	}
	return ev
}

// entered lists the states entered (at any depth), in order.
func entered(h *harness, arn string) []string {
	var names []string
	for _, ev := range history(h, arn) {
		if strings.HasSuffix(ev.Type, "StateEntered") {
			names = append(names, ev.StateName)
		}
	}
	return names
}

// lastEntered names the last state entered, for failure messages.
func lastEntered(h *harness, arn string) string {
	names := entered(h, arn)
	if len(names) == 0 {
		return "no state"
	}
	return "state " + names[len(names)-1]
}

// wantSucceeded checks that an execution succeeded with output want.
func wantSucceeded(t testing.TB, d *states.Execution, want string) {
	t.Helper()
	if d.Status != states.ExecSucceeded {
		t.Fatalf("status %s (error %q, cause %q), want SUCCEEDED with %s", d.Status, d.Error, d.Cause, want)
	}
	jsonEqual(t, "output", d.Output, want)
}

// wantFailed checks that an execution failed with the error name.
func wantFailed(t testing.TB, d *states.Execution, errName string) {
	t.Helper()
	if d.Status != states.ExecFailed || d.Error != errName {
		t.Fatalf("status %s error %q (cause %q, output %s), want FAILED with %s", d.Status, d.Error, d.Cause, d.Output, errName)
	}
}

// jsonEqual compares JSON documents by value.
func jsonEqual(t testing.TB, what string, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %q is not JSON: %v", what, got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: the wanted %q is not JSON: %v", what, want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("%s = %s, want %s", what, got, want)
	}
}

// decode parses a JSON document into a generic value.
func decode(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%q is not JSON: %v", b, err)
	}
	return v
}

// lambdaErr is an error as a Lambda runtime reports it: its Type becomes
// the States error name.
func lambdaErr(name, msg string) error {
	return messages.InvokeResponse_Error{Type: name, Message: msg}
}

// workflowErrName returns the API error name of err, or "".
func workflowErrName(err error) string {
	var we *states.APIError
	if errors.As(err, &we) {
		return we.Name
	}
	return ""
}

// tokens collects task tokens handed to a callback handler.
type tokens struct {
	mu   sync.Mutex
	list []string
	ins  []any
}

// handler returns a Lambda function that records $.token of its payload.
func (tk *tokens) handler() func(context.Context, any) (any, error) {
	return func(_ context.Context, in any) (any, error) {
		m, _ := in.(map[string]any)
		tok, _ := m["token"].(string)
		tk.mu.Lock()
		tk.list = append(tk.list, tok)
		tk.ins = append(tk.ins, in)
		tk.mu.Unlock()
		return map[string]any{"accepted": true}, nil
	}
}

// all returns the tokens seen so far.
func (tk *tokens) all() []string {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	return append([]string(nil), tk.list...)
}

// last returns the last token, failing the test if there is none.
func (tk *tokens) last(t testing.TB) string {
	t.Helper()
	all := tk.all()
	if len(all) == 0 || all[len(all)-1] == "" {
		t.Fatalf("no task token was handed to the callback handler (tokens %q)", all)
	}
	return all[len(all)-1]
}

// one wraps a single state as a machine: {"StartAt":"S","States":{"S":state}}.
func one(state string) string {
	return `{"StartAt":"S","States":{"S":` + state + `}}`
}
