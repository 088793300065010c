package states_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/coopcarepathway/pathway/infra/local/states"
)

// greetEvent and greeting are a typed Go Lambda handler's event and
// result, as functions/<name> declares them.
type greetEvent struct {
	Name string `json:"name"`
}

type greeting struct {
	Greeting string `json:"greeting"`
}

// greet is registered through lambda.NewHandler, exactly as a function's
// main would hand it to the Lambda runtime.
func greet(_ context.Context, ev greetEvent) (greeting, error) {
	if ev.Name == "" {
		return greeting{}, errors.New("name is required")
	}
	return greeting{Greeting: "Hello, " + ev.Name}, nil
}

// greetHandlers are the two ways to register greet: TypedHandler, and
// lambda.NewHandler itself (run one call at a time); both must behave as
// the Lambda runtime does.
var greetHandlers = map[string]func() states.Handler{
	"TypedHandler":      func() states.Handler { return states.TypedHandler(greet) },
	"lambda.NewHandler": func() states.Handler { return lambda.NewHandler(greet) },
}

func TestLambdaInvokeResponseShape(t *testing.T) {
	tests := []struct {
		name, state, input, want string
	}{
		{"lambda:invoke wraps the Payload", `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
			"Parameters":{"FunctionName":"Greet","Payload":{"name.$":"$.who"}},"End":true}`,
			`{"who":"Ash Example"}`, ``},
		{"lambda:invoke with the usual ResultSelector", `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
			"Parameters":{"FunctionName":"arn:aws:lambda:eu-west-2:000000000000:function:Greet:$LATEST","Payload.$":"$"},
			"ResultSelector":{"body.$":"$.Payload"},"ResultPath":"$.out","End":true}`,
			`{"name":"Ash Example"}`, `{"name":"Ash Example","out":{"body":{"greeting":"Hello, Ash Example"}}}`},
		{"a plain function ARN returns the function's output", `{"Type":"Task",
			"Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Greet","End":true}`,
			`{"name":"Rowan Example"}`, `{"greeting":"Hello, Rowan Example"}`},
	}
	for reg, greetHandler := range greetHandlers {
		for _, tt := range tests {
			t.Run(reg+"/"+tt.name, func(t *testing.T) {
				h := newHarness(t, states.Options{})
				h.e.RegisterHandler("Greet", greetHandler())
				d := h.run(one(tt.state), tt.input)
				if tt.want != "" {
					wantSucceeded(t, d, tt.want)
					return
				}
				if d.Status != states.ExecSucceeded {
					t.Fatalf("status %s %s %s", d.Status, d.Error, d.Cause)
				}
				out, _ := decode(t, d.Output).(map[string]any)
				if out["StatusCode"] != 200.0 || out["ExecutedVersion"] != "$LATEST" {
					t.Errorf("output %s, want StatusCode 200 and ExecutedVersion $LATEST", d.Output)
				}
				jsonEqual(t, "Payload", mustJSON(t, out["Payload"]), `{"greeting":"Hello, Ash Example"}`)
			})
		}
	}
}

func TestLambdaFunctionErrors(t *testing.T) {
	tests := []struct {
		resource, params string
	}{
		{"arn:aws:states:::lambda:invoke", `"Parameters":{"FunctionName":"Greet","Payload":{}}`},
		{"arn:aws:lambda:eu-west-2:000000000000:function:Greet", `"Parameters":{}`},
	}
	for reg, greetHandler := range greetHandlers {
		for _, tt := range tests {
			t.Run(reg+"/"+tt.resource, func(t *testing.T) {
				h := newHarness(t, states.Options{})
				h.e.RegisterHandler("Greet", greetHandler())
				d := h.run(one(`{"Type":"Task","Resource":"`+tt.resource+`",`+tt.params+`,"End":true}`), `{}`)
				// The Go runtime names an errors.New error "errorString".
				wantFailed(t, d, "errorString")
				var cause map[string]any
				if err := json.Unmarshal([]byte(d.Cause), &cause); err != nil || cause["errorMessage"] != "name is required" {
					t.Errorf("cause %q, want the Lambda error document with the message", d.Cause)
				}
			})
		}
	}
}

