package states_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/states"
)

// The mock file of AWS's documentation (Step Functions Local, "mocked
// service integrations"), plus cases for this package's tests.
const mockConfig = `{
  "StateMachines": {
    "LambdaSQSIntegration": {
      "TestCases": {
        "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
        "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"},
        "HybridPath": {"LambdaState": "MockedLambdaSuccess"},
        "FailPath": {"LambdaState": "MockedLambdaAlwaysNotReady"},
        "TooFewPath": {"LambdaState": "MockedLambdaRetry2", "SQSState": "MockedSQSSuccess"}
      }
    },
    "Nesting": {"TestCases": {"Retry": {"Boom": "BoomThenOk"}}},
    "Callback": {
      "TestCases": {
        "Approved": {"Ask": "MockedApproval"},
        "Unmocked": {}
      }
    }
  },
  "MockedResponses": {
    "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}},
    "LambdaMockedResourceNotReady": {"0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}}},
    "MockedSQSSuccess": {"0": {"Return": {"MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51", "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"}}},
    "MockedLambdaRetry": {
      "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}},
      "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}},
      "3": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}
    },
    "MockedLambdaAlwaysNotReady": {"0-3": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}}},
    "MockedLambdaRetry2": {"0-1": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}}},
    "BoomThenOk": {"0": {"Throw": {"Error": "E", "Cause": "first try"}}, "1": {"Return": "ok"}},
    "MockedApproval": {"0": {"Return": {"approved": true, "by": "Ash Example"}}}
  }
}`

// lambdaSQS is the documentation's state machine: a Lambda call with
// retries, a long Wait, a Parallel and an SQS message.
const lambdaSQS = `{
  "StartAt": "LambdaState",
  "States": {
    "LambdaState": {
      "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "HelloFunction", "Payload.$": "$"},
      "ResultSelector": {"body.$": "$.Payload.body"},
      "Retry": [{"ErrorEquals": ["Lambda.ResourceNotReadyException", "Lambda.TimeoutException"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Notify"}],
      "Next": "Pause"
    },
    "Pause": {"Type": "Wait", "Seconds": 4838400, "Next": "Both"},
    "Both": {
      "Type": "Parallel", "ResultPath": "$.both", "Next": "SQSState",
      "Branches": [
        {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": true}}},
        {"StartAt": "Wait2", "States": {"Wait2": {"Type": "Wait", "Seconds": 60, "Next": "Inner2"}, "Inner2": {"Type": "Pass", "End": true}}}
      ]
    },
    "SQSState": {
      "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
      "Parameters": {"QueueUrl": "https://sqs.eu-west-2.amazonaws.com/000000000000/queue", "MessageBody.$": "$.body"},
      "ResultPath": "$.sent", "End": true
    },
    "Notify": {"Type": "Fail", "ErrorPath": "$.Error", "CausePath": "$.Cause"}
  }
}`

const callbackDef = `{"StartAt":"Ask","States":{
  "Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
    "Parameters":{"FunctionName":"${NotifyFunctionArn}","Payload":{"token.$":"$$.Task.Token"}},
    "HeartbeatSeconds":3600,"ResultPath":"$.decision","Next":"Done"},
  "Done":{"Type":"Succeed"}}}`

// nestingDef has a top-level Map and a Parallel retried after a branch
// failed while a nested Parallel was still running: only top-level states
// may appear in the result's states.
const nestingDef = `{"StartAt":"Fan","States":{
  "Fan":{"Type":"Map","ItemsPath":"$.xs","ResultPath":null,"Next":"Par",
    "ItemProcessor":{"StartAt":"Item","States":{"Item":{"Type":"Pass","End":true}}}},
  "Par":{"Type":"Parallel","Next":"Last","Retry":[{"ErrorEquals":["E"],"IntervalSeconds":5}],
    "Branches":[
      {"StartAt":"Nested","States":{"Nested":{"Type":"Parallel","End":true,
        "Branches":[{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}}]}}},
      {"StartAt":"Boom","States":{"Boom":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"Boom","Payload":{}},"End":true}}}]},
  "Last":{"Type":"Succeed"}}}`

// yearDef polls every 200 days until its input has "stop", which it never
// has: the Choice keeps a terminal state, as a valid definition must.
const yearDef = `{"StartAt":"Ask","States":{"Ask":{"Type":"Wait","Seconds":17280000,"Next":"Again"},
  "Again":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"Ask"},
  "Done":{"Type":"Succeed"}}}`

// cmdFiles are the test's definitions and mock config, written to disk.
type cmdFiles struct{ sqs, callback, year, nesting, mocks string }

// writeCmdFiles writes them to a temporary directory.
func writeCmdFiles(t *testing.T) cmdFiles {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return cmdFiles{sqs: write("lambda-sqs.asl.json", lambdaSQS), callback: write("callback.asl.json", callbackDef),
		year: write("year.asl.json", yearDef), nesting: write("nesting.asl.json", nestingDef),
		mocks: write("MockConfigFile.json", mockConfig)}
}

