package states_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/coopcarepathway/pathway/infra/local/states"
)

// echoEvent and echoed are the event and result of a typed function whose
// every call answers differently, in length too, so that one call's
// response bytes overwritten by another's cannot go unnoticed.
type echoEvent struct {
	N int `json:"n"`
}

type echoed struct {
	N   int    `json:"n"`
	Pad string `json:"pad"`
}

func echo(_ context.Context, ev echoEvent) (echoed, error) {
	return echoed{N: ev.N, Pad: strings.Repeat("x", ev.N%97)}, nil
}

const echoMachine = `{"StartAt":"A","States":{
 "A":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Echo","End":true}}}`

// runEchoes starts n executions of echoMachine at once and checks that
// every one ends with its own function's output.
func runEchoes(t *testing.T, h states.Handler, n int) {
	e, err := states.New(states.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	e.RegisterHandler("Echo", h)
	if _, err := e.AddStateMachine("echo", []byte(echoMachine)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x, err := e.StartExecution(ctx, states.StartExecutionInput{StateMachine: "echo",
				Name: fmt.Sprint("e", i), Input: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i))})
			if err != nil {
				t.Error(err)
				return
			}
			d, err := e.Wait(ctx, x.ARN)
			if err != nil {
				t.Error(err)
				return
			}
			want := fmt.Sprintf(`{"n":%d,"pad":"%s"}`, i, strings.Repeat("x", i%97))
			if d.Status != states.ExecSucceeded || string(d.Output) != want {
				t.Errorf("execution %d: %s %s %s, output %s, want %s", i, d.Status, d.Error, d.Cause, d.Output, want)
			}
		}()
	}
	wg.Wait()
}

// TestLambdaNewHandlerConcurrentCalls calls one lambda.NewHandler handler
// from many executions at once. aws-lambda-go returns the response in a
// buffer it has already put back in its pool, so a concurrent call could
// overwrite it before the engine parsed it (Lambda.InvalidResponse, or
// another execution's output); the engine must keep such a handler safe.
func TestLambdaNewHandlerConcurrentCalls(t *testing.T) {
	runEchoes(t, lambda.NewHandler(echo), 400)
}

// TestTypedHandlerConcurrentCalls does the same through TypedHandler, the
// way to register a typed function that lets its calls run concurrently.
func TestTypedHandlerConcurrentCalls(t *testing.T) {
	runEchoes(t, states.TypedHandler(echo), 400)
}
