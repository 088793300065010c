package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// recorder is a pathway.Workflows that records what the API asks of the
// workflow service. Like Step Functions, it accepts one answer per task
// token and refuses later ones (pathway.ErrNotWaiting); it can be told to
// fail.
type recorder struct {
	mu     sync.Mutex
	starts []start
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

// start is one StartExecution call that was accepted.
type start struct {
	StateMachine, Name string
	Input              json.RawMessage
}

// sent is one SendTaskSuccess call that was accepted.
type sent struct {
	token  string
	output json.RawMessage
}

func (r *recorder) StartExecution(_ context.Context, machine, name string, input json.RawMessage) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.startErr != nil {
		err := r.startErr
		r.startErr = nil
		return err
	}
	r.starts = append(r.starts, start{StateMachine: machine, Name: name, Input: input})
	return nil
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
		return fmt.Errorf("%w: TaskDoesNotExist: Task does not exist anymore", pathway.ErrNotWaiting)
	}
	if r.closed == nil {
		r.closed = map[string]bool{}
	}
	r.closed[token] = true
	r.sends = append(r.sends, sent{token: token, output: output})
	return nil
}

func (r *recorder) startCalls() []start {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]start(nil), r.starts...)
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
