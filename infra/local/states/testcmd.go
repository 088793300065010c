package states

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// TestResult is what `states test` prints: one JSON object.
type TestResult struct {
	Status string          `json:"status"`
	Output json.RawMessage `json:"output"` // null unless SUCCEEDED
	Error  string          `json:"error"`
	Cause  string          `json:"cause"`
	States []string        `json:"states"` // top-level states entered, in order
}

// testFlags are the command's flags.
type testFlags struct {
	definition, mockConfig, machine, testCase, input string
}

// maxTestDuration bounds the fake time a `states test` execution may use:
// a Standard execution lives at most a year in AWS, so a workflow that
// still runs after that (a polling loop, say) is stopped, not run forever.
const maxTestDuration = 366 * 24 * time.Hour

// TestCommand runs `states test --definition FILE --mock-config FILE
// --state-machine NAME --test-case NAME [--input JSON]`: one execution of
// the definition with the test case's mocked Task states, on a fake clock
// that jumps to the next timer whenever the execution waits, so Wait
// states and retry intervals cost no time. It prints a TestResult on
// stdout and returns 0 whatever the execution's status; it returns 2, with
// the reason on stderr, only when the command itself cannot run.
func TestCommand(args []string, stdout, stderr io.Writer) int {
	res, err := runTest(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "states test: %v\n", err)
		return 2
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false) // outputs are shown as AWS shows them
	if err := enc.Encode(res); err != nil {
		fmt.Fprintf(stderr, "states test: writing the result: %v\n", err)
		return 2
	}
	return 0
}

// parseTestFlags reads and checks the flags.
func parseTestFlags(args []string, stderr io.Writer) (*testFlags, error) {
	var f testFlags
	fs := flag.NewFlagSet("states test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.definition, "definition", "", "the state machine definition (ASL JSON file)")
	fs.StringVar(&f.mockConfig, "mock-config", "", "the mock configuration (Step Functions Local MockConfigFile JSON)")
	fs.StringVar(&f.machine, "state-machine", "", "the state machine's name in the mock configuration")
	fs.StringVar(&f.testCase, "test-case", "", "the test case to run")
	fs.StringVar(&f.input, "input", "{}", "the execution input (JSON)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, req := range []struct{ name, val string }{{"definition", f.definition},
		{"mock-config", f.mockConfig}, {"state-machine", f.machine}, {"test-case", f.testCase}} {
		if req.val == "" {
			return nil, fmt.Errorf("the --%s flag is required", req.name)
		}
	}
	if !json.Valid([]byte(f.input)) {
		var v any
		return nil, fmt.Errorf("--input is not valid JSON: %v", json.Unmarshal([]byte(f.input), &v))
	}
	return &f, nil
}

// runTest does the work of TestCommand.
func runTest(args []string, stderr io.Writer) (*TestResult, error) {
	f, err := parseTestFlags(args, stderr)
	if err != nil {
		return nil, err
	}
	defJSON, err := os.ReadFile(f.definition)
	if err != nil {
		return nil, fmt.Errorf("reading the definition: %w", err)
	}
	mockJSON, err := os.ReadFile(f.mockConfig)
	if err != nil {
		return nil, fmt.Errorf("reading the mock config: %w", err)
	}
	cfg, err := ParseMockConfig(mockJSON)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.mockConfig, err)
	}
	mocker, err := cfg.TestCase(f.machine, f.testCase)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.mockConfig, err)
	}
	def, err := asl.Parse(defJSON)
	if err != nil {
		return nil, fmt.Errorf("definition %s is not valid:\n%w", f.definition, err)
	}
	if err := checkMockedStates(def, cfg.Mocked(f.machine, f.testCase), f.testCase); err != nil {
		return nil, fmt.Errorf("%s: %w", f.mockConfig, err)
	}
	clock := newTestClock(time.Now().UTC().Truncate(time.Millisecond))
	e, err := New(Options{Clock: clock, Mock: mocker})
	if err != nil {
		return nil, err
	}
	defer e.Close()
	if _, err := e.AddStateMachine(machineName(f.machine), defJSON); err != nil {
		return nil, fmt.Errorf("definition %s: %w", f.definition, err)
	}
	return execute(e, clock, machineName(f.machine), f.input, def)
}

// machineName turns a mock config's state machine name into one the
// engine accepts: it refuses ':', '/' and spaces.
func machineName(s string) string {
	return strings.NewReplacer(":", "-", "/", "-", " ", "-").Replace(s)
}

// checkMockedStates reports mocks of states the definition does not have
// (at any depth), which would otherwise be silently ignored.
func checkMockedStates(def *asl.Definition, mocked []string, testCase string) error {
	have := map[string]bool{}
	var walk func(d *asl.Definition)
	walk = func(d *asl.Definition) {
		for name, st := range d.States {
			have[name] = true
			for _, b := range st.Branches {
				walk(b)
			}
			if st.ItemProcessor != nil {
				walk(st.ItemProcessor)
			}
		}
	}
	walk(def)
	for _, s := range mocked {
		if !have[s] {
			return fmt.Errorf("test case %s mocks the state %q, which the definition does not have", testCase, s)
		}
	}
	return nil
}

