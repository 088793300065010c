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
	"github.com/aws/smithy-go"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/sfn"
)

const machine = "arn:aws:states:eu-west-2:111122223333:stateMachine:application"

// service answers the Step Functions JSON protocol (awsJson1_0: the
// operation in X-Amz-Target, errors as {"__type", "message"}) for the few
// operations under test, so the adapter's requests and error
// mapping go through the real SDK serialisers.
type service struct {
	mu     sync.Mutex
	inputs map[string]string // execution name → input
	calls  []string
	// described are the ARNs DescribeExecution was asked for.
	described []string
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
		s.described = append(s.described, arn)
		name := arn[strings.LastIndex(arn, ":")+1:]
		input, ok := s.inputs[name]
		if !ok {
			fail(w, "ExecutionDoesNotExist", "Execution Does Not Exist: '"+arn+"'")
			return
		}
		reply(w, map[string]any{"executionArn": arn, "stateMachineArn": machine, "name": name,
			"status": "SUCCEEDED", "input": input, "output": `{"done":true}`, "startDate": 1.7e9, "stopDate": 1.7e9 + 60})
	case "SendTaskSuccess":
		// The token names the answer: an AWS error name, or "ok".
		if token := body["taskToken"].(string); token != "ok" {
			fail(w, token, "answered "+token)
			return
		}
		reply(w, map[string]any{})
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

// awsName is the AWS error name beneath err.
func awsName(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return fmt.Sprintf("not an AWS error: %v", err)
}

func TestStartExecutionIsIdempotentByName(t *testing.T) {
	c, svc := newClient(t)
	ctx := context.Background()
	if err := c.StartExecution(ctx, pathway.WorkflowApplication, "coop-1", json.RawMessage(`{"coopId":"coop-1"}`)); err != nil {
		t.Fatal(err)
	}
	if got := svc.inputs["coop-1"]; got != `{"coopId":"coop-1"}` {
		t.Fatalf("started coop-1 with input %q", got)
	}
	// Same input with other spacing: the same execution, found by describing it.
	if err := c.StartExecution(ctx, pathway.WorkflowApplication, "coop-1", json.RawMessage(`{ "coopId": "coop-1" }`)); err != nil {
		t.Fatalf("retried start: %v", err)
	}
	err := c.StartExecution(ctx, pathway.WorkflowApplication, "coop-1", json.RawMessage(`{"coopId":"coop-2"}`))
	if !errors.Is(err, pathway.ErrAlreadyStarted) || awsName(err) != "ExecutionAlreadyExists" {
		t.Fatalf("other input: error %v, want pathway.ErrAlreadyStarted over ExecutionAlreadyExists", err)
	}
	if got := strings.Join(svc.calls, ","); got != "StartExecution,StartExecution,DescribeExecution,StartExecution,DescribeExecution" {
		t.Fatalf("calls = %s", got)
	}
	want := "arn:aws:states:eu-west-2:111122223333:execution:application:coop-1"
	if len(svc.described) != 2 || svc.described[0] != want || svc.described[1] != want {
		t.Fatalf("described %v, want %s twice", svc.described, want)
	}
}

func TestUnknownWorkflowIsStateMachineDoesNotExist(t *testing.T) {
	c, svc := newClient(t)
	err := c.StartExecution(context.Background(), "grants", "x", json.RawMessage(`{}`))
	if got := awsName(err); got != "StateMachineDoesNotExist" {
		t.Fatalf("error %s, want StateMachineDoesNotExist", got)
	}
	if errors.Is(err, pathway.ErrAlreadyStarted) || errors.Is(err, pathway.ErrNotWaiting) {
		t.Fatalf("error %v is one of the port's", err)
	}
	if len(svc.calls) != 0 {
		t.Fatalf("calls = %v, want none", svc.calls)
	}
}

// SendTaskSuccess: the three errors of a workflow no longer waiting are
// pathway.ErrNotWaiting; any other is transient; AWS's name stays beneath.
func TestSendTaskSuccessErrors(t *testing.T) {
	c, _ := newClient(t)
	for _, tt := range []struct {
		token      string
		notWaiting bool
	}{
		{"TaskDoesNotExist", true},
		{"TaskTimedOut", true},
		{"InvalidToken", true},
		{"ThrottlingException", false},
		{"InvalidOutput", false},
	} {
		err := c.SendTaskSuccess(context.Background(), tt.token, json.RawMessage(`{}`))
		if errors.Is(err, pathway.ErrNotWaiting) != tt.notWaiting || awsName(err) != tt.token {
			t.Errorf("%s: error %v, want not waiting %v over %s", tt.token, err, tt.notWaiting, tt.token)
		}
		if errors.Is(err, pathway.ErrAlreadyStarted) {
			t.Errorf("%s: error %v is ErrAlreadyStarted", tt.token, err)
		}
	}
	if err := c.SendTaskSuccess(context.Background(), "ok", json.RawMessage(`{}`)); err != nil {
		t.Errorf("answered: %v", err)
	}
}
