package web_test

import (
	"encoding/json"

	"github.com/coopcarepathway/pathway/shared/testkit"
)

// recorder is the shared fake of the workflows port (testkit.Workflows)
// with the names these tests read it by.
type recorder struct{ testkit.Workflows }

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

func (r *recorder) startCalls() []start {
	var out []start
	for _, s := range r.Starts() {
		out = append(out, start{StateMachine: s.Machine, Name: s.Name, Input: s.Input})
	}
	return out
}

func (r *recorder) sendCalls() []sent {
	var out []sent
	for _, a := range r.Answers() {
		out = append(out, sent{token: a.Token, output: a.Output})
	}
	return out
}

func (r *recorder) sendAttempts() int { return r.AnswerAttempts() }

// failSends fails the next times answers with err (all of them for 0).
func (r *recorder) failSends(err error, times int) {
	if times == 0 {
		times = -1
	}
	r.FailAnswers(err, times)
}

// failStart fails the next start with err.
func (r *recorder) failStart(err error) { r.FailStarts(err, 1) }