// A definition the engine cannot run is refused when it is added, with
// an error naming the state and the field.
func TestDefinitionErrorsNameStateAndField(t *testing.T) {
	tests := []struct {
		name, def string
		want      []string
	}{
		{"unknown function", one(`{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Nobody","End":true}`), []string{"S", "Nobody"}},
		{"unknown FunctionName", one(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Nobody","Payload":{}},"End":true}`), []string{"S", "Nobody"}},
		{"unsupported resource", one(`{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{},"End":true}`), []string{"S", "sqs:sendMessage"}},
		{"unknown Next target", one(`{"Type":"Pass","Next":"Nowhere"}`), []string{"S", "Next", "Nowhere"}},
		{"no terminal state", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}`, []string{"terminal"}},
		{"unreachable state", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"Island":{"Type":"Pass","End":true}}}`, []string{"Island", "unreachable"}},
		{"bad path", one(`{"Type":"Pass","InputPath":"$.a[","End":true}`), []string{"S", "InputPath"}},
		{"Seconds and SecondsPath", one(`{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true}`), []string{"S", "SecondsPath"}},
		{"nested state", one(`{"Type":"Parallel","End":true,"Branches":[{"StartAt":"Inner","States":{"Inner":{"Type":"Pass","ResultPath":"bad","End":true}}}]}`), []string{"Inner", "ResultPath"}},
		{"not JSON", `{"StartAt":`, []string{"JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, states.Options{})
			_, err := h.e.AddStateMachine("bad", []byte(tt.def))
			if err == nil {
				t.Fatal("AddStateMachine accepted the definition")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// TimeoutSeconds on a synchronous Lambda call: the task fails with
// States.Timeout when the function runs too long, and the function's
// context is cancelled.
func TestLambdaTaskTimeout(t *testing.T) {
	h := newHarness(t, states.Options{})
	started := make(chan struct{}, 1)
	cancelled := make(chan struct{}, 1)
	h.handle("Slow", func(ctx context.Context, in any) (any, error) {
		if m, _ := in.(map[string]any); m["fast"] == true {
			return "quick", nil
		}
		started <- struct{}{}
		<-ctx.Done()
		cancelled <- struct{}{}
		return nil, ctx.Err()
	})
	h.machine("slow", one(`{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Slow","TimeoutSeconds":5,"End":true}`))
	d, _ := h.finish(h.start("slow", `{"fast":true}`).ARN)
	wantSucceeded(t, d, `"quick"`)

	ex := h.start("slow", `{"fast":false}`)
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the function was never called")
	}
	h.clock.Advance(4 * time.Second)
	if d := h.describe(ex.ARN); d.Status != states.ExecRunning {
		t.Fatalf("status %s at 4s of a 5s timeout", d.Status)
	}
	h.clock.Advance(time.Second)
	select {
	case <-cancelled:
	case <-time.After(10 * time.Second):
		t.Fatal("the function's context was not cancelled at the timeout")
	}
	wantFailed(t, h.settle(ex.ARN), "States.Timeout")
}

// callback is a machine whose Task waits for a token handed to Notify.
func callback(fields string) string {
	return `{"StartAt":"Ask","States":{
		"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
			"Parameters":{"FunctionName":"Notify","Payload":{"token.$":"$$.Task.Token","who.$":"$.who"}},` + fields + `
			"Catch":[{"ErrorEquals":["Rejected"],"ResultPath":"$.error","Next":"Refused"}],"Next":"Done"},
		"Refused":{"Type":"Pass","End":true},
		"Done":{"Type":"Succeed"}}}`
}

// startCallback starts the callback machine with fields on a new harness,
// with a Notify function that records the tokens it is handed.
func startCallback(t *testing.T, fields, input string) (*harness, *tokens, *states.Execution) {
	t.Helper()
	h := newHarness(t, states.Options{})
	tk := &tokens{}
	h.handle("Notify", tk.handler())
	h.machine("cb", callback(fields))
	return h, tk, h.start("cb", input)
}

func TestWaitForTaskToken(t *testing.T) {
	ctx := context.Background()
	t.Run("SendTaskSuccess output is the task result", func(t *testing.T) {
		h, tk, ex := startCallback(t, `"ResultPath":"$.answer",`, `{"who":"Ash Example"}`)
		if d := h.settle(ex.ARN); d.Status != states.ExecRunning {
			t.Fatalf("status %s while waiting for the callback", d.Status)
		}
		tok := tk.last(t)
		if in, _ := tk.ins[0].(map[string]any); in["who"] != "Ash Example" {
			t.Errorf("the function got %v, want the Payload with who", tk.ins[0])
		}
		if err := h.e.SendTaskSuccess(ctx, tok, json.RawMessage(`{"approved":true}`)); err != nil {
			t.Fatalf("SendTaskSuccess: %v", err)
		}
		d, _ := h.finish(ex.ARN)
		wantSucceeded(t, d, `{"who":"Ash Example","answer":{"approved":true}}`)
		if err := h.e.SendTaskSuccess(ctx, tok, json.RawMessage(`{}`)); !oneOf(workflowErrName(err), states.ErrTaskDoesNotExist, states.ErrTaskTimedOut) {
			t.Errorf("a second SendTaskSuccess = %v, want TaskDoesNotExist or TaskTimedOut", err)
		}
	})
	t.Run("SendTaskFailure fails the task", func(t *testing.T) {
		h, tk, ex := startCallback(t, "", `{"who":"Ash Example"}`)
		h.e.WaitIdle()
		if err := h.e.SendTaskFailure(ctx, tk.last(t), "Rejected", "not this time"); err != nil {
			t.Fatalf("SendTaskFailure: %v", err)
		}
		d, _ := h.finish(ex.ARN)
		wantSucceeded(t, d, `{"who":"Ash Example","error":{"Error":"Rejected","Cause":"not this time"}}`)
	})
	t.Run("an unknown token", func(t *testing.T) {
		h := newHarness(t, states.Options{})
		for name, err := range map[string]error{
			"SendTaskSuccess":   h.e.SendTaskSuccess(ctx, "no-such-token", json.RawMessage(`{}`)),
			"SendTaskFailure":   h.e.SendTaskFailure(ctx, "no-such-token", "E", "c"),
			"SendTaskHeartbeat": h.e.SendTaskHeartbeat(ctx, "no-such-token"),
		} {
			if !oneOf(workflowErrName(err), states.ErrTaskDoesNotExist, states.ErrInvalidToken) {
				t.Errorf("%s(unknown token) = %v, want TaskDoesNotExist or InvalidToken", name, err)
			}
		}
	})
	t.Run("SendTaskSuccess with invalid JSON", func(t *testing.T) {
		h, tk, ex := startCallback(t, "", `{"who":"Ash Example"}`)
		h.e.WaitIdle()
		if err := h.e.SendTaskSuccess(ctx, tk.last(t), json.RawMessage(`{not json`)); err == nil {
			t.Error("SendTaskSuccess accepted output that is not JSON")
		}
		if d := h.settle(ex.ARN); d.Status != states.ExecRunning {
			t.Errorf("status %s after a refused SendTaskSuccess, want RUNNING", d.Status)
		}
	})
}

func TestHeartbeatsAndTimeouts(t *testing.T) {
	ctx := context.Background()
	fields := `"HeartbeatSeconds":10,"TimeoutSeconds":60,`
	t.Run("no heartbeat: HeartbeatTimeout after HeartbeatSeconds", func(t *testing.T) {
		h, tk, ex := startCallback(t, fields, `{"who":"x"}`)
		h.e.WaitIdle()
		h.clock.Advance(9 * time.Second)
		if d := h.settle(ex.ARN); d.Status != states.ExecRunning {
			t.Fatalf("status %s at 9s, want RUNNING", d.Status)
		}
		h.clock.Advance(time.Second)
		d := h.settle(ex.ARN)
		wantFailed(t, d, "States.HeartbeatTimeout")
		if err := h.e.SendTaskSuccess(ctx, tk.last(t), json.RawMessage(`{}`)); workflowErrName(err) != states.ErrTaskTimedOut {
			t.Errorf("SendTaskSuccess after the timeout = %v, want TaskTimedOut", err)
		}
	})
	t.Run("heartbeats keep it alive until TimeoutSeconds", func(t *testing.T) {
		h, tk, ex := startCallback(t, fields, `{"who":"x"}`)
		h.e.WaitIdle()
		for at := 8; at < 60; at += 8 {
			h.clock.Advance(8 * time.Second)
			if d := h.settle(ex.ARN); d.Status != states.ExecRunning {
				t.Fatalf("status %s at %ds with heartbeats every 8s, want RUNNING", d.Status, at)
			}
			if err := h.e.SendTaskHeartbeat(ctx, tk.last(t)); err != nil {
				t.Fatalf("SendTaskHeartbeat at %ds: %v", at, err)
			}
		}
		h.clock.Advance(4 * time.Second) // 60s
		d := h.settle(ex.ARN)
		wantFailed(t, d, "States.Timeout")
		if err := h.e.SendTaskHeartbeat(ctx, tk.last(t)); workflowErrName(err) != states.ErrTaskTimedOut {
			t.Errorf("SendTaskHeartbeat after the timeout = %v, want TaskTimedOut", err)
		}
	})
	t.Run("TimeoutSecondsPath and HeartbeatSecondsPath", func(t *testing.T) {
		h, _, ex := startCallback(t, `"TimeoutSecondsPath":"$.limit","HeartbeatSecondsPath":"$.beat",`, `{"who":"x","limit":30,"beat":20}`)
		_, delays := h.finish(ex.ARN)
		d := h.describe(ex.ARN)
		wantFailed(t, d, "States.HeartbeatTimeout")
		if !d.StopDate.Equal(t0.Add(20 * time.Second)) {
			t.Errorf("failed at %v (timers %v), want at the 20s heartbeat", d.StopDate.Sub(t0), delays)
		}
	})
}

func TestStartExecutionTask(t *testing.T) {
	child := `{"StartAt":"Work","States":{"Work":{"Type":"Choice",
		"Choices":[{"Variable":"$.fail","BooleanEquals":true,"Next":"Boom"}],"Default":"Ok"},
		"Boom":{"Type":"Fail","Error":"Child.Failed","Cause":"asked to"},
		"Ok":{"Type":"Pass","Parameters":{"doubled.$":"States.MathAdd($.n, $.n)"},"End":true}}}`
	parent := func(resource string) string {
		return one(`{"Type":"Task","Resource":"` + resource + `",
			"Parameters":{"StateMachineArn":"arn:aws:states:eu-west-2:000000000000:stateMachine:child","Input":{"n.$":"$.n","fail.$":"$.fail"}},
			"ResultPath":"$.child","End":true}`)
	}
	// start runs the parent over the child machine, returning the harness
	// too so that a test can follow the child.
	start := func(t *testing.T, resource, input string) (*harness, *states.Execution) {
		t.Helper()
		h := newHarness(t, states.Options{})
		h.machine("child", child)
		return h, h.run(parent(resource), input)
	}
	// childResult is what the task left at $.child of a parent that
	// succeeded.
	childResult := func(t *testing.T, d *states.Execution) map[string]any {
		t.Helper()
		if d.Status != states.ExecSucceeded {
			t.Fatalf("status %s %s %s", d.Status, d.Error, d.Cause)
		}
		res, _ := decode(t, d.Output).(map[string]any)["child"].(map[string]any)
		return res
	}
	t.Run("startExecution returns at once", func(t *testing.T) {
		h, d := start(t, "arn:aws:states:::states:startExecution", `{"n":2,"fail":false}`)
		res := childResult(t, d)
		arn, _ := res["ExecutionArn"].(string)
		if !strings.HasPrefix(arn, "arn:aws:states:eu-west-2:000000000000:execution:child:") || res["StartDate"] == nil {
			t.Fatalf("result %v, want ExecutionArn of a child execution and StartDate", res)
		}
		c, _ := h.finish(arn)
		wantSucceeded(t, c, `{"doubled":4}`)
		jsonEqual(t, "child input", c.Input, `{"n":2,"fail":false}`)
	})
	t.Run(".sync:2 waits and returns the output as JSON", func(t *testing.T) {
		_, d := start(t, "arn:aws:states:::states:startExecution.sync:2", `{"n":3,"fail":false}`)
		res := childResult(t, d)
		if res["Status"] != "SUCCEEDED" {
			t.Errorf("child result %v, want Status SUCCEEDED", res)
		}
		jsonEqual(t, "child Output", mustJSON(t, res["Output"]), `{"doubled":6}`)
	})
	t.Run(".sync:2 fails when the child fails", func(t *testing.T) {
		_, d := start(t, "arn:aws:states:::states:startExecution.sync:2", `{"n":3,"fail":true}`)
		wantFailed(t, d, "States.TaskFailed")
	})
	t.Run(".sync returns the output as a JSON string", func(t *testing.T) {
		_, d := start(t, "arn:aws:states:::states:startExecution.sync", `{"n":4,"fail":false}`)
		res := childResult(t, d)
		text, ok := res["Output"].(string)
		if !ok || res["Status"] != "SUCCEEDED" {
			t.Fatalf("child result %v, want Status SUCCEEDED and Output as a string", res)
		}
		jsonEqual(t, "child Output", []byte(text), `{"doubled":8}`)
	})
	t.Run("unknown child machine", func(t *testing.T) {
		h := newHarness(t, states.Options{})
		d := h.run(parent("arn:aws:states:::states:startExecution.sync:2"), `{"n":1,"fail":false}`)
		if d.Status != states.ExecFailed || !strings.Contains(d.Error+d.Cause, "StateMachineDoesNotExist") {
			t.Errorf("status %s error %q cause %q, want FAILED naming StateMachineDoesNotExist", d.Status, d.Error, d.Cause)
		}
	})
}

// A handler that panics fails the task instead of the engine.
func TestHandlerPanicFailsTheTask(t *testing.T) {
	h := newHarness(t, states.Options{})
	h.handle("Boom", func(context.Context, any) (any, error) { panic("kaboom") })
	d := h.run(`{"StartAt":"T","States":{
		"T":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Boom",
			"Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.e","Next":"C"}],"End":true},
		"C":{"Type":"Pass","End":true}}}`, `{}`)
	if d.Status != states.ExecSucceeded || !strings.Contains(string(d.Output), "kaboom") {
		t.Errorf("status %s output %s (error %s), want the panic caught as a task failure mentioning it", d.Status, d.Output, d.Error)
	}
}

// oneOf reports whether s is one of the options.
func oneOf(s string, options ...string) bool {
	return slices.Contains(options, s)
}
