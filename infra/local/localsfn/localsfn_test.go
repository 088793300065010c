package localsfn_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// ask waits for an answer: its task hands its token to the Ask function.
const ask = `{"StartAt":"Ask","States":{"Ask":{"Type":"Task",
	"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
	"Parameters":{"FunctionName":"Ask","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}`

func newPort(t *testing.T) (pathway.Workflows, *states.Engine, chan string) {
	t.Helper()
	e, err := states.New(states.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	tokens := make(chan string, 4)
	e.RegisterHandler("Ask", states.HandlerFunc(func(_ context.Context, in any) (any, error) {
		tokens <- in.(map[string]any)["token"].(string)
		return nil, nil
	}))
	if _, err := e.AddStateMachine(pathway.WorkflowApplication, []byte(ask)); err != nil {
		t.Fatal(err)
	}
	return localsfn.New(e), e, tokens
}

func TestStartIsIdempotentByName(t *testing.T) {
	wf, e, _ := newPort(t)
	ctx := t.Context()
	if err := wf.StartExecution(ctx, pathway.WorkflowApplication, "coop-1", json.RawMessage(`{"coopId":"coop-1"}`)); err != nil {
		t.Fatal(err)
	}
	if err := wf.StartExecution(ctx, pathway.WorkflowApplication, "coop-1", json.RawMessage(`{ "coopId": "coop-1" }`)); err != nil {
		t.Fatalf("the same start again: %v", err)
	}
	err := wf.StartExecution(ctx, pathway.WorkflowApplication, "coop-1", json.RawMessage(`{"coopId":"coop-2"}`))
	var ae *states.APIError
	if !errors.Is(err, pathway.ErrAlreadyStarted) || !errors.As(err, &ae) || ae.Name != states.ErrExecutionAlreadyExists {
		t.Fatalf("other input: %v, want pathway.ErrAlreadyStarted over ExecutionAlreadyExists", err)
	}
	if list, _ := e.ListExecutions(ctx, pathway.WorkflowApplication, ""); len(list) != 1 {
		t.Fatalf("%d executions, want 1", len(list))
	}
	err = wf.StartExecution(ctx, "grants", "x", json.RawMessage(`{}`))
	if err == nil || errors.Is(err, pathway.ErrAlreadyStarted) || errors.Is(err, pathway.ErrNotWaiting) {
		t.Fatalf("unknown machine: %v, want an error that is not one of the port's", err)
	}
}

func TestSendTaskSuccessNotWaiting(t *testing.T) {
	wf, e, tokens := newPort(t)
	ctx := t.Context()
	if err := wf.StartExecution(ctx, pathway.WorkflowApplication, "coop-1", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	token := <-tokens
	if err := wf.SendTaskSuccess(ctx, token, json.RawMessage(`{"ok":true}`)); err != nil {
		t.Fatalf("answer: %v", err)
	}
	e.WaitIdle()
	for name, tok := range map[string]string{
		states.ErrTaskTimedOut: token, // answered: its execution exists, the task does not
		states.ErrInvalidToken: "not-a-token",
		// Well formed, of an execution that never was.
		states.ErrTaskDoesNotExist: base64.RawURLEncoding.EncodeToString([]byte(
			"arn:aws:states:eu-west-2:000000000000:execution:application:nobody\nr\n" + strings.Repeat("0", 32))),
	} {
		err := wf.SendTaskSuccess(ctx, tok, json.RawMessage(`{}`))
		var ae *states.APIError
		if !errors.Is(err, pathway.ErrNotWaiting) || !errors.As(err, &ae) || ae.Name != name {
			t.Errorf("%s: %v, want pathway.ErrNotWaiting over %s", name, err, name)
		}
	}
	// Invalid output is no reason to drop the answer.
	if err := wf.StartExecution(ctx, pathway.WorkflowApplication, "coop-2", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	err := wf.SendTaskSuccess(ctx, <-tokens, json.RawMessage(`{`))
	if err == nil || errors.Is(err, pathway.ErrNotWaiting) {
		t.Errorf("invalid output: %v, want an error that is not ErrNotWaiting", err)
	}
}
