package pathway

import (
	"context"
	"encoding/json"
	"time"
)

// Workflow names: one state machine per phase, one file each in workflows/.
const (
	WorkflowApplication  = "application"
	WorkflowRegistration = "registration"
)

// Execution statuses, as Step Functions reports them.
const (
	ExecRunning   = "RUNNING"
	ExecSucceeded = "SUCCEEDED"
	ExecFailed    = "FAILED"
	ExecTimedOut  = "TIMED_OUT"
	ExecAborted   = "ABORTED"
)

// Step Functions API error names, as AWS reports them. Both implementations
// of Workflows return a *WorkflowError with one of these names.
const (
	ErrExecutionAlreadyExists   = "ExecutionAlreadyExists"
	ErrExecutionDoesNotExist    = "ExecutionDoesNotExist"
	ErrStateMachineDoesNotExist = "StateMachineDoesNotExist"
	ErrTaskDoesNotExist         = "TaskDoesNotExist"
	ErrTaskTimedOut             = "TaskTimedOut"
	ErrInvalidToken             = "InvalidToken"
	ErrInvalidExecutionInput    = "InvalidExecutionInput"
)

// WorkflowError is an error of the Step Functions API.
type WorkflowError struct {
	// Name is one of the Err* names above.
	Name string
	// Message is the service's explanation.
	Message string
}

// Error returns the name and message.
func (e *WorkflowError) Error() string { return e.Name + ": " + e.Message }

// Workflows is the Step Functions API the application uses. The AWS client
// (shared/sfn) and the local engine (infra/local/states) implement it.
type Workflows interface {
	// StartExecution starts the named state machine. The execution name
	// makes it idempotent: the same name and input return the running or
	// finished execution; the same name with other input fails with
	// ErrExecutionAlreadyExists.
	StartExecution(ctx context.Context, in StartExecutionInput) (*Execution, error)
	// DescribeExecution returns an execution by ARN.
	DescribeExecution(ctx context.Context, executionARN string) (*Execution, error)
	// GetExecutionHistory returns an execution's events in order.
	GetExecutionHistory(ctx context.Context, executionARN string) ([]HistoryEvent, error)
	// ListExecutions returns the executions of a state machine, newest
	// first, optionally only those with the status.
	ListExecutions(ctx context.Context, stateMachine, status string) ([]*Execution, error)
	// StopExecution aborts a running execution.
	StopExecution(ctx context.Context, executionARN, errorName, cause string) error
	// SendTaskSuccess completes the callback task with the token.
	SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error
	// SendTaskFailure fails the callback task with the token.
	SendTaskFailure(ctx context.Context, token, errorName, cause string) error
	// SendTaskHeartbeat tells a callback task with a heartbeat that its
	// worker is still alive.
	SendTaskHeartbeat(ctx context.Context, token string) error
}

// StartExecutionInput starts one execution.
type StartExecutionInput struct {
	// StateMachine is the workflow name (e.g. WorkflowApplication) or a state machine ARN.
	StateMachine string
	// Name is the execution name, unique per state machine (e.g. the co-op ID).
	Name string
	// Input is the execution input, a JSON object.
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
