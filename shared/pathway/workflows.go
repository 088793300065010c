package pathway

import (
	"context"
	"encoding/json"
	"errors"
)

// Workflow names: one state machine per phase, one file each in workflows/.
const (
	WorkflowApplication  = "application"
	WorkflowRegistration = "registration"
	WorkflowGrant        = "grant"
	WorkflowTender       = "tender"
)

// Workflows is what the application asks of the workflow engine: to start
// an execution and to answer a task a workflow waits on. AWS Step
// Functions (shared/sfn) and the local engine (infra/local/localsfn)
// implement it.
type Workflows interface {
	// StartExecution starts an execution of the workflow machine (a
	// Workflow* name) named name with input, a JSON object. The name
	// makes it idempotent: starting it again with the same input, running
	// or finished, is no error; with other input it fails with
	// ErrAlreadyStarted.
	StartExecution(ctx context.Context, machine, name string, input json.RawMessage) error
	// SendTaskSuccess answers the task the workflow waits on with the
	// token. It fails with ErrNotWaiting when the workflow no longer waits
	// on it (the task timed out, was answered, the execution ended, the
	// token is not one the engine gave out); any other error is transient
	// and the answer may be sent again.
	SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error
}

// Errors of Workflows: adapters wrap them (errors.Is finds them) with
// what the engine said.
var (
	// ErrAlreadyStarted: an execution of that name exists with other
	// input (Step Functions' ExecutionAlreadyExists).
	ErrAlreadyStarted = errors.New("workflow: an execution of that name exists already")
	// ErrNotWaiting: the workflow no longer waits on the task token (Step
	// Functions' TaskDoesNotExist, TaskTimedOut or InvalidToken), so the
	// answer can never be taken.
	ErrNotWaiting = errors.New("workflow: no longer waiting for this answer")
)
