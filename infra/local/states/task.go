package states

import (
	"context"
	"strconv"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// task runs a Task state. It is entered once per attempt and once more
// when a result (callback, timeout, child execution) has been delivered.
func (e *Engine) task(f *frame) *frame {
	if f.cbDone {
		return e.taskResult(f)
	}
	st := f.st
	spec := f.ex.m.tasks[st]
	if spec.kind == kindLambdaToken && f.token == "" {
		tok := e.newToken(f)
		f.ex.mu.Lock() // finish reads the token of every frame
		f.token = tok
		f.ex.mu.Unlock()
	}
	ctx := f.context()
	params, err := st.EffectiveInput(f.input, ctx)
	if err != nil {
		return e.attemptFailed(f, asError(err))
	}
	if ferr := e.taskTimers(f, ctx); ferr != nil {
		return e.attemptFailed(f, ferr)
	}
	lambda := spec.kind == kindLambdaARN
	f.ex.mu.Lock()
	f.ex.emitLocked(f, event{typ: pick(lambda, evLambdaFunctionScheduled, evTaskScheduled), st: st}.with(dParameters, params))
	f.ex.emitLocked(f, event{typ: pick(lambda, evLambdaFunctionStarted, evTaskStarted), st: st})
	f.ex.mu.Unlock()
	if e.opts.Mock != nil {
		if out, fail, ok := e.mock(f); ok {
			return e.taskDone(f, out, fail)
		}
	}
	switch spec.kind {
	case kindLambdaARN, kindLambdaInvoke:
		return e.invokeLambda(f, spec, params)
	case kindLambdaToken:
		return e.invokeForToken(f, spec, params)
	case kindStartExec, kindStartExecSync, kindStartExecSync2:
		return e.startChild(f, spec, params)
	}
	return e.taskDone(f, nil, &asl.Error{Name: asl.ErrRuntime, Cause: "the local engine does not run resource " + st.Resource})
}

// pick returns a when c, else b.
func pick(c bool, a, b evType) evType {
	if c {
		return a
	}
	return b
}

// mock answers the state from the Mocker, counting its invocations.
func (e *Engine) mock(f *frame) (any, *asl.Error, bool) {
	ex := f.ex
	ex.mu.Lock()
	if ex.calls == nil {
		ex.calls = map[string]int{}
	}
	n := ex.calls[f.st.Name]
	ex.calls[f.st.Name] = n + 1
	ex.mu.Unlock()
	return e.opts.Mock.Mock(f.st.Name, n)
}

// taskTimers works out the attempt's TimeoutSeconds and HeartbeatSeconds
// (from their Path forms if set) and records when they fall due. A resumed
// attempt keeps the instants it had.
func (e *Engine) taskTimers(f *frame, ctx any) *asl.Error {
	st := f.st
	tmo, hb := st.TimeoutSeconds, st.HeartbeatSeconds
	var err *asl.Error
	if st.TimeoutSecondsPath.IsSet() {
		if tmo, err = positiveAt(st.TimeoutSecondsPath, f.input, ctx, "TimeoutSecondsPath"); err != nil {
			return err
		}
	}
	if st.HeartbeatSecondsPath.IsSet() {
		if hb, err = positiveAt(st.HeartbeatSecondsPath, f.input, ctx, "HeartbeatSecondsPath"); err != nil {
			return err
		}
	}
	if tmo <= 0 && hb <= 0 {
		f.hbSecs = 0
		return nil
	}
	now := e.clock.Now()
	if tmo > 0 && f.timeoutAt.IsZero() {
		f.timeoutAt = now.Add(secs(tmo))
	}
	f.hbSecs = hb
	if hb > 0 && f.hbAt.IsZero() {
		f.hbAt = now.Add(secs(hb))
	}
	return nil
}

// positiveAt reads a positive whole number of seconds at a path.
func positiveAt(p asl.Path, input, ctx any, field string) (int64, *asl.Error) {
	v, err := p.Get(input, ctx)
	if err != nil {
		return 0, asError(err)
	}
	n, ok := wholeNumber(v)
	if !ok || n <= 0 {
		return 0, &asl.Error{Name: asl.ErrRuntime, Cause: "the value of " + field + " '" + p.String() +
			"' is not a positive integer: " + toJSON(v)}
	}
	return n, nil
}

// invokeLambda calls an in-process function. Without a timeout it runs on
// the frame's goroutine; with one, the frame parks while the handler runs
// on its own goroutine, and whichever of the handler and the timer answers
// first wins.
func (e *Engine) invokeLambda(f *frame, spec *taskSpec, params any) *frame {
	fn := spec.function
	payload := params
	if spec.kind == kindLambdaInvoke {
		var ferr *asl.Error
		if fn, payload, ferr = invokeParams(spec, params); ferr != nil {
			return e.taskDone(f, nil, ferr)
		}
	}
	h, ok := e.handler(fn)
	if !ok {
		return e.taskDone(f, nil, &asl.Error{Name: "Lambda.ResourceNotFoundException",
			Cause: "Function not found: " + e.FunctionARN(fn)})
	}
	wrap := spec.kind == kindLambdaInvoke
	if f.timeoutAt.IsZero() {
		meta := newLambdaMeta(e, f, fn)
		out, err := invokeHandler(e.ctx, h, &meta, payload)
		f.now = e.clock.Now().UnixNano()
		if err != nil {
			return e.taskDone(f, nil, lambdaError(err))
		}
		return e.taskDone(f, invokeResult(wrap, out), nil)
	}
	gen := f.advancePhase(phCallback)
	hctx, cancel := context.WithCancel(e.ctx)
	meta := newLambdaMeta(e, f, fn)
	e.armTaskTimers(f, gen, cancel)
	e.enter()
	go func() {
		defer e.leave()
		defer cancel()
		out, err := invokeHandler(hctx, h, &meta, payload)
		if err != nil {
			e.deliver(f, gen, "", nil, lambdaError(err))
			return
		}
		e.deliver(f, gen, "", invokeResult(wrap, out), nil)
	}()
	return nil
}

// invokeParams reads FunctionName and Payload of lambda:invoke Parameters.
func invokeParams(spec *taskSpec, params any) (string, any, *asl.Error) {
	m, _ := params.(map[string]any)
	fn := spec.function
	if name, ok := m["FunctionName"].(string); ok {
		fn = functionName(name)
	}
	if fn == "" {
		return "", nil, &asl.Error{Name: asl.ErrRuntime, Cause: "Parameters.FunctionName is missing or not a string"}
	}
	payload, ok := m["Payload"]
	if !ok {
		payload = map[string]any{}
	}
	return fn, payload, nil
}

// invokeResult is the task result of a function's output: the output
// itself for a plain function ARN, Lambda's Invoke response for
// lambda:invoke.
func invokeResult(wrap bool, out any) any {
	if !wrap {
		return out
	}
	return map[string]any{"ExecutedVersion": "$LATEST", "Payload": out, "StatusCode": int64(200)}
}

// lambdaMeta names the function and the frame's current attempt; the
// function ARN and request ID are worked out only if a handler reads them.
type lambdaMeta struct {
	e                    *Engine
	fn, exec, key, state string
	attempt              int
}

// newLambdaMeta is the lambdaMeta of f's current attempt at fn.
func newLambdaMeta(e *Engine, f *frame, fn string) lambdaMeta {
	return lambdaMeta{e: e, fn: fn, exec: f.ex.name, key: f.key, state: f.st.Name, attempt: f.retryCount}
}

// ids returns the function ARN and the request ID.
func (m *lambdaMeta) ids() (fnARN, requestID string) {
	return m.e.FunctionARN(m.fn), m.exec + "-" + m.key + "-" + m.state + "-" + strconv.Itoa(m.attempt)
}

// invokeForToken runs lambda:invoke.waitForTaskToken: the token is made
// durable, the function is called (it hands the token on), and the frame
// parks until SendTask*, the timeout or the heartbeat settles it.
func (e *Engine) invokeForToken(f *frame, spec *taskSpec, params any) *frame {
	fn, payload, ferr := invokeParams(spec, params)
	if ferr != nil {
		return e.taskDone(f, nil, ferr)
	}
	h, ok := e.handler(fn)
	if !ok {
		return e.taskDone(f, nil, &asl.Error{Name: "Lambda.ResourceNotFoundException",
			Cause: "Function not found: " + e.FunctionARN(fn)})
	}
	ex := f.ex
	gen := f.advancePhase(phInvoking)
	e.mu.Lock()
	e.tokens[f.token] = f
	e.mu.Unlock()
	if !e.save(f) {
		return nil
	}
	e.flush(ex)
	e.armTaskTimers(f, gen, nil)
	meta := newLambdaMeta(e, f, fn)
	_, err := invokeHandler(e.ctx, h, &meta, payload)
	if err != nil {
		e.deliver(f, gen, "", nil, lambdaError(err))
	}
	ex.mu.Lock()
	if f.phase != phInvoking || f.gen != gen {
		ex.mu.Unlock()
		return nil
	}
	if f.cbDone {
		f.phase = phRun
		ex.mu.Unlock()
		return f
	}
	f.phase = phCallback
	ex.emitLocked(f, event{typ: evTaskSubmitted, st: f.st}.with(dOutput, map[string]any{
		"StatusCode": int64(200), "ExecutedVersion": "$LATEST"}))
	// Saved under the lock: once it is unlocked, a callback may run f.
	e.shelveLocked(f)
	e.saveLocked(f)
	ex.mu.Unlock()
	return nil
}

// armTaskTimers starts the attempt's timeout and heartbeat timers; cancel,
// if set, stops an in-flight handler when a timer fires.
func (e *Engine) armTaskTimers(f *frame, gen uint64, cancel context.CancelFunc) {
	ex := f.ex
	now := e.clock.Now()
	var tmo, hb Timer
	if !f.timeoutAt.IsZero() {
		tmo = e.clock.AfterFunc(f.timeoutAt.Sub(now), func() {
			if e.deliver(f, gen, "", nil, &asl.Error{Name: asl.ErrTimeout, Cause: "The task timed out"}) && cancel != nil {
				cancel()
			}
		})
	}
	if !f.hbAt.IsZero() {
		hb = e.clock.AfterFunc(f.hbAt.Sub(now), e.heartbeatExpired(f, gen, cancel))
	}
	ex.mu.Lock()
	if f.gen == gen {
		f.tmo, f.hb = tmo, hb
		ex.mu.Unlock()
		return
	}
	ex.mu.Unlock()
	for _, t := range []Timer{tmo, hb} {
		if t != nil {
			t.Stop()
		}
	}
}

// heartbeatExpired is the heartbeat timer's function.
func (e *Engine) heartbeatExpired(f *frame, gen uint64, cancel context.CancelFunc) func() {
	return func() {
		if e.deliver(f, gen, "", nil, &asl.Error{Name: asl.ErrHeartbeatTimeout,
			Cause: "The task missed its heartbeat"}) && cancel != nil {
			cancel()
		}
	}
}

// deliver settles the frame's pending attempt of generation gen (or, for a
// callback, with token) with a result or an error. It reports whether it
// did: a stale or second answer is dropped. A parked frame is scheduled.
func (e *Engine) deliver(f *frame, gen uint64, token string, out any, fail *asl.Error) bool {
	_, ok := e.settle(f, gen, token, out, fail)
	return ok
}

// settle is deliver; an answer to a token is also saved with the frame,
// and settle returns the writer batch to wait for before acknowledging
// it. Results from inside the engine (a handler's, a timer's, a child
// execution's) are not saved: after a crash they are produced again.
func (e *Engine) settle(f *frame, gen uint64, token string, out any, fail *asl.Error) (uint64, bool) {
	ex := f.ex
	ex.mu.Lock()
	ok := !ex.over.Load() && !f.cancelled && !f.cbDone &&
		(f.phase == phInvoking || f.phase == phCallback || f.phase == phChildExec)
	if token != "" {
		ok = ok && f.token == token
	} else {
		ok = ok && f.gen == gen
	}
	if !ok {
		ex.mu.Unlock()
		return 0, false
	}
	f.cbDone, f.cbOut, f.cbErr = true, out, fail
	parked := f.phase != phInvoking
	if parked {
		f.phase = phRun
	}
	var ticket uint64
	if token != "" {
		// Saved under the lock, before the frame can run on: nothing but
		// this call touches a parked frame, and a frame still invoking
		// its function only reads its fields until it takes the lock.
		e.saveLocked(f)
		ticket = ex.ticket
	}
	ex.mu.Unlock()
	if parked {
		e.spawn(f)
	}
	return ticket, true
}

// taskResult consumes a delivered result.
func (e *Engine) taskResult(f *frame) *frame {
	ex := f.ex
	ex.mu.Lock()
	out, fail := f.takeResultLocked()
	ex.mu.Unlock()
	return e.taskDone(f, out, fail)
}

// endAttempt clears what belongs to the current attempt: its timers, its
// token, its child execution; and records ev, if not nil, under the same
// lock.
func (e *Engine) endAttempt(f *frame, ev *event) {
	ex := f.ex
	ex.mu.Lock()
	if ev != nil {
		ex.emitLocked(f, *ev)
	}
	f.gen++
	f.stopTimers()
	tok := f.token
	f.token, f.child, f.timeoutAt, f.hbAt, f.hbSecs = "", "", time.Time{}, time.Time{}, 0
	f.cbDone, f.cbOut, f.cbErr = false, nil, nil
	ex.mu.Unlock()
	if tok != "" {
		e.mu.Lock()
		delete(e.tokens, tok)
		e.mu.Unlock()
	}
}

// taskDone ends an attempt with a result or an error.
func (e *Engine) taskDone(f *frame, out any, fail *asl.Error) *frame {
	if e.closing.Load() {
		// Close cancelled the handler's context: the attempt did not
		// complete, and runs again on Resume.
		return nil
	}
	st := f.st
	lambda := f.ex.m.tasks[st].kind == kindLambdaARN
	if fail != nil {
		typ := pick(lambda, evLambdaFunctionFailed, evTaskFailed)
		if fail.Name == asl.ErrTimeout || fail.Name == asl.ErrHeartbeatTimeout {
			typ = pick(lambda, evLambdaFunctionTimedOut, evTaskTimedOut)
		}
		e.endAttempt(f, &event{typ: typ, st: st, k: dError, v: fail})
		return e.handleError(f, fail)
	}
	e.endAttempt(f, &event{typ: pick(lambda, evLambdaFunctionSucceeded, evTaskSucceeded), st: st, k: dOutput, v: out})
	res, err := st.StateOutput(f.input, out, f.context())
	if err != nil {
		return e.handleError(f, asError(err))
	}
	return e.complete(f, res)
}

// attemptFailed ends an attempt that failed before its resource was
// called (a bad path in Parameters or the timeouts).
func (e *Engine) attemptFailed(f *frame, fail *asl.Error) *frame {
	e.endAttempt(f, nil)
	return e.handleError(f, fail)
}
