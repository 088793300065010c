package states

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// A callback nobody will send and no timer will end cannot be driven by
// the fake clock: execute stops the execution instead of hanging.
func TestExecuteStopsAnExecutionNothingWillMove(t *testing.T) {
	def := `{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"Parameters":{"FunctionName":"Notify","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}`
	clock := newTestClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	e, err := New(Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	e.RegisterHandler("Notify", HandlerFunc(func(context.Context, any) (any, error) { return nil, nil }))
	if _, err := e.AddStateMachine("cb", []byte(def)); err != nil {
		t.Fatal(err)
	}
	parsed, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	res, err := execute(e, clock, "cb", `{}`, parsed)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "ABORTED" || res.Error != "StatesTest.Stuck" || !strings.Contains(res.Cause, "callback") {
		t.Errorf("result %+v, want ABORTED by StatesTest.Stuck explaining the callback", res)
	}
	if len(res.States) != 1 || res.States[0] != "Ask" || string(res.Output) != "" {
		t.Errorf("states %q output %s, want [Ask] and no output", res.States, res.Output)
	}
}

// Immediate timers run on their own goroutine; settle must wait for the
// work they start, or the command would think the execution stuck.
func TestSettleWaitsForImmediateTimers(t *testing.T) {
	// FULL jitter of 0 makes every retry interval zero: immediate timers.
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Flaky",
		"Retry":[{"ErrorEquals":["E"],"JitterStrategy":"FULL","MaxAttempts":5}],"End":true}}}`
	parsed, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		clock := newTestClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		e, err := New(Options{Clock: clock, Jitter: func() float64 { return 0 }})
		if err != nil {
			t.Fatal(err)
		}
		calls := 0 // attempts of one execution run one after another
		e.RegisterHandler("Flaky", HandlerFunc(func(context.Context, any) (any, error) {
			calls++
			if calls < 4 {
				return nil, &asl.Error{Name: "E", Cause: "again"}
			}
			return "ok", nil
		}))
		if _, err := e.AddStateMachine("f", []byte(def)); err != nil {
			t.Fatal(err)
		}
		res, err := execute(e, clock, "f", `{}`, parsed)
		e.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != "SUCCEEDED" || string(res.Output) != `"ok"` {
			t.Fatalf("run %d: %+v, want SUCCEEDED with \"ok\" after three immediate retries", i, res)
		}
	}
}
