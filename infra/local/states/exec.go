package states

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// execution is one running (or, in memory, finished) execution.
type execution struct {
	e     *Engine
	m     *machine
	arn   string
	name  string
	input string // the input as given
	start time.Time
	over  atomic.Bool // finished: frames stop at their next boundary
	done  chan struct{}

	mu       sync.Mutex
	status   string
	output   string
	errName  string
	cause    string
	stop     time.Time
	root     *frame
	events   history // all events (memory) or those not yet persisted (DB)
	nextID   int64
	deadline time.Time // execution TimeoutSeconds
	timeout  Timer
	calls    map[string]int // invocations per state, for mocks
	inputVal any            // parsed input for $$.Execution.Input, lazily
	ticket   uint64         // the writer batch of the execution's last save
}

// describeLocked is describe for a caller that holds ex.mu.
func (ex *execution) describeLocked() *Execution {
	x := &Execution{ARN: ex.arn, StateMachineARN: ex.m.arn, Name: ex.name, Status: ex.status,
		Input: []byte(ex.input), Error: ex.errName, Cause: ex.cause, StartDate: ex.start, StopDate: ex.stop}
	if ex.status == ExecSucceeded {
		x.Output = []byte(ex.output)
	}
	return x
}

// describe returns the execution in the API's form.
func (ex *execution) describe() *Execution {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	return ex.describeLocked()
}

// newExecution builds an execution at its StartAt state.
func (e *Engine) newExecution(m *machine, name, input string, now time.Time) *execution {
	ex := &execution{e: e, m: m, arn: e.executionARN(m.name, name), name: name, input: input,
		start: now, done: make(chan struct{}), status: ExecRunning}
	ex.root = &frame{ex: ex, key: "r", def: m.def, st: m.def.States[m.def.StartAt]}
	if m.def.TimeoutSeconds > 0 {
		ex.deadline = now.Add(secs(m.def.TimeoutSeconds))
	}
	return ex
}

// armTimeout starts the execution's TimeoutSeconds timer.
func (e *Engine) armTimeout(ex *execution) {
	if ex.deadline.IsZero() {
		return
	}
	t := e.clock.AfterFunc(ex.deadline.Sub(e.clock.Now()), func() {
		e.finish(ex, 0, ExecTimedOut, nil, &asl.Error{Name: asl.ErrTimeout,
			Cause: "The execution exceeded its TimeoutSeconds"}, evExecutionTimedOut)
	})
	ex.mu.Lock()
	ex.timeout = t
	ex.mu.Unlock()
}

// finish ends the execution once: status, output or error, the final
// history event; frames stop, timers stop, callbacks are dropped, .sync
// parents are told. at is when, in unix nanoseconds (0: now). It reports
// whether this call ended it.
func (e *Engine) finish(ex *execution, at int64, status string, out any, fail *asl.Error, typ evType) bool {
	ex.mu.Lock()
	if ex.over.Load() {
		ex.mu.Unlock()
		return false
	}
	if at == 0 {
		at = e.clock.Now().UnixNano()
	}
	ex.over.Store(true)
	ex.status = status
	ex.stop = time.Unix(0, at)
	ev := event{typ: typ, ts: at}
	if status == ExecSucceeded {
		ex.output = toJSON(out)
		ev = ev.with(dOutput, out)
	} else if fail != nil {
		ex.errName, ex.cause = fail.Name, fail.Cause
		ev = ev.with(dError, fail)
	}
	ex.emitLocked(nil, ev)
	tokens, children := ex.stopTimersLocked()
	if e.w == nil {
		// Finished in memory: only its record and history are read
		// from now on.
		ex.root = nil
	}
	if e.w != nil {
		ex.ticket = e.w.enqueue(ex.finalOpsLocked()...)
	}
	ex.mu.Unlock()

	e.mu.Lock()
	for _, t := range tokens {
		delete(e.tokens, t)
	}
	e.mu.Unlock()
	if err := e.durable(ex); err != nil {
		e.log.Error("states: persisting the end of an execution", "execution", ex.arn, "err", err)
	}
	close(ex.done)
	e.retire(ex)
	e.stopChildren(children)
	e.childFinished(ex)
	return true
}

// retire forgets a finished execution from memory where it can be read
// back: always with a DB; in memory beyond MaxFinished.
func (e *Engine) retire(ex *execution) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.w != nil {
		delete(e.execs, ex.arn)
		return
	}
	if e.opts.MaxFinished <= 0 {
		return
	}
	e.finished = append(e.finished, ex.arn)
	for len(e.finished) > e.opts.MaxFinished {
		delete(e.execs, e.finished[0])
		e.finished = e.finished[1:]
	}
}

// stopTimers stops every timer of the execution (Close).
func (ex *execution) stopTimers() {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	ex.stopTimersLocked()
}

// stopTimersLocked stops the execution's timers and returns the callback
// tokens of its frames and the .sync children they wait for.
func (ex *execution) stopTimersLocked() (tokens, children []string) {
	if ex.timeout != nil {
		ex.timeout.Stop()
		ex.timeout = nil
	}
	if ex.root != nil {
		ex.root.walk(func(f *frame) {
			f.stopTimers()
			if f.token != "" {
				tokens = append(tokens, f.token)
			}
			if f.phase == phChildExec && f.child != "" {
				children = append(children, f.child)
			}
		})
	}
	return tokens, children
}