// runCommand runs TestCommand and decodes its result.
func runCommand(t *testing.T, args ...string) (states.TestResult, int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := states.TestCommand(args, &stdout, &stderr)
	var res states.TestResult
	if code == 0 {
		dec := json.NewDecoder(&stdout)
		if err := dec.Decode(&res); err != nil {
			t.Fatalf("stdout %q is not one JSON object: %v", stdout.String(), err)
		}
		if dec.More() {
			t.Fatalf("stdout holds more than one JSON object: %q", stdout.String())
		}
	} else if stdout.Len() > 0 {
		t.Errorf("exit %d with output on stdout: %q", code, stdout.String())
	}
	return res, code, stderr.String()
}

func TestCommandRunsTestCases(t *testing.T) {
	f := writeCmdFiles(t)
	sqsDef, cbDef, yearDef, nestingDef, mocks := f.sqs, f.callback, f.year, f.nesting, f.mocks
	tests := []struct {
		def, machine, testCase, input string
		status, output, err, cause    string
		states                        []string
	}{
		{sqsDef, "LambdaSQSIntegration", "HappyPath", `{"n":1}`, "SUCCEEDED",
			`{"body":"Hello from Lambda!","both":[{"body":"Hello from Lambda!"},{"body":"Hello from Lambda!"}],
			  "sent":{"MD5OfMessageBody":"3bcb6e8e-7h85-4375-b0bc-1a59812c6e51","MessageId":"3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"}}`,
			"", "", []string{"LambdaState", "Pause", "Both", "SQSState"}},
		// Invocations 0-2 throw, the retrier retries three times, invocation 3 returns.
		{sqsDef, "LambdaSQSIntegration", "RetryPath", `{}`, "SUCCEEDED",
			`{"body":"Hello from Lambda!","both":[{"body":"Hello from Lambda!"},{"body":"Hello from Lambda!"}],
			  "sent":{"MD5OfMessageBody":"3bcb6e8e-7h85-4375-b0bc-1a59812c6e51","MessageId":"3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"}}`,
			"", "", []string{"LambdaState", "Pause", "Both", "SQSState"}},
		{sqsDef, "LambdaSQSIntegration", "FailPath", `{}`, "FAILED", `null`,
			"Lambda.ResourceNotReadyException", "Lambda resource is not ready.", []string{"LambdaState", "Notify"}},
		// A response too short for the retries fails plainly, naming it.
		{sqsDef, "LambdaSQSIntegration", "TooFewPath", `{}`, "FAILED", `null`,
			"States.Runtime", "MockedLambdaRetry2", []string{"LambdaState"}},
		{cbDef, "Callback", "Approved", `{"coop":"c-1"}`, "SUCCEEDED",
			`{"coop":"c-1","decision":{"approved":true,"by":"Ash Example"}}`, "", "", []string{"Ask", "Done"}},
		// An unmocked task calls its function, which `states test` does not have.
		{cbDef, "Callback", "Unmocked", `{}`, "FAILED", `null`, "Lambda.ResourceNotFoundException", "", []string{"Ask"}},
		{nestingDef, "Nesting", "Retry", `{"xs":[1,2]}`, "SUCCEEDED", `[[{"xs":[1,2]}],"ok"]`, "", "", []string{"Fan", "Par", "Last"}},
		// More than a year of waiting is stopped rather than run for ever.
		{yearDef, "Callback", "Unmocked", `{}`, "ABORTED", `null`, "StatesTest.Stuck", "more than a year", []string{"Ask", "Again", "Ask"}},
	}
	for _, tt := range tests {
		t.Run(tt.machine+"/"+tt.testCase, func(t *testing.T) {
			res, code, stderr := runCommand(t, "--definition", tt.def, "--mock-config", mocks,
				"--state-machine", tt.machine, "--test-case", tt.testCase, "--input", tt.input)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if res.Status != tt.status || res.Error != tt.err || !strings.Contains(res.Cause, tt.cause) {
				t.Errorf("status %s error %q cause %q, want %s %q containing %q", res.Status, res.Error, res.Cause, tt.status, tt.err, tt.cause)
			}
			jsonEqual(t, "output", res.Output, tt.output)
			if !slices.Equal(res.States, tt.states) {
				t.Errorf("states %q, want %q", res.States, tt.states)
			}
		})
	}
}

