package states

import (
	"strconv"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// phase is where a frame stands within its current state.
type phase uint8

const (
	phRun       phase = iota // ready to run its state (or running it)
	phWait                   // a Wait state's timer
	phRetry                  // a retry interval's timer
	phInvoking               // a callback task's invocation is in flight
	phCallback               // waiting for SendTask* with its token
	phChildren               // a Parallel or Map state waits for its branches/iterations
	phChildExec              // a .sync task waits for its child execution
	phDone                   // a branch or iteration that finished (output kept)
)

// frame is one thread of control: the execution's top level, a Parallel
// branch or a Map iteration. Exactly one goroutine runs a frame at a time;
// a frame that waits holds no goroutine. Fields that timers, callbacks or
// other frames touch (phase, gen, cancelled, the callback result, kids) are
// guarded by ex.mu.
type frame struct {
	ex     *execution
	key    string // "r", then ".<i>" per nesting level
	parent *frame
	idx    int
	def    *asl.Definition

	st         *asl.State
	input      any    // the state's raw input
	shelved    string // the input as JSON while the frame is parked (with a DB)
	enteredAt  time.Time
	retries    []int64 // attempts per retrier
	retryCount int
	last       int64 // the frame's last history event
	now        int64 // unix nanoseconds of the current step, for its events
	visit      int64 // the ID of the state's Entered event: tells entries apart

	// The small fields sit together so the struct packs tightly: a
	// waiting execution is mostly its frame.
	phase     phase
	entered   bool
	cancelled bool
	cbDone    bool // a callback result (or timeout) is waiting to be consumed
	dropKids  bool // the next save deletes the kids' records (Parallel, Map)

	gen       uint64 // bumped on every park and wake, to drop stale wakeups
	timer     Timer  // Wait or retry timer
	tmo, hb   Timer  // callback timeout and heartbeat timers
	due       time.Time
	timeoutAt time.Time
	hbAt      time.Time
	hbSecs    int64 // HeartbeatSeconds of the attempt
	token     string
	cbOut     any
	cbErr     *asl.Error
	child     string // .sync child execution ARN
	output    any    // phDone

	// Parallel and Map
	kids      []*frame
	results   []any
	remaining int
	nextItem  int
	items     []any
	kidInput  any // the Map's effective input, for ItemSelector
	maxConc   int
	running   int
}

// walk calls fn for f and every frame below it.
func (f *frame) walk(fn func(*frame)) {
	fn(f)
	for _, k := range f.kids {
		if k != nil {
			k.walk(fn)
		}
	}
}

// stopTimers stops the frame's timers.
func (f *frame) stopTimers() {
	for _, t := range []*Timer{&f.timer, &f.tmo, &f.hb} {
		if *t != nil {
			(*t).Stop()
			*t = nil
		}
	}
}

// kidKey is the key of the i-th branch or iteration of f.
func (f *frame) kidKey(i int) string { return f.key + "." + strconv.Itoa(i) }

// stopped reports whether the frame must not run on.
func (f *frame) stopped() bool {
	if f.ex.over.Load() {
		return true
	}
	if f.parent == nil {
		return false // only branches and iterations are cancelled
	}
	f.ex.mu.Lock()
	c := f.cancelled
	f.ex.mu.Unlock()
	return c
}

// clockSteps is how many steps in a row may share one reading of the clock.
const clockSteps = 8

// run runs f (and whatever frame it hands over to) until it waits or ends.
// at, if not 0, is the current time in unix nanoseconds.
//
// Reading the clock is a noticeable part of a transition's cost, so
// readings are shared: one serves every event of a run of steps that
// call nothing outside the engine, up to clockSteps of them; the clock is
// read again after a Lambda function returns (invokeLambda) and when the
// run hands over to another frame.
func (e *Engine) run(f *frame, at int64) {
	if f == nil {
		return
	}
	if at == 0 {
		at = e.clock.Now().UnixNano()
	}
	f.now = at
	for n := 1; f != nil && !e.closing.Load(); n++ {
		if f.stopped() {
			return
		}
		next := e.step(f)
		switch {
		case next == nil:
		case next != f || n%clockSteps == 0:
			next.now = e.clock.Now().UnixNano()
		}
		f = next
	}
}

// step runs f's current state at the instant f.now and returns the frame
// to run next on this goroutine, or nil.
func (e *Engine) step(f *frame) *frame {
	f.unshelve()
	st := f.st
	if !f.entered {
		f.entered = true
		f.enteredAt = time.Unix(0, f.now)
		f.retries = f.retries[:0]
		f.retryCount = 0
		f.ex.emit(f, event{typ: enteredType(st.Type), st: st}.with(dInput, f.input))
		f.visit = f.last
	}
	switch st.Type {
	case asl.TypePass:
		return e.pass(f)
	case asl.TypeChoice:
		return e.choice(f)
	case asl.TypeWait:
		return e.wait(f)
	case asl.TypeSucceed:
		return e.succeed(f)
	case asl.TypeFail:
		return e.failState(f)
	case asl.TypeTask:
		return e.task(f)
	case asl.TypeParallel:
		return e.parallel(f)
	case asl.TypeMap:
		return e.mapState(f)
	}
	return e.frameFailed(f, &asl.Error{Name: asl.ErrRuntime, Cause: "unknown state type " + st.Type})
}

// pass runs a Pass state.
func (e *Engine) pass(f *frame) *frame {
	st := f.st
	ctx := f.context()
	eff, err := st.EffectiveInput(f.input, ctx)
	if err != nil {
		return e.frameFailed(f, asError(err))
	}
	out, err := st.StateOutput(f.input, st.PassResult(eff), ctx)
	if err != nil {
		return e.frameFailed(f, asError(err))
	}
	return e.complete(f, out)
}

// choice runs a Choice state.
func (e *Engine) choice(f *frame) *frame {
	st := f.st
	ctx := f.context()
	eff, err := st.InputPath.Get(f.input, ctx)
	if err != nil {
		return e.frameFailed(f, asError(err))
	}
	next, err := st.ChooseCtx(eff, ctx)
	if err != nil {
		return e.frameFailed(f, asError(err))
	}
	out, err := st.OutputPath.Get(eff, ctx)
	if err != nil {
		return e.frameFailed(f, asError(err))
	}
	return e.transition(f, next, out)
}

// succeed runs a Succeed state.
func (e *Engine) succeed(f *frame) *frame {
	st := f.st
	ctx := f.context()
	eff, err := st.InputPath.Get(f.input, ctx)
	if err != nil {
		return e.frameFailed(f, asError(err))
	}
	out, err := st.OutputPath.Get(eff, ctx)
	if err != nil {
		return e.frameFailed(f, asError(err))
	}
	f.exited(out)
	return e.frameSucceeded(f, out)
}

// failState runs a Fail state.
func (e *Engine) failState(f *frame) *frame {
	st := f.st
	ctx := f.context()
	fail := &asl.Error{Name: st.Error, Cause: st.Cause}
	if st.ErrorPath.IsSet() {
		s, err := stringAt(st.ErrorPath, f.input, ctx, "ErrorPath")
		if err != nil {
			return e.frameFailed(f, err)
		}
		fail.Name = s
	}
	if st.CausePath.IsSet() {
		s, err := stringAt(st.CausePath, f.input, ctx, "CausePath")
		if err != nil {
			return e.frameFailed(f, err)
		}
		fail.Cause = s
	}
	return e.frameFailed(f, fail)
}

// stringAt evaluates a path that must yield a string.
func stringAt(p asl.Path, input, ctx any, field string) (string, *asl.Error) {
	v, err := p.Get(input, ctx)
	if err != nil {
		return "", asError(err)
	}
	s, ok := v.(string)
	if !ok {
		return "", &asl.Error{Name: asl.ErrRuntime, Cause: "the value of " + field + " '" + p.String() + "' is not a string"}
	}
	return s, nil
}

// complete ends a state that produced out: its Exited event, then End or
// Next.
func (e *Engine) complete(f *frame, out any) *frame {
	st := f.st
	if st.End {
		f.exited(out)
		return e.frameSucceeded(f, out)
	}
	return e.transition(f, st.Next, out)
}

// exited records the Exited event of f's current state with its output:
// the one shape every way out of a state shares.
func (f *frame) exited(out any) {
	f.ex.emit(f, event{typ: exitedType(f.st.Type), st: f.st}.with(dOutput, out))
}

// transition records the Exited event of f's state with its output and
// moves f to the state next with it as input, persisting the move before
// the next state runs.
func (e *Engine) transition(f *frame, next string, output any) *frame {
	ex := f.ex
	// Under the lock: finish (StopExecution, a timeout) reads the phase,
	// token and child of every frame of the execution.
	ex.mu.Lock()
	ex.emitLocked(f, event{typ: exitedType(f.st.Type), st: f.st}.with(dOutput, output))
	st := f.def.States[next]
	if st == nil {
		ex.mu.Unlock()
		return e.frameFailed(f, &asl.Error{Name: asl.ErrRuntime, Cause: "no state named " + next})
	}
	prev := f.st
	f.st, f.input, f.entered, f.phase = st, output, false, phRun
	f.due, f.token, f.child = time.Time{}, "", ""
	ok := e.saveLocked(f)
	ex.mu.Unlock()
	if !ok {
		return nil
	}
	if hasEffects(prev) {
		// What a task did must never be done again after a restart.
		e.flush(ex)
	}
	return f
}

// hasEffects reports whether running st again would repeat work done
// outside the engine (a Task, or a Parallel or Map that may hold Tasks).
// The completion of such a state is committed before anything goes on;
// that of the others (Pass, Choice, Wait…) rides along with the next
// commit, and at worst they run again after a crash.
func hasEffects(st *asl.State) bool {
	return st.Type == asl.TypeTask || st.Type == asl.TypeParallel || st.Type == asl.TypeMap
}

// handleError applies the state's Retry and Catch to err (Task, Parallel
// and Map only), or fails the frame.
func (e *Engine) handleError(f *frame, fail *asl.Error) *frame {
	st := f.st
	if st.Type != asl.TypeTask && st.Type != asl.TypeParallel && st.Type != asl.TypeMap {
		return e.frameFailed(f, fail)
	}
	if i := st.FindRetrier(fail.Name); i >= 0 {
		for len(f.retries) < len(st.Retry) {
			f.retries = append(f.retries, 0)
		}
		r := &st.Retry[i]
		if f.retries[i] < r.MaxAttempts {
			delay := r.Delay(int(f.retries[i]), e.jitter)
			f.retries[i]++
			f.retryCount++
			return e.park(f, phRetry, e.clock.Now().Add(delay))
		}
	}
	if c := st.FindCatcher(fail.Name); c != nil {
		out, err := c.ResultPath.Apply(f.input, asl.ErrorOutput(fail.Name, fail.Cause))
		if err != nil {
			return e.frameFailed(f, asError(err))
		}
		return e.transition(f, c.Next, out)
	}
	return e.frameFailed(f, fail)
}

// advancePhase moves f to ph and returns its new generation: a timer or
// callback armed now carries it, so that one left from an earlier phase is
// recognised as stale and dropped.
func (f *frame) advancePhase(ph phase) uint64 {
	f.ex.mu.Lock()
	defer f.ex.mu.Unlock()
	f.phase = ph
	f.gen++
	return f.gen
}

// takeResultLocked hands over the result delivered to f and clears it, so
// that it is consumed once. The caller holds f.ex.mu.
func (f *frame) takeResultLocked() (out any, fail *asl.Error) {
	out, fail = f.cbOut, f.cbErr
	f.cbDone, f.cbOut, f.cbErr = false, nil, nil
	return out, fail
}

// park makes f wait for a timer due at due (Wait and retry intervals).
func (e *Engine) park(f *frame, ph phase, due time.Time) *frame {
	ex := f.ex
	ex.mu.Lock()
	f.phase, f.due = ph, due
	f.gen++
	gen := f.gen
	e.shelveLocked(f)
	ok := e.saveLocked(f)
	ex.mu.Unlock()
	if ok {
		e.armTimer(f, ph, gen, due)
	}
	return nil
}

// armTimer sets f's timer to wake it at due.
func (e *Engine) armTimer(f *frame, ph phase, gen uint64, due time.Time) {
	d := due.Sub(e.clock.Now())
	if d <= 0 {
		e.wake(f, ph, gen)
		return
	}
	t := e.clock.AfterFunc(d, func() { e.wake(f, ph, gen) })
	f.ex.mu.Lock()
	if f.phase == ph && f.gen == gen {
		f.timer = t
	}
	f.ex.mu.Unlock()
}

// wake resumes f if it still waits in phase ph of generation gen.
func (e *Engine) wake(f *frame, ph phase, gen uint64) {
	ex := f.ex
	ex.mu.Lock()
	ok := !ex.over.Load() && !f.cancelled && f.phase == ph && f.gen == gen
	if ok {
		f.phase = phRun
		f.gen++
		f.timer = nil
	}
	ex.mu.Unlock()
	if ok {
		e.spawn(f)
	}
}

// frameSucceeded ends f with out: the execution, or a branch/iteration.
func (e *Engine) frameSucceeded(f *frame, out any) *frame {
	if f.parent == nil {
		e.finish(f.ex, f.now, ExecSucceeded, out, nil, evExecutionSucceeded)
		return nil
	}
	return e.kidDone(f, out, nil)
}

// frameFailed ends f with an error nothing in it caught.
func (e *Engine) frameFailed(f *frame, fail *asl.Error) *frame {
	if f.parent == nil {
		e.finish(f.ex, f.now, ExecFailed, nil, fail, evExecutionFailed)
		return nil
	}
	return e.kidDone(f, nil, fail)
}

// asError converts an error from the asl package to a States error.
func asError(err error) *asl.Error {
	if e, ok := err.(*asl.Error); ok {
		return e
	}
	return &asl.Error{Name: asl.ErrRuntime, Cause: err.Error()}
}

// secs is n seconds.
func secs(n int64) time.Duration { return time.Duration(n) * time.Second }
