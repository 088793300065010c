package states

import (
	"encoding/json"
	"time"
)

// Execution statuses, as Step Functions reports them.
const (
	ExecRunning   = "RUNNING"
	ExecSucceeded = "SUCCEEDED"
	ExecFailed    = "FAILED"
	ExecTimedOut  = "TIMED_OUT"
	ExecAborted   = "ABORTED"
)

// Step Functions API error names, as AWS reports them. The engine's API
// methods return an *APIError with one of these names.
const (
	ErrExecutionAlreadyExists   = "ExecutionAlreadyExists"
	ErrExecutionDoesNotExist    = "ExecutionDoesNotExist"
	ErrStateMachineDoesNotExist = "StateMachineDoesNotExist"
	ErrTaskDoesNotExist         = "TaskDoesNotExist"
	ErrTaskTimedOut             = "TaskTimedOut"
	ErrInvalidToken             = "InvalidToken"
	ErrInvalidExecutionInput    = "InvalidExecutionInput"
	ErrInvalidName              = "InvalidName"
	ErrInvalidOutput            = "InvalidOutput"
)

// APIError is an error of the Step Functions API.
type APIError struct {
	// Name is one of the Err* names above.
	Name string
	// Message is the service's explanation.
	Message string
}

// Error returns the name and message.
func (e *APIError) Error() string { return e.Name + ": " + e.Message }

// StartExecutionInput starts one execution.
type StartExecutionInput struct {
	// StateMachine is the state machine's name or ARN.
	StateMachine string
	// Name is the execution name, unique per state machine; empty gets a
	// random one.
	Name string
	// Input is the execution input, a JSON document; empty is {}.
	Input json.RawMessage
}

// Execution describes one execution of a state machine.
type Execution struct {
	// ARN identifies the execution.
	ARN string `json:"executionArn"`
	// StateMachineARN identifies its state machine.
	StateMachineARN string `json:"stateMachineArn"`
	// Name is the execution name.
	Name string `json:"name"`
	// Status is one of the Exec* constants.
	Status string `json:"status"`
	// Input is the execution input.
	Input json.RawMessage `json:"input,omitempty"`
	// Output is the execution output once it succeeded.
	Output json.RawMessage `json:"output,omitempty"`
	// Error is the error name once it failed.
	Error string `json:"error,omitempty"`
	// Cause is the error cause once it failed.
	Cause string `json:"cause,omitempty"`
	// StartDate is when it started.
	StartDate time.Time `json:"startDate"`
	// StopDate is when it ended.
	StopDate time.Time `json:"stopDate,omitzero"`
}

// HistoryEvent is one event of an execution's history, with AWS's type
// names (ExecutionStarted, TaskStateEntered, TaskScheduled, …).
type HistoryEvent struct {
	// ID numbers the events from 1.
	ID int64 `json:"id"`
	// PreviousEventID is the ID of the event that led to this one.
	PreviousEventID int64 `json:"previousEventId"`
	// Timestamp is when it happened.
	Timestamp time.Time `json:"timestamp"`
	// Type is AWS's history event type name.
	Type string `json:"type"`
	// StateName is the state the event concerns, if any.
	StateName string `json:"stateName,omitempty"`
	// Details holds the event's details (input, output, error, cause, resource).
	Details map[string]string `json:"details,omitempty"`
}
