package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `go run ./infra/local states test …` runs a definition with mocked
// tasks and prints one JSON result; usage errors exit 2.
func TestStatesTestCommand(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "screening.asl.json")
	mocks := filepath.Join(dir, "MockConfigFile.json")
	writeStatesFile(t, def, `{"StartAt":"Screen","States":{
		"Screen":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
			"Parameters":{"FunctionName":"${ScreenEligibilityFunctionArn}","Payload.$":"$"},
			"ResultSelector":{"eligible.$":"$.Payload.eligible"},"ResultPath":"$.screening",
			"Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":30,"MaxAttempts":2}],"Next":"Decide"},
		"Decide":{"Type":"Choice","Choices":[{"Variable":"$.screening.eligible","BooleanEquals":true,"Next":"Cool"}],"Default":"Refuse"},
		"Cool":{"Type":"Wait","Seconds":1209600,"Next":"Done"},
		"Done":{"Type":"Succeed"},
		"Refuse":{"Type":"Fail","Error":"Application.Ineligible","Cause":"not eligible"}}}`)
	writeStatesFile(t, mocks, `{
		"StateMachines":{"application":{"TestCases":{
			"Eligible":{"Screen":"Busy then eligible"},
			"Ineligible":{"Screen":"Ineligible"}}}},
		"MockedResponses":{
			"Busy then eligible":{
				"0":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"Rate exceeded."}},
				"1":{"Return":{"StatusCode":200,"Payload":{"eligible":true}}}},
			"Ineligible":{"0":{"Return":{"StatusCode":200,"Payload":{"eligible":false}}}}}}`)
	tests := []struct {
		testCase, want string
	}{
		{"Eligible", `{"status":"SUCCEEDED","output":{"coop":"Example Care Co-op","screening":{"eligible":true}},"error":"","cause":"","states":["Screen","Decide","Cool","Done"]}`},
		{"Ineligible", `{"status":"FAILED","output":null,"error":"Application.Ineligible","cause":"not eligible","states":["Screen","Decide","Refuse"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.testCase, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"states", "test", "--definition", def, "--mock-config", mocks,
				"--state-machine", "application", "--test-case", tt.testCase, "--input", `{"coop":"Example Care Co-op"}`}, &stdout, &stderr)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, stderr.String())
			}
			if got := canonStatesJSON(t, stdout.String()); got != canonStatesJSON(t, tt.want) {
				t.Errorf("stdout %s, want %s", got, tt.want)
			}
		})
	}
	t.Run("missing flag", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"states", "test", "--definition", def}, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), "--mock-config") || stdout.Len() != 0 {
			t.Errorf("exit %d stdout %q stderr %q, want 2 naming --mock-config", code, stdout.String(), stderr.String())
		}
	})
}

// writeStatesFile writes a test file.
func writeStatesFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// canonStatesJSON re-encodes JSON with sorted keys, for comparison.
func canonStatesJSON(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%q is not JSON: %v", s, err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
