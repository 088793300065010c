// Package states is a local AWS Step Functions engine: it runs the Amazon
// States Language definitions in workflows/ as AWS does, with Task states
// calling in-process Lambda handlers, keeps executions in a bbolt file so a
// restart resumes every one where it was, and answers the Step Functions API
// (StartExecution, SendTaskSuccess, DescribeExecution, …) with its own
// types.
//
// It knows nothing of the application that runs on it.
package states

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"go.etcd.io/bbolt"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// Default ARN parts of the local engine.
const (
	DefaultRegion  = "eu-west-2"
	DefaultAccount = "000000000000"
)

// Options configure an Engine. The zero value is an in-memory engine on the
// wall clock.
type Options struct {
	// DB keeps executions, timers, callbacks and histories; nil keeps
	// everything in memory only.
	DB *bbolt.DB
	// Clock drives every timer; nil is the wall clock.
	Clock Clock
	// Region and Account make up ARNs (defaults eu-west-2, 000000000000).
	Region, Account string
	// Logger reports problems the engine cannot return to a caller.
	Logger *slog.Logger
	// Jitter returns a number in [0,1) for retriers with JitterStrategy
	// FULL; nil uses math/rand.
	Jitter func() float64
	// Mock, when set, answers every Task state instead of calling its
	// resource (the `states test` command).
	Mock Mocker
	// MaxFinished bounds how many finished executions an in-memory engine
	// remembers (oldest forgotten first); 0 remembers all.
	MaxFinished int
}

// Mocker answers Task states in test mode. call counts the state's
// invocations in the execution from 0 (retries included). ok false means the
// state has no mocked response.
type Mocker interface {
	Mock(state string, call int) (result any, err *asl.Error, ok bool)
}

// Engine runs state machines. Create it with New, register handlers and
// state machines, then call Resume to continue the executions a previous
// process left.
type Engine struct {
	opts   Options
	clock  Clock
	log    *slog.Logger
	jitter func() float64
	w      *writer // nil in memory

	ctx    context.Context // handed to handlers; cancelled by Close
	cancel context.CancelFunc

	mu       sync.Mutex
	machines map[string]*machine                // by name and by ARN
	handlers atomic.Pointer[map[string]Handler] // by function name (logical ID); copied on write
	execs    map[string]*execution
	finished []string // in-memory finish order, for MaxFinished
	tokens   map[string]*frame
	waiters  map[string][]*frame // child execution ARN → .sync parents

	closing atomic.Bool
	active  sync.WaitGroup // goroutines running frames
	work    chan job       // hands a frame to an idle worker
	idlers  atomic.Int32   // idle workers
	workers sync.WaitGroup // worker goroutines, idle or not
	idleMu  sync.Mutex
	busy    int
	idle    *sync.Cond
}

