package states

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const tokenOnly = `{"StartAt":"Ask","States":{
 "Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
   "Parameters":{"FunctionName":"Notify","Payload":{"token.$":"$$.Task.Token"}},
   "HeartbeatSeconds":60,"TimeoutSeconds":600,"End":true}}}`

// memEngine is an in-memory engine on a fake clock with a Notify function
// that records the last token it was given.
func memEngine(t *testing.T, def string) (*Engine, *FakeClock, *atomic.Value) {
	t.Helper()
	clock := NewFakeClock(start0)
	e, err := New(Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	var token atomic.Value
	e.RegisterHandler("Notify", HandlerFunc(func(ctx context.Context, in any) (any, error) {
		token.Store(in.(map[string]any)["token"].(string))
		return nil, nil
	}))
	if _, err := e.AddStateMachine("m", []byte(def)); err != nil {
		t.Fatal(err)
	}
	return e, clock, &token
}

// TestAPIErrorNames checks the error names of the API calls, as AWS
// gives them.
func TestAPIErrorNames(t *testing.T) {
	e, _, token := memEngine(t, tokenOnly)
	ctx := context.Background()
	_, err := e.StartExecution(ctx, StartExecutionInput{StateMachine: "nope", Name: "x"})
	wantAPIError(t, err, ErrStateMachineDoesNotExist)
	_, err = e.StartExecution(ctx, StartExecutionInput{StateMachine: "m", Name: "x", Input: json.RawMessage(`{"a":`)})
	wantAPIError(t, err, ErrInvalidExecutionInput)

	a, err := e.StartExecution(ctx, StartExecutionInput{StateMachine: "m", Name: "x", Input: json.RawMessage(`{"a":1,"b":2}`)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.StartExecution(ctx, StartExecutionInput{StateMachine: e.StateMachineARN("m"), Name: "x", Input: json.RawMessage(`{"b":2, "a":1}`)})
	if err != nil || b.ARN != a.ARN {
		t.Fatalf("same name and input: %v, %v; want the same execution", b, err)
	}
	_, err = e.StartExecution(ctx, StartExecutionInput{StateMachine: "m", Name: "x", Input: json.RawMessage(`{"a":2}`)})
	wantAPIError(t, err, ErrExecutionAlreadyExists)
	_, err = e.DescribeExecution(ctx, a.ARN+"-missing")
	wantAPIError(t, err, ErrExecutionDoesNotExist)

	e.WaitIdle()
	tok := token.Load().(string)
	wantAPIError(t, e.SendTaskSuccess(ctx, "not a token", json.RawMessage(`{}`)), ErrInvalidToken)
	forged := base64.RawURLEncoding.EncodeToString([]byte(e.executionARN("m", "ghost") + "\nr\n" + strings.Repeat("ab", 16)))
	wantAPIError(t, e.SendTaskSuccess(ctx, forged, json.RawMessage(`{}`)), ErrTaskDoesNotExist)
	if err := e.SendTaskHeartbeat(ctx, tok); err != nil {
		t.Fatalf("heartbeat: %v", err)
	}
	if err := e.SendTaskFailure(ctx, tok, "Refused", "the council said no"); err != nil {
		t.Fatal(err)
	}
	d, _ := e.Wait(ctx, a.ARN)
	if d.Status != ExecFailed || d.Error != "Refused" || d.Cause != "the council said no" {
		t.Fatalf("got %s %s %s, want FAILED Refused", d.Status, d.Error, d.Cause)
	}
	wantAPIError(t, e.SendTaskSuccess(ctx, tok, json.RawMessage(`{}`)), ErrTaskTimedOut)
	wantAPIError(t, e.SendTaskHeartbeat(ctx, tok), ErrTaskTimedOut)
}

// TestHeartbeatKeepsTaskAlive sends heartbeats more often than
// HeartbeatSeconds until the task's own timeout ends it.
func TestHeartbeatKeepsTaskAlive(t *testing.T) {
	e, clock, token := memEngine(t, tokenOnly)
	ctx := context.Background()
	x, err := e.StartExecution(ctx, StartExecutionInput{StateMachine: "m", Name: "hb"})
	if err != nil {
		t.Fatal(err)
	}
	e.WaitIdle()
	for range 9 {
		clock.Advance(50 * time.Second)
		if err := e.SendTaskHeartbeat(ctx, token.Load().(string)); err != nil {
			t.Fatalf("heartbeat at %s: %v", clock.Now().Sub(start0), err)
		}
	}
	clock.Advance(59 * time.Second) // 509 s: the heartbeat of 450 s is still good
	e.WaitIdle()
	if d, _ := e.DescribeExecution(ctx, x.ARN); d.Status != ExecRunning {
		t.Fatalf("status %s before the timeout, want RUNNING", d.Status)
	}
	clock.Advance(time.Minute) // 569 s: no heartbeat since 450 s
	d, _ := e.Wait(ctx, x.ARN)
	if d.Error != "States.HeartbeatTimeout" {
		t.Fatalf("got %s %s, want States.HeartbeatTimeout", d.Status, d.Error)
	}
}

// TestStopExecutionDropsCallback aborts a waiting execution: its token is
// dead and it is ABORTED with the given error.
func TestStopExecutionDropsCallback(t *testing.T) {
	e, clock, token := memEngine(t, tokenOnly)
	ctx := context.Background()
	x, _ := e.StartExecution(ctx, StartExecutionInput{StateMachine: "m", Name: "stop"})
	e.WaitIdle()
	if err := e.StopExecution(ctx, x.ARN, "Withdrawn", "the applicant withdrew"); err != nil {
		t.Fatal(err)
	}
	d, _ := e.DescribeExecution(ctx, x.ARN)
	if d.Status != ExecAborted || d.Error != "Withdrawn" {
		t.Fatalf("got %s %s, want ABORTED Withdrawn", d.Status, d.Error)
	}
	if clock.Pending() != 0 {
		t.Fatalf("%d timers still pending after the stop", clock.Pending())
	}
	wantAPIError(t, e.SendTaskSuccess(ctx, token.Load().(string), json.RawMessage(`{}`)), ErrTaskTimedOut)
	list, err := e.ListExecutions(ctx, "m", ExecAborted)
	if err != nil || len(list) != 1 || list[0].ARN != x.ARN {
		t.Fatalf("ListExecutions(ABORTED) = %v, %v", list, err)
	}
}

// TestLoadTemplate loads a SAM template with short-form tags and checks
// the substitutions reach the definition.
func TestLoadTemplate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("template.yaml", `Resources:
  GreetFunction:
    Type: AWS::Serverless::Function
    Properties: {Handler: bootstrap}
  Child:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: workflows/child.asl.json
  Parent:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: workflows/parent.asl.json
      DefinitionSubstitutions:
        GreetArn: !GetAtt GreetFunction.Arn
        ChildArn: !Ref Child
        Word: hello
`)
	write("workflows/child.asl.json", `{"StartAt":"Done","States":{"Done":{"Type":"Pass","Result":{"child":true},"End":true}}}`)
	write("workflows/parent.asl.json", `{"StartAt":"Greet","States":{
  "Greet":{"Type":"Task","Resource":"${GreetArn}","Parameters":{"w":"${Word}"},"Next":"Run"},
  "Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
    "Parameters":{"StateMachineArn":"${ChildArn}","Input":{}},"OutputPath":"$.Output","End":true}}}`)

	e, err := New(Options{Clock: NewFakeClock(start0)})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var got atomic.Value
	e.RegisterHandler("GreetFunction", HandlerFunc(func(ctx context.Context, in any) (any, error) {
		got.Store(toJSON(in))
		return in, nil
	}))
	if err := e.LoadTemplate(filepath.Join(dir, "template.yaml")); err != nil {
		t.Fatal(err)
	}
	x, err := e.StartExecution(context.Background(), StartExecutionInput{StateMachine: "parent", Name: "p"})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := e.Wait(context.Background(), x.ARN)
	if d.Status != ExecSucceeded || string(d.Output) != `{"child":true}` {
		t.Fatalf("got %s %s %s output %s", d.Status, d.Error, d.Cause, d.Output)
	}
	if got.Load() != `{"w":"hello"}` {
		t.Fatalf("the function got %v", got.Load())
	}

	write("workflows/parent.asl.json", `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"${Missing}","End":true}}}`)
	err = e.LoadTemplate(filepath.Join(dir, "template.yaml"))
	if err == nil || !strings.Contains(err.Error(), "Parent") || !strings.Contains(err.Error(), "${Missing}") {
		t.Fatalf("unsubstituted placeholder: error %v, want one naming Parent and ${Missing}", err)
	}
}

// Execution names follow AWS's rules: at most 80 characters, no white
// space, no control characters, none of <>{}[]?*"#%\^|~`$&,;:/.
func TestCheckName(t *testing.T) {
	for _, name := range []string{"coop-1", "a_b.c(d)!@'+=", "ünïcödé", strings.Repeat("x", 80)} {
		if err := checkName(name); err != nil {
			t.Errorf("checkName(%q) = %v, want nil", name, err)
		}
	}
	bad := []string{strings.Repeat("x", 81), "a b", "a\tb", "a\x7fb", "a\u2003b", "a\u0085b"}
	for _, c := range "<>{}[]?*\"#%\\^|~`$&,;:/" {
		bad = append(bad, "a"+string(c)+"b")
	}
	for _, name := range bad {
		wantAPIError(t, checkName(name), ErrInvalidName)
	}
}
