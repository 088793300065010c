package states_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states"
)

const waitDay = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}}`

func startNamed(h *harness, machine, name, input string) (*states.Execution, error) {
	return h.e.StartExecution(context.Background(), states.StartExecutionInput{
		StateMachine: machine, Name: name, Input: json.RawMessage(input)})
}

func TestStartExecutionNameIsIdempotent(t *testing.T) {
	h := newHarness(t, states.Options{})
	h.machine("wf", waitDay)
	first, err := startNamed(h, "wf", "coop-1", `{"a":1}`)
	if err != nil {
		t.Fatal(err)
	}
	if first.Status != states.ExecRunning || first.Name != "coop-1" || first.StateMachineARN != h.e.StateMachineARN("wf") {
		t.Errorf("StartExecution = %+v, want RUNNING coop-1 of wf", first)
	}
	// Same name and input (keys in another order): the same execution.
	again, err := startNamed(h, "wf", "coop-1", `{ "a" : 1 }`)
	if err != nil || again.ARN != first.ARN {
		t.Fatalf("StartExecution again = %v, %v; want the same execution %s", again, err, first.ARN)
	}
	// Same name, other input: ExecutionAlreadyExists.
	if _, err := startNamed(h, "wf", "coop-1", `{"a":2}`); workflowErrName(err) != states.ErrExecutionAlreadyExists {
		t.Errorf("same name, other input = %v, want ExecutionAlreadyExists", err)
	}
	// By ARN as well as by name.
	if byARN, err := startNamed(h, h.e.StateMachineARN("wf"), "coop-1", `{"a":1}`); err != nil || byARN.ARN != first.ARN {
		t.Errorf("by state machine ARN = %v, %v; want %s", byARN, err, first.ARN)
	}
	list, err := h.e.ListExecutions(context.Background(), "wf", "")
	if err != nil || len(list) != 1 {
		t.Errorf("ListExecutions = %d executions (%v), want 1: retries never duplicate", len(list), err)
	}
	// Finished, the name still returns the same execution.
	h.finish(first.ARN)
	if done, err := startNamed(h, "wf", "coop-1", `{"a":1}`); err != nil || done.ARN != first.ARN || done.Status != states.ExecSucceeded {
		t.Errorf("after it finished = %+v, %v; want the SUCCEEDED execution", done, err)
	}
}

func TestStartExecutionErrors(t *testing.T) {
	h := newHarness(t, states.Options{})
	h.machine("wf", waitDay)
	tests := []struct {
		machine, name, input, want string
	}{
		{"nope", "x", `{}`, states.ErrStateMachineDoesNotExist},
		{"arn:aws:states:eu-west-2:000000000000:stateMachine:nope", "x", `{}`, states.ErrStateMachineDoesNotExist},
		{"wf", "x", `{not json`, states.ErrInvalidExecutionInput},
	}
	for _, tt := range tests {
		if _, err := startNamed(h, tt.machine, tt.name, tt.input); workflowErrName(err) != tt.want {
			t.Errorf("StartExecution(%s, %s, %s) = %v, want %s", tt.machine, tt.name, tt.input, err, tt.want)
		}
	}
}

func TestConcurrentStartsWithOneNameMakeOneExecution(t *testing.T) {
	h := newHarness(t, states.Options{})
	h.machine("wf", waitDay)
	arns := make(chan string, 20)
	for i := 0; i < 20; i++ {
		go func() {
			ex, err := startNamed(h, "wf", "same", `{"k":"v"}`)
			if err != nil {
				arns <- "error: " + err.Error()
				return
			}
			arns <- ex.ARN
		}()
	}
	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		seen[<-arns] = true
	}
	if len(seen) != 1 {
		t.Errorf("20 concurrent starts with one name gave %v, want one execution", seen)
	}
	h.e.WaitIdle()
	if p := h.clock.Pending(); p != 1 {
		t.Errorf("%d timers pending, want 1: the execution must run once", p)
	}
}

func TestDescribeAndListExecutions(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, states.Options{})
	h.machine("wf", waitDay)
	h.machine("fast", one(`{"Type":"Pass","End":true}`))
	a, _ := startNamed(h, "wf", "a", `{}`)
	h.clock.Advance(time.Minute)
	b, _ := startNamed(h, "wf", "b", `{}`)
	c, _ := startNamed(h, "fast", "c", `{}`)
	h.e.WaitIdle()
	if _, err := h.e.DescribeExecution(ctx, a.ARN+"-nope"); workflowErrName(err) != states.ErrExecutionDoesNotExist {
		t.Errorf("DescribeExecution(unknown) = %v, want ExecutionDoesNotExist", err)
	}
	if d := h.describe(a.ARN); !d.StartDate.Equal(t0) || d.Status != states.ExecRunning {
		t.Errorf("DescribeExecution = %+v, want RUNNING started at %v", d, t0)
	}
	list, err := h.e.ListExecutions(ctx, "wf", "")
	if err != nil || len(list) != 2 || list[0].ARN != b.ARN || list[1].ARN != a.ARN {
		t.Errorf("ListExecutions(wf) = %v, %v; want b then a (newest first)", names(list), err)
	}
	if list, _ := h.e.ListExecutions(ctx, "fast", states.ExecSucceeded); len(list) != 1 || list[0].ARN != c.ARN {
		t.Errorf("ListExecutions(fast, SUCCEEDED) = %v, want c", names(list))
	}
	if list, _ := h.e.ListExecutions(ctx, "wf", states.ExecSucceeded); len(list) != 0 {
		t.Errorf("ListExecutions(wf, SUCCEEDED) = %v, want none", names(list))
	}
	if _, err := h.e.ListExecutions(ctx, "nope", ""); workflowErrName(err) != states.ErrStateMachineDoesNotExist {
		t.Errorf("ListExecutions(unknown) = %v, want StateMachineDoesNotExist", err)
	}
}

func names(list []*states.Execution) []string {
	var ns []string
	for _, x := range list {
		ns = append(ns, x.Name)
	}
	return ns
}

func TestStopExecution(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, states.Options{})
	h.machine("wf", waitDay)
	ex, _ := startNamed(h, "wf", "stop-me", `{}`)
	h.e.WaitIdle()
	if err := h.e.StopExecution(ctx, ex.ARN, "Operator.Stopped", "withdrawn by the co-op"); err != nil {
		t.Fatalf("StopExecution: %v", err)
	}
	d := h.settle(ex.ARN)
	if d.Status != states.ExecAborted || d.Error != "Operator.Stopped" || d.Cause != "withdrawn by the co-op" || d.StopDate.IsZero() {
		t.Errorf("after StopExecution: %+v, want ABORTED with the error and cause", d)
	}
	if p := h.clock.Pending(); p != 0 {
		t.Errorf("%d timers still pending after the stop", p)
	}
	hist := history(h, ex.ARN)
	if last := hist[len(hist)-1]; last.Type != "ExecutionAborted" {
		t.Errorf("last event %s, want ExecutionAborted", last.Type)
	}
	if _, err := startNamed(h, "wf", "stop-me", `{"other":1}`); workflowErrName(err) != states.ErrExecutionAlreadyExists {
		t.Errorf("reusing a stopped execution's name with other input = %v, want ExecutionAlreadyExists", err)
	}
	if err := h.e.StopExecution(ctx, ex.ARN+"x", "", ""); workflowErrName(err) != states.ErrExecutionDoesNotExist {
		t.Errorf("StopExecution(unknown) = %v, want ExecutionDoesNotExist", err)
	}
}

func TestExecutionTimeoutSeconds(t *testing.T) {
	h := newHarness(t, states.Options{})
	h.machine("slow", `{"TimeoutSeconds":30,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`)
	d, _ := h.finish(h.start("slow", `{}`).ARN)
	if d.Status != states.ExecTimedOut || !d.StopDate.Equal(t0.Add(30*time.Second)) {
		t.Errorf("status %s stopped %v, want TIMED_OUT at 30s", d.Status, d.StopDate.Sub(t0))
	}
}

// The history uses AWS's event type names, in order, with increasing IDs.
func TestHistoryEventTypes(t *testing.T) {
	h := newHarness(t, states.Options{})
	h.handle("Echo", func(_ context.Context, in any) (any, error) { return in, nil })
	h.machine("hist", `{"StartAt":"P","States":{
		"P":{"Type":"Pass","Next":"L"},
		"L":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Echo","Next":"I"},
		"I":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Echo","Payload":{}},"Next":"C"},
		"C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"W"}],"Default":"W"},
		"W":{"Type":"Wait","Seconds":1,"Next":"D"},
		"D":{"Type":"Succeed"}}}`)
	ex := h.start("hist", `{}`)
	h.finish(ex.ARN)
	hist := history(h, ex.ARN)
	var types []string
	for i, ev := range hist {
		types = append(types, ev.Type)
		if ev.ID != int64(i+1) {
			t.Errorf("event %d has ID %d, want %d", i, ev.ID, i+1)
		}
	}
	want := []string{"ExecutionStarted", "PassStateEntered", "PassStateExited",
		"TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
		"TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
		"ChoiceStateEntered", "ChoiceStateExited", "WaitStateEntered", "WaitStateExited",
		"SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"}
	if !slices.Equal(types, want) {
		t.Errorf("history\n %q\nwant\n %q", types, want)
	}
	if hist[1].StateName != "P" || hist[1].Details["input"] != "{}" {
		t.Errorf("PassStateEntered = %+v, want state P with input {}", hist[1])
	}
	if _, err := h.e.GetExecutionHistory(context.Background(), ex.ARN+"x"); workflowErrName(err) != states.ErrExecutionDoesNotExist {
		t.Errorf("GetExecutionHistory(unknown) = %v, want ExecutionDoesNotExist", err)
	}
}