// New returns an engine. With a DB it creates its buckets (all named
// "states.…") and starts the group-commit writer; it does not continue the
// executions the DB holds, since their handlers and state machines are not
// registered yet: call Resume for that.
func New(opts Options) (*Engine, error) {
	if opts.Region == "" {
		opts.Region = DefaultRegion
	}
	if opts.Account == "" {
		opts.Account = DefaultAccount
	}
	e := &Engine{
		opts:     opts,
		clock:    opts.Clock,
		log:      opts.Logger,
		jitter:   opts.Jitter,
		machines: map[string]*machine{},
		execs:    map[string]*execution{},
		tokens:   map[string]*frame{},
		waiters:  map[string][]*frame{},
		work:     make(chan job),
	}
	e.idle = sync.NewCond(&e.idleMu)
	if e.clock == nil {
		e.clock = RealClock{}
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.jitter == nil {
		e.jitter = rand.Float64
	}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	if opts.DB != nil {
		w, err := newWriter(opts.DB)
		if err != nil {
			return nil, err
		}
		e.w = w
	}
	return e, nil
}

// RegisterHandler makes h the Lambda function named name: a template
// logical ID ("ScreenApplicationFunction") or a function ARN. A handler
// made by lambda.NewHandler runs one call at a time, since its response
// is a buffer its next call reuses; TypedHandler(fn) runs calls at once.
func (e *Engine) RegisterHandler(name string, h Handler) {
	if reusesResponse(h) {
		e.log.Warn("states: a lambda.NewHandler handler runs one call at a time; register states.TypedHandler(fn) instead",
			"function", name)
		h = &exclusive{h: h}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	hs := map[string]Handler{}
	if old := e.handlers.Load(); old != nil {
		maps.Copy(hs, *old)
	}
	hs[functionName(name)] = h
	e.handlers.Store(&hs)
}

// handler returns the handler of a function name or ARN.
func (e *Engine) handler(fn string) (Handler, bool) {
	hs := e.handlers.Load()
	if hs == nil {
		return nil, false
	}
	h, ok := (*hs)[functionName(fn)]
	return h, ok
}

// Close stops the engine: timers stop, running executions stop at their
// next state boundary, pending writes are committed. Executions stay
// RUNNING in the DB and a new engine's Resume continues them. Close does
// not close the DB.
func (e *Engine) Close() error {
	if e.closing.Swap(true) {
		return nil
	}
	e.cancel()
	e.mu.Lock()
	for _, ex := range e.execs {
		ex.stopTimers()
	}
	e.mu.Unlock()
	e.active.Wait()
	e.workers.Wait()
	if e.w != nil {
		return e.w.close()
	}
	return nil
}

// maxIdlers is how many workers may wait for the next frame to run.
const maxIdlers = 8

// job is a frame to run from the instant at (0: read the clock).
type job struct {
	f  *frame
	at int64
}

// spawn runs f on a goroutine of its own, unless the engine is closing.
func (e *Engine) spawn(f *frame) { e.spawnAt(f, 0) }

// spawnAt is spawn for a caller that has just read the clock: at is the
// time in unix nanoseconds. An idle worker takes the frame if there is
// one: a goroutine that has run frames before has the stack they need.
func (e *Engine) spawnAt(f *frame, at int64) {
	if e.closing.Load() {
		return
	}
	e.enter()
	select {
	case e.work <- job{f, at}:
		return
	default:
	}
	e.workers.Add(1)
	go e.worker(job{f, at})
}

// worker runs j, then waits for the next job while fewer than maxIdlers
// others wait, until the engine closes.
func (e *Engine) worker(j job) {
	defer e.workers.Done()
	for {
		e.run(j.f, j.at)
		e.leave()
		if e.idlers.Add(1) > maxIdlers {
			e.idlers.Add(-1)
			return
		}
		select {
		case j = <-e.work:
			e.idlers.Add(-1)
		case <-e.ctx.Done():
			e.idlers.Add(-1)
			return
		}
	}
}

// enter and leave count busy goroutines for WaitIdle.
func (e *Engine) enter() {
	e.active.Add(1)
	e.idleMu.Lock()
	e.busy++
	e.idleMu.Unlock()
}

func (e *Engine) leave() {
	e.idleMu.Lock()
	e.busy--
	if e.busy == 0 {
		e.idle.Broadcast()
	}
	e.idleMu.Unlock()
	e.active.Done()
}

// WaitIdle blocks until no execution is running a state: every one has
// finished or waits for a timer, a callback or a child execution. A Lambda
// handler still running (also one a TimeoutSeconds timer watches) counts
// as busy. Tests and the test command call it before advancing a
// FakeClock.
func (e *Engine) WaitIdle() {
	e.idleMu.Lock()
	for e.busy > 0 {
		e.idle.Wait()
	}
	e.idleMu.Unlock()
}

// Wait blocks until the execution has finished or ctx ends, and returns it.
func (e *Engine) Wait(ctx context.Context, executionARN string) (*Execution, error) {
	e.mu.Lock()
	ex := e.execs[executionARN]
	e.mu.Unlock()
	if ex == nil {
		return e.DescribeExecution(ctx, executionARN)
	}
	select {
	case <-ex.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Described from the record held, not looked up again: with
	// MaxFinished an engine may already have forgotten it.
	return ex.describe(), nil
}

// errClosed is returned by API calls after Close.
var errClosed = errors.New("states: the engine is closed")
