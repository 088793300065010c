package testkit

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Workflows is a fake of the workflows port (pathway.Workflows) that
// records what it is asked and can fail on demand. Like Step Functions,
// it takes one answer per task token and refuses a second with
// pathway.ErrNotWaiting, and starting an execution again under its name
// with the same input is no error, with other input ErrAlreadyStarted.
// Its zero value is ready; it is safe for concurrent use.
type Workflows struct {
	mu       sync.Mutex
	starts   []Start
	answers  []Answer
	attempts int
	inputs   map[string]json.RawMessage // execution name → input
	answered map[string]bool            // tokens already answered
	fail     map[string]failure         // by method name
	stops    []Stop                     // workflows_stop.go
}

// Start is one StartExecution call that was taken.
type Start struct {
	Machine, Name string
	Input         json.RawMessage
}

// Answer is one SendTaskSuccess call that was taken.
type Answer struct {
	Token  string
	Output json.RawMessage
}

// failure is an error to return instead of succeeding, times more times
// (for ever when times is negative).
type failure struct {
	err   error
	times int
}

var _ pathway.Workflows = (*Workflows)(nil)

// StartExecution records the start of an execution.
func (w *Workflows) StartExecution(_ context.Context, machine, name string, input json.RawMessage) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.failing("StartExecution"); err != nil {
		return err
	}
	key := machine + "/" + name
	if prev, ok := w.inputs[key]; ok {
		if string(prev) != string(input) {
			return fmt.Errorf("fake workflows: %s: %w", key, pathway.ErrAlreadyStarted)
		}
		return nil
	}
	if w.inputs == nil {
		w.inputs = map[string]json.RawMessage{}
	}
	w.inputs[key] = input
	w.starts = append(w.starts, Start{Machine: machine, Name: name, Input: input})
	return nil
}

// SendTaskSuccess records the answer to the task with the token, once.
func (w *Workflows) SendTaskSuccess(_ context.Context, token string, output json.RawMessage) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.attempts++
	if err := w.failing("SendTaskSuccess"); err != nil {
		return err
	}
	if w.answered[token] {
		return fmt.Errorf("fake workflows: token %q: %w", token, pathway.ErrNotWaiting)
	}
	if w.answered == nil {
		w.answered = map[string]bool{}
	}
	w.answered[token] = true
	w.answers = append(w.answers, Answer{Token: token, Output: output})
	return nil
}

// failing returns the error the method is to fail with now, if any.
func (w *Workflows) failing(method string) error {
	f, ok := w.fail[method]
	if !ok {
		return nil
	}
	if f.times > 0 {
		if f.times--; f.times == 0 {
			delete(w.fail, method)
		} else {
			w.fail[method] = f
		}
	}
	return f.err
}

// FailStarts makes the next times StartExecution calls fail with err
// (every call while times is negative; none again with times zero).
func (w *Workflows) FailStarts(err error, times int) { w.failNext("StartExecution", err, times) }

// FailAnswers makes the next times SendTaskSuccess calls fail with err
// (every call while times is negative; none again with times zero).
func (w *Workflows) FailAnswers(err error, times int) { w.failNext("SendTaskSuccess", err, times) }

func (w *Workflows) failNext(method string, err error, times int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fail == nil {
		w.fail = map[string]failure{}
	}
	if times == 0 {
		delete(w.fail, method)
		return
	}
	w.fail[method] = failure{err: err, times: times}
}

// Starts returns the executions started, in order.
func (w *Workflows) Starts() []Start {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Start(nil), w.starts...)
}

// Answers returns the answers taken, in order.
func (w *Workflows) Answers() []Answer {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Answer(nil), w.answers...)
}

// AnswerAttempts counts every SendTaskSuccess call, failed and refused
// ones included.
func (w *Workflows) AnswerAttempts() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.attempts
}
