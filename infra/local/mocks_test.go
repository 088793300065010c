package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestWorkflowMockCases runs the real application workflow against the mock
// config the README points to, one test case per path, through the same
// command a user types. A change to the workflow's states or branches shows
// up here as a different path.
func TestWorkflowMockCases(t *testing.T) {
	tests := []struct {
		testCase, status, errName string
		states                    string
	}{
		{"HappyPath", "SUCCEEDED", "", "ValidateApplication ScreenEligibility IsEligible FirstPanelRound AwaitPanelDecision RecordPanelOutcome PanelOutcome StartRegistration Accepted"},
		{"Ineligible", "SUCCEEDED", "", "ValidateApplication ScreenEligibility IsEligible RecordIneligible Ineligible"},
		{"DeferThenAccept", "SUCCEEDED", "", "ValidateApplication ScreenEligibility IsEligible FirstPanelRound AwaitPanelDecision RecordPanelOutcome PanelOutcome AwaitPanelDecision RecordPanelOutcome PanelOutcome StartRegistration Accepted"},
		{"PanelOverdue", "SUCCEEDED", "", "ValidateApplication ScreenEligibility IsEligible FirstPanelRound AwaitPanelDecision AwaitEscalatedPanelDecision RecordPanelOutcome PanelOutcome StartRegistration Accepted"},
		{"StepFails", "FAILED", "Pathway.NotFound", "ValidateApplication RecordFailure Failed"},
	}
	for _, tt := range tests {
		t.Run(tt.testCase, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"states", "test",
				"--definition", "../../workflows/application.asl.json", "--mock-config", "../../workflows/testdata/mocks.json",
				"--state-machine", "application", "--test-case", tt.testCase, "--input", `{"coopId":"coop-example"}`}, &stdout, &stderr)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var res struct {
				Status, Error string
				States        []string
			}
			if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
				t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout.String())
			}
			if res.Status != tt.status || res.Error != tt.errName || strings.Join(res.States, " ") != tt.states {
				t.Errorf("got %s %q via %v\nwant %s %q via %s", res.Status, res.Error, res.States, tt.status, tt.errName, tt.states)
			}
		})
	}
}
