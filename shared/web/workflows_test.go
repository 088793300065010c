package web_test

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// recorder is a pathway.Workflows that records what the API asks of the
// workflow service. Like Step Functions, it accepts one answer per task
// token and refuses later ones with TaskDoesNotExist; it can be told to
// fail.
type recorder struct {
	mu     sync.Mutex
	starts []pathway.StartExecutionInput
	sends  []sent
	closed map[string]bool // tokens already answered
	// attempts counts every SendTaskSuccess call, refused ones included.
	attempts int
	// startErr and sendErr, when set, are returned instead of succeeding
	// (sendErr for as many calls as sendFails, or always when it is 0).
	startErr  error
	sendErr   error
	sendFails int
}

// sent is one SendTaskSuccess call that was accepted.
type sent struct {
	token  string
	output json.RawMessage
}

func (r *recorder) StartExecution(_ context.Context, in pathway.StartExecutionInput) (*pathway.Execution, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.startErr != nil {
		err := r.startErr
		r.startErr = nil
		return nil, err
	}
	r.starts = append(r.starts, in)
	return &pathway.Execution{ARN: "arn:test:" + in.StateMachine + ":" + in.Name, Name: in.Name, Status: pathway.ExecRunning, Input: in.Input}, nil
}

func (r *recorder) SendTaskSuccess(_ context.Context, token string, output json.RawMessage) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts++
	if r.sendErr != nil {
		err := r.sendErr
		if r.sendFails > 0 {
			if r.sendFails--; r.sendFails == 0 {
				r.sendErr = nil
			}
		}
		return err
	}
	if r.closed[token] {
		return &pathway.WorkflowError{Name: pathway.ErrTaskDoesNotExist, Message: "Task does not exist anymore"}
	}
	if r.closed == nil {
		r.closed = map[string]bool{}
	}
	r.closed[token] = true
	r.sends = append(r.sends, sent{token: token, output: output})
	return nil
}

func (r *recorder) startCalls() []pathway.StartExecutionInput {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]pathway.StartExecutionInput(nil), r.starts...)
}

func (r *recorder) sendCalls() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sent(nil), r.sends...)
}

func (r *recorder) sendAttempts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts
}

func (r *recorder) failSends(err error, times int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sendErr, r.sendFails = err, times
}

func (r *recorder) failStart(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.startErr = err
}

func (r *recorder) DescribeExecution(context.Context, string) (*pathway.Execution, error) {
	return nil, &pathway.WorkflowError{Name: pathway.ErrExecutionDoesNotExist, Message: "not recorded"}
}

func (r *recorder) GetExecutionHistory(context.Context, string) ([]pathway.HistoryEvent, error) {
	return nil, nil
}

func (r *recorder) ListExecutions(context.Context, string, string) ([]*pathway.Execution, error) {
	return nil, nil
}

func (r *recorder) StopExecution(context.Context, string, string, string) error { return nil }

func (r *recorder) SendTaskFailure(context.Context, string, string, string) error { return nil }

func (r *recorder) SendTaskHeartbeat(context.Context, string) error { return nil }
