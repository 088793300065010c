package sfn_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/sfn"
)

// TestStopExecution: the stop goes to the execution's ARN, built from the
// machine's, with the cause; an execution that does not exist has nothing
// to stop (no error); another service error is returned.
func TestStopExecution(t *testing.T) {
	var got []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		got = append(got, body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		if op := r.Header.Get("X-Amz-Target"); op != "AWSStepFunctions.StopExecution" {
			fail(w, "UnknownOperationException", op)
			return
		}
		switch arn := body["executionArn"].(string); {
		case strings.HasSuffix(arn, ":coop-missing"):
			fail(w, "ExecutionDoesNotExist", "Execution Does Not Exist: '"+arn+"'")
		case strings.HasSuffix(arn, ":coop-throttled"):
			fail(w, "ThrottlingException", "slow down")
		default:
			reply(w, map[string]any{"stopDate": 1.7e9})
		}
	}))
	t.Cleanup(srv.Close)
	api := awssfn.New(awssfn.Options{Region: "eu-west-2", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), RetryMaxAttempts: 1})
	c := sfn.New(api, map[string]string{pathway.WorkflowApplication: machine})
	ctx := t.Context()

	if err := c.StopExecution(ctx, pathway.WorkflowApplication, "coop-1", "The co-op's journey ended."); err != nil {
		t.Fatal(err)
	}
	if got[0]["executionArn"] != sfn.ExecutionARN(machine, "coop-1") || got[0]["cause"] != "The co-op's journey ended." || got[0]["error"] != "Pathway.Ended" {
		t.Errorf("request %v", got[0])
	}
	if err := c.StopExecution(ctx, pathway.WorkflowApplication, "coop-missing", "x"); err != nil {
		t.Errorf("a missing execution: %v, want none", err)
	}
	if err := c.StopExecution(ctx, pathway.WorkflowApplication, "coop-throttled", "x"); awsName(err) != "ThrottlingException" {
		t.Errorf("throttled: %v", err)
	}
	if err := c.StopExecution(ctx, "nope", "coop-1", "x"); awsName(err) != "StateMachineDoesNotExist" {
		t.Errorf("unknown workflow: %v", err)
	}
}
