package sfn_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/sfn"
)

// histories answers GetExecutionHistory in the JSON protocol for one
// execution, two events a page, so that paging is exercised.
type histories struct {
	arn    string
	types  []string
	tokens []string // the nextToken of each request, "" for the first
	asked  []map[string]any
}

func (h *histories) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if op := r.Header.Get("X-Amz-Target"); op != "AWSStepFunctions.GetExecutionHistory" {
		fail(w, "UnknownOperationException", op)
		return
	}
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	h.asked = append(h.asked, body)
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	if body["executionArn"] != h.arn {
		fail(w, "ExecutionDoesNotExist", "Execution Does Not Exist: '"+body["executionArn"].(string)+"'")
		return
	}
	tok, _ := body["nextToken"].(string)
	h.tokens = append(h.tokens, tok)
	from, _ := strconv.Atoi(tok)
	var events []map[string]any
	for i := from; i < len(h.types) && i < from+2; i++ {
		events = append(events, map[string]any{"id": i + 1, "type": h.types[i], "timestamp": 1.7e9 + float64(i)*86400})
	}
	out := map[string]any{"events": events}
	if from+2 < len(h.types) {
		out["nextToken"] = strconv.Itoa(from + 2)
	}
	reply(w, out)
}

func newHistories(t *testing.T, h *histories) *sfn.Histories {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	api := awssfn.New(awssfn.Options{
		Region: "eu-west-2", BaseEndpoint: aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
	})
	return sfn.NewHistories(api, map[string]string{pathway.WorkflowApplication: machine})
}

func TestHistoryFollowsPages(t *testing.T) {
	h := &histories{arn: sfn.ExecutionARN(machine, "coop-1"), types: []string{
		"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionScheduled",
		"ChoiceStateEntered", "SucceedStateEntered", "ExecutionSucceeded"}}
	events, err := newHistories(t, h).History(context.Background(), pathway.WorkflowApplication, "coop-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 7 {
		t.Fatalf("%d events, want the 7 of four pages", len(events))
	}
	if got := strings.Join(h.tokens, ","); got != ",2,4,6" {
		t.Errorf("next tokens sent %q, want ,2,4,6", got)
	}
	if h.asked[0]["includeExecutionData"] != false {
		t.Errorf("asked for execution data: %v", h.asked[0])
	}
	// Task entered, a retry, Choice, Succeed.
	if got := cost.Transitions(events); got != 4 {
		t.Errorf("Transitions = %d, want 4", got)
	}
	if want := time.Unix(1.7e9+6*86400, 0); !events[6].Timestamp.Equal(want) || events[6].Type != "ExecutionSucceeded" {
		t.Errorf("last event %+v, want ExecutionSucceeded at %v", events[6], want)
	}
}

func TestHistoryOfNoExecutionIsEmpty(t *testing.T) {
	h := &histories{arn: sfn.ExecutionARN(machine, "coop-1")}
	events, err := newHistories(t, h).History(context.Background(), pathway.WorkflowApplication, "coop-2")
	if err != nil || len(events) != 0 {
		t.Fatalf("History of a missing execution = %v, %v; want none, no error", events, err)
	}
	if _, err := newHistories(t, h).History(context.Background(), "unknown", "x"); awsName(err) != "StateMachineDoesNotExist" {
		t.Fatalf("unknown workflow: %v, want StateMachineDoesNotExist", err)
	}
}
