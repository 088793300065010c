package sfn_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/sfn"
)

const machine = "arn:aws:states:eu-west-2:111122223333:stateMachine:application"

// service answers the Step Functions JSON protocol (awsJson1_0: the
// operation in X-Amz-Target, errors as {"__type", "message"}) for the few
// operations under test, so the adapter's requests, pagination and error
// mapping go through the real SDK serialisers.
type service struct {
	mu     sync.Mutex
	inputs map[string]string // execution name → input
	calls  []string
}

func (s *service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSStepFunctions.")
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, op)
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	switch op {
	case "StartExecution":
		name, input := body["name"].(string), body["input"].(string)
		if _, ok := s.inputs[name]; ok {
			fail(w, "ExecutionAlreadyExists", "Execution Already Exists: '"+name+"'")
			return
		}
		s.inputs[name] = input
		reply(w, map[string]any{"executionArn": sfn.ExecutionARN(machine, name), "startDate": 1.7e9})
	case "DescribeExecution":
		arn := body["executionArn"].(string)
		name := arn[strings.LastIndex(arn, ":")+1:]
		input, ok := s.inputs[name]
		if !ok {
			fail(w, "ExecutionDoesNotExist", "Execution Does Not Exist: '"+arn+"'")
			return
		}
		reply(w, map[string]any{"executionArn": arn, "stateMachineArn": machine, "name": name,
			"status": "SUCCEEDED", "input": input, "output": `{"done":true}`, "startDate": 1.7e9, "stopDate": 1.7e9 + 60})
	case "SendTaskSuccess":
		fail(w, "TaskDoesNotExist", "Task Does Not Exist")
	case "GetExecutionHistory":
		page := map[string]any{"events": []any{
			map[string]any{"id": 1, "type": "ExecutionStarted", "timestamp": 1.7e9, "executionStartedEventDetails": map[string]any{"input": "{}"}},
		}, "nextToken": "page-2"}
		if body["nextToken"] == "page-2" {
			page = map[string]any{"events": []any{
				map[string]any{"id": 2, "previousEventId": 1, "type": "TaskStateEntered", "timestamp": 1.7e9,
					"stateEnteredEventDetails": map[string]any{"name": "Screen", "input": `{"a":1}`}},
			}}
		}
		reply(w, page)
	default:
		fail(w, "UnknownOperationException", op)
	}
}

func reply(w http.ResponseWriter, v any) { _ = json.NewEncoder(w).Encode(v) }

func fail(w http.ResponseWriter, typ, msg string) {
	w.WriteHeader(http.StatusBadRequest)
	reply(w, map[string]string{"__type": "com.amazonaws.swf.service.v2.model#" + typ, "message": msg})
}

func newClient(t *testing.T) (*sfn.Client, *service) {
	t.Helper()
	svc := &service{inputs: map[string]string{}}
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	api := awssfn.New(awssfn.Options{
		Region:           "eu-west-2",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
	})
	return sfn.New(api, map[string]string{pathway.WorkflowApplication: machine}), svc
}

func workflowErrorName(err error) string {
	var we *pathway.WorkflowError
	if errors.As(err, &we) {
		return we.Name
	}
	return fmt.Sprintf("not a WorkflowError: %v", err)
}

func TestStartExecutionIsIdempotentByName(t *testing.T) {
	c, svc := newClient(t)
	ctx := context.Background()
	in := pathway.StartExecutionInput{StateMachine: pathway.WorkflowApplication, Name: "coop-1", Input: json.RawMessage(`{"coopId":"coop-1"}`)}
	first, err := c.StartExecution(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := "arn:aws:states:eu-west-2:111122223333:execution:application:coop-1"; first.ARN != want {
		t.Fatalf("ARN = %q, want %q", first.ARN, want)
	}
	// Same input with other spacing: the same execution, found by describing it.
	in.Input = json.RawMessage(`{ "coopId": "coop-1" }`)
	again, err := c.StartExecution(ctx, in)
	if err != nil {
		t.Fatalf("retried start: %v", err)
	}
	if again.ARN != first.ARN || again.Status != pathway.ExecSucceeded {
		t.Fatalf("retried start = %+v, want the existing execution", again)
	}
	in.Input = json.RawMessage(`{"coopId":"coop-2"}`)
	_, err = c.StartExecution(ctx, in)
	if got := workflowErrorName(err); got != pathway.ErrExecutionAlreadyExists {
		t.Fatalf("other input: error %s, want ExecutionAlreadyExists", got)
	}
	if got := strings.Join(svc.calls, ","); got != "StartExecution,StartExecution,DescribeExecution,StartExecution,DescribeExecution" {
		t.Fatalf("calls = %s", got)
	}
}

func TestUnknownWorkflowIsStateMachineDoesNotExist(t *testing.T) {
	c, svc := newClient(t)
	_, err := c.StartExecution(context.Background(), pathway.StartExecutionInput{StateMachine: "grants", Name: "x", Input: json.RawMessage(`{}`)})
	if got := workflowErrorName(err); got != pathway.ErrStateMachineDoesNotExist {
		t.Fatalf("error %s, want StateMachineDoesNotExist", got)
	}
	if len(svc.calls) != 0 {
		t.Fatalf("calls = %v, want none", svc.calls)
	}
}

func TestServiceErrorsKeepAWSNames(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	err := c.SendTaskSuccess(ctx, "token", json.RawMessage(`{}`))
	if got := workflowErrorName(err); got != pathway.ErrTaskDoesNotExist {
		t.Fatalf("SendTaskSuccess error %s, want TaskDoesNotExist", got)
	}
	_, err = c.DescribeExecution(ctx, sfn.ExecutionARN(machine, "missing"))
	if got := workflowErrorName(err); got != pathway.ErrExecutionDoesNotExist {
		t.Fatalf("DescribeExecution error %s, want ExecutionDoesNotExist", got)
	}
}

func TestHistoryFollowsPages(t *testing.T) {
	c, _ := newClient(t)
	events, err := c.GetExecutionHistory(context.Background(), sfn.ExecutionARN(machine, "coop-1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 {
		t.Fatalf("got %d events, want 2 (both pages)", len(events))
	}
	e := events[1]
	if e.Type != "TaskStateEntered" || e.StateName != "Screen" || e.Details["input"] != `{"a":1}` || e.PreviousEventID != 1 {
		t.Fatalf("second event = %+v", e)
	}
}
