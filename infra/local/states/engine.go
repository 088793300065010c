// Package states is a local AWS Step Functions engine: it runs the Amazon
// States Language definitions in workflows/ as AWS does, with Task states
// calling in-process Lambda handlers, keeps executions in a bbolt file so a
// restart resumes every one where it was, and implements pathway.Workflows,
// the Step Functions API the application uses.
package states

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"go.etcd.io/bbolt"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

var _ pathway.Workflows = (*Engine)(nil)

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
	machines map[string]*machine // by name and by ARN
	handlers map[string]Handler  // by function name (logical ID)
	execs    map[string]*execution
	finished []string // in-memory finish order, for MaxFinished
	tokens   map[string]*frame
	waiters  map[string][]*frame // child execution ARN → .sync parents

	closing atomic.Bool
	active  sync.WaitGroup // goroutines running frames
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
		handlers: map[string]Handler{},
		execs:    map[string]*execution{},
		tokens:   map[string]*frame{},
		waiters:  map[string][]*frame{},
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
// logical ID ("ScreenApplicationFunction") or a function ARN.
func (e *Engine) RegisterHandler(name string, h Handler) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.handlers[functionName(name)] = h
}

// handler returns the handler of a function name or ARN.
func (e *Engine) handler(fn string) (Handler, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	h, ok := e.handlers[functionName(fn)]
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
	if e.w != nil {
		return e.w.close()
	}
	return nil
}

// spawn runs f on a new goroutine, unless the engine is closing.
func (e *Engine) spawn(f *frame) {
	if e.closing.Load() {
		return
	}
	e.enter()
	go func() {
		defer e.leave()
		e.run(f)
	}()
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
func (e *Engine) Wait(ctx context.Context, executionARN string) (*pathway.Execution, error) {
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