func TestCommandUsageErrors(t *testing.T) {
	f := writeCmdFiles(t)
	sqsDef, mocks := f.sqs, f.mocks
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o600)
		return p
	}
	badDef := write("bad.asl.json", `{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","Next":"Gone"}}}`)
	notJSON := write("notjson.json", `{"StateMachines":`)
	ghost := write("ghost.json", `{"StateMachines":{"LambdaSQSIntegration":{"TestCases":{"T":{"Ghost":"R"}}}},"MockedResponses":{"R":{"0":{"Return":1}}}}`)
	both := write("both.json", `{"StateMachines":{},"MockedResponses":{"R":{"0":{"Return":1,"Throw":{"Error":"E"}}}}}`)
	overlap := write("overlap.json", `{"StateMachines":{},"MockedResponses":{"R":{"0-2":{"Return":1},"2":{"Return":2}}}}`)
	badKey := write("badkey.json", `{"StateMachines":{},"MockedResponses":{"R":{"first":{"Return":1}}}}`)
	noResp := write("noresp.json", `{"StateMachines":{"M":{"TestCases":{"T":{"A":"Missing"}}}},"MockedResponses":{}}`)
	typo := write("typo.json", `{"StateMachines":{},"MockedResponses":{"R":{"0":{"Returns":1}}}}`)
	base := func(def, mock, machine, tc string) []string {
		return []string{"--definition", def, "--mock-config", mock, "--state-machine", machine, "--test-case", tc}
	}
	tests := []struct {
		name string
		args []string
		want []string // all in the message
	}{
		{"missing --definition", []string{"--mock-config", mocks, "--state-machine", "M", "--test-case", "T"}, []string{"--definition"}},
		{"missing --test-case", []string{"--definition", sqsDef, "--mock-config", mocks, "--state-machine", "M"}, []string{"--test-case"}},
		{"unknown flag", append(base(sqsDef, mocks, "LambdaSQSIntegration", "HappyPath"), "--speed", "fast"), []string{"speed"}},
		{"unreadable definition", base(filepath.Join(dir, "none.json"), mocks, "LambdaSQSIntegration", "HappyPath"), []string{"definition", "none.json"}},
		{"unreadable mock config", base(sqsDef, filepath.Join(dir, "none.json"), "LambdaSQSIntegration", "HappyPath"), []string{"mock config", "none.json"}},
		{"mock config not JSON", base(sqsDef, notJSON, "LambdaSQSIntegration", "HappyPath"), []string{"JSON"}},
		{"unknown state machine", base(sqsDef, mocks, "Nope", "HappyPath"), []string{"Nope", "LambdaSQSIntegration"}},
		{"unknown test case", base(sqsDef, mocks, "LambdaSQSIntegration", "SadPath"), []string{"SadPath", "HappyPath"}},
		{"invalid definition", base(badDef, ghost, "LambdaSQSIntegration", "T"), []string{"A", "SecondsPath", "Gone"}},
		{"mock of a state the definition lacks", base(sqsDef, ghost, "LambdaSQSIntegration", "T"), []string{"Ghost"}},
		{"Return and Throw", base(sqsDef, both, "M", "T"), []string{"MockedResponses.R.0", "Return", "Throw"}},
		{"overlapping ranges", base(sqsDef, overlap, "M", "T"), []string{"MockedResponses.R", "invocation 2"}},
		{"bad invocation key", base(sqsDef, badKey, "M", "T"), []string{"MockedResponses.R.first"}},
		{"unknown response", base(sqsDef, noResp, "M", "T"), []string{"StateMachines.M.TestCases.T.A", "Missing"}},
		{"misspelt Return", base(sqsDef, typo, "M", "T"), []string{"MockedResponses.R.0", "Returns"}},
		{"bad --input", append(base(sqsDef, mocks, "LambdaSQSIntegration", "HappyPath"), "--input", "{nope"), []string{"--input", "JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, code, stderr := runCommand(t, tt.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not mention %q", stderr, w)
				}
			}
		})
	}
}

func TestMockConfigAnswersByInvocation(t *testing.T) {
	cfg, err := states.ParseMockConfig([]byte(mockConfig))
	if err != nil {
		t.Fatal(err)
	}
	m, err := cfg.TestCase("LambdaSQSIntegration", "RetryPath")
	if err != nil {
		t.Fatal(err)
	}
	for call, want := range []string{"Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException", ""} {
		res, e, ok := m.Mock("LambdaState", call)
		switch {
		case !ok:
			t.Errorf("call %d: no mock", call)
		case want == "" && (e != nil || res == nil):
			t.Errorf("call %d: %v, %v; want the Return", call, res, e)
		case want != "" && (e == nil || e.Name != want):
			t.Errorf("call %d: error %v, want %s", call, e, want)
		}
	}
	res, _, _ := m.Mock("LambdaState", 3)
	jsonEqual(t, "Return", mustJSON(t, res), `{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}`)
	if _, _, ok := m.Mock("Elsewhere", 0); ok {
		t.Error("a state the test case does not mock has a mock")
	}
	if _, e, ok := m.Mock("LambdaState", 4); !ok || e == nil || e.Name != "States.Runtime" {
		t.Errorf("invocation 4 of a response covering 0-3 = %v, %v; want a States.Runtime failure", e, ok)
	}
}