// execute starts the execution and drives the clock until it ends.
func execute(e *Engine, clock *testClock, machine, input string, def *asl.Definition) (*TestResult, error) {
	ctx := context.Background()
	ex, err := e.StartExecution(ctx, StartExecutionInput{StateMachine: machine, Name: "states-test", Input: json.RawMessage(input)})
	if err != nil {
		return nil, err
	}
	deadline := clock.Now().Add(maxTestDuration)
	for {
		clock.settle(e)
		d, err := e.DescribeExecution(ctx, ex.ARN)
		if err != nil {
			return nil, err
		}
		if d.Status != ExecRunning {
			break
		}
		next, ok := clock.Next()
		if !ok || next.After(deadline) {
			if err := stopStuck(ctx, e, ex.ARN, ok); err != nil {
				return nil, err
			}
			continue
		}
		clock.Advance(next.Sub(clock.Now()))
	}
	return result(ctx, e, ex.ARN, def)
}

// stopStuck aborts an execution that nothing will move on: it waits for a
// callback no mock answers, or it would outlive a year.
func stopStuck(ctx context.Context, e *Engine, arn string, longWait bool) error {
	cause := "the execution waits for a task token callback or a child execution that nothing will complete (mock the state in the test case)"
	if longWait {
		cause = "the execution would run for more than a year, longer than AWS lets a Standard workflow run"
	}
	return e.StopExecution(ctx, arn, "StatesTest.Stuck", cause)
}

// result reads the finished execution.
func result(ctx context.Context, e *Engine, arn string, def *asl.Definition) (*TestResult, error) {
	d, err := e.DescribeExecution(ctx, arn)
	if err != nil {
		return nil, err
	}
	hist, err := e.GetExecutionHistory(ctx, arn)
	if err != nil {
		return nil, err
	}
	res := &TestResult{Status: d.Status, Error: d.Error, Cause: d.Cause, States: topLevelStates(hist, def)}
	if d.Status == ExecSucceeded {
		res.Output = json.RawMessage(d.Output)
	}
	return res, nil
}

// topLevelStates lists the top-level states entered, in order. Parallel
// branches and Map iterations are skipped: from a top-level Parallel or
// Map state's Entered (or, on a retry, Started) event to its own
// Succeeded, Failed or Exited event, every event is nested. Only event
// types and state names are used, so cancelled nested branches, which end
// with no event, cannot upset a count.
func topLevelStates(hist []HistoryEvent, def *asl.Definition) []string {
	states := []string{}
	open := "" // the top-level Parallel or Map state running its children
	for _, ev := range hist {
		if open != "" {
			if ev.StateName == open && closesChildren[ev.Type] {
				open = ""
			}
			continue
		}
		if def.States[ev.StateName] == nil {
			continue
		}
		if strings.HasSuffix(ev.Type, "StateEntered") {
			states = append(states, ev.StateName)
		}
		if opensChildren[ev.Type] {
			open = ev.StateName
		}
	}
	return states
}

// History event types that open and close a state's children.
var (
	opensChildren = map[string]bool{"ParallelStateEntered": true, "ParallelStateStarted": true,
		"MapStateEntered": true, "MapStateStarted": true}
	closesChildren = map[string]bool{"ParallelStateSucceeded": true, "ParallelStateFailed": true,
		"ParallelStateAborted": true, "ParallelStateExited": true, "MapStateSucceeded": true,
		"MapStateFailed": true, "MapStateAborted": true, "MapStateExited": true}
)

// testClock is a FakeClock that also counts the callbacks it runs at once
// (timers of no duration), which the engine does not count as busy until
// they have started a frame; settle waits for those too.
type testClock struct {
	*FakeClock
	mu       sync.Mutex
	cond     *sync.Cond
	started  uint64 // immediate callbacks started, ever
	inflight int
}

func newTestClock(start time.Time) *testClock {
	c := &testClock{FakeClock: NewFakeClock(start)}
	c.cond = sync.NewCond(&c.mu)
	return c
}

// noTimer is the Timer of a callback already running.
type noTimer struct{}

func (noTimer) Stop() bool { return false }

// AfterFunc runs f at once for d <= 0, counted, else defers to FakeClock.
func (c *testClock) AfterFunc(d time.Duration, f func()) Timer {
	if d > 0 {
		return c.FakeClock.AfterFunc(d, f)
	}
	c.mu.Lock()
	c.started++
	c.inflight++
	c.mu.Unlock()
	go func() {
		defer func() {
			c.mu.Lock()
			c.inflight--
			c.cond.Broadcast()
			c.mu.Unlock()
		}()
		f()
	}()
	return noTimer{}
}

// settle returns when the engine is idle and no immediate callback is
// running or could have started work since: the started count unchanged
// across an idle engine means nothing woke it in between.
func (c *testClock) settle(e *Engine) {
	for {
		c.mu.Lock()
		for c.inflight > 0 {
			c.cond.Wait()
		}
		before := c.started
		c.mu.Unlock()
		e.WaitIdle()
		c.mu.Lock()
		quiet := c.started == before && c.inflight == 0
		c.mu.Unlock()
		if quiet {
			return
		}
	}
}
