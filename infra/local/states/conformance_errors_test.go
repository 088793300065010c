package states_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states"
)

// script is a Lambda function that fails with the listed error names in
// turn, then succeeds with {"calls": n}.
type script struct {
	mu    sync.Mutex
	errs  []string
	calls int
}

func (s *script) handler(_ context.Context, _ any) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.calls <= len(s.errs) {
		return nil, lambdaErr(s.errs[s.calls-1], "attempt failed")
	}
	return map[string]any{"calls": int64(s.calls)}, nil
}

func (s *script) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

const flakyARN = "arn:aws:lambda:eu-west-2:000000000000:function:Flaky"

// runScript runs a Task on the Flaky function with extra fields and
// returns the execution, the retry delays and the number of calls.
func runScript(t *testing.T, opts states.Options, errs []string, fields string) (*states.Execution, []time.Duration, int) {
	t.Helper()
	h := newHarness(t, opts)
	s := &script{errs: errs}
	h.handle("Flaky", s.handler)
	h.machine("r", `{"StartAt":"T","States":{
		"T":{"Type":"Task","Resource":"`+flakyARN+`",`+fields+`,"Next":"Done"},
		"Done":{"Type":"Choice","Default":"Ok","Choices":[
			{"Variable":"$.neverA","IsPresent":true,"Next":"Caught"},
			{"Variable":"$.neverB","IsPresent":true,"Next":"CaughtToo"}]},
		"Ok":{"Type":"Succeed"},
		"Caught":{"Type":"Pass","End":true},
		"CaughtToo":{"Type":"Pass","Result":"second catcher","End":true}}}`)
	d, delays := h.finish(h.start("r", `{"in":1}`).ARN)
	return d, delays, s.count()
}

func secs(f ...float64) []time.Duration {
	var ds []time.Duration
	for _, x := range f {
		ds = append(ds, time.Duration(x*float64(time.Second)))
	}
	return ds
}

func TestRetry(t *testing.T) {
	half := func() float64 { return 0.5 }
	tests := []struct {
		name   string
		jitter func() float64
		errs   []string
		retry  string
		delays []time.Duration
		calls  int
		err    string // "" = SUCCEEDED
	}{
		{"defaults: 1s, backoff 2, 3 attempts", nil, []string{"E", "E", "E"},
			`[{"ErrorEquals":["E"]}]`, secs(1, 2, 4), 4, ""},
		{"attempts exhausted", nil, []string{"E", "E", "E", "E"},
			`[{"ErrorEquals":["E"],"IntervalSeconds":1,"MaxAttempts":2}]`, secs(1, 2), 3, "E"},
		{"MaxAttempts 0 never retries", nil, []string{"E"},
			`[{"ErrorEquals":["E"],"MaxAttempts":0},{"ErrorEquals":["States.ALL"],"IntervalSeconds":9,"MaxAttempts":1}]`, nil, 1, "E"},
		{"BackoffRate 1.5 (the specification's example)", nil, []string{"E", "E", "E"},
			`[{"ErrorEquals":["E"],"IntervalSeconds":3,"MaxAttempts":2,"BackoffRate":1.5}]`, secs(3, 4.5), 3, "E"},
		{"MaxDelaySeconds caps the backoff", nil, []string{"E", "E", "E", "E"},
			`[{"ErrorEquals":["E"],"IntervalSeconds":2,"MaxAttempts":4,"BackoffRate":2,"MaxDelaySeconds":5}]`, secs(2, 4, 5, 5), 5, ""},
		{"JitterStrategy FULL scales the delay", half, []string{"E", "E"},
			`[{"ErrorEquals":["E"],"IntervalSeconds":4,"MaxAttempts":2,"BackoffRate":2,"JitterStrategy":"FULL"}]`, secs(2, 4), 3, ""},
		{"JitterStrategy NONE ignores Jitter", half, []string{"E"},
			`[{"ErrorEquals":["E"],"IntervalSeconds":4,"JitterStrategy":"NONE"}]`, secs(4), 2, ""},
		// The specification: each retrier keeps its own count, the first
		// matching retrier applies.
		{"retriers count separately", nil, []string{"ErrorA", "ErrorC", "ErrorB", "ErrorA"},
			`[{"ErrorEquals":["ErrorA","ErrorB"],"IntervalSeconds":1,"BackoffRate":2,"MaxAttempts":2},
			  {"ErrorEquals":["ErrorC"],"IntervalSeconds":5}]`, secs(1, 5, 2), 4, "ErrorA"},
		{"an unmatched error is not retried", nil, []string{"Other"},
			`[{"ErrorEquals":["E"]}]`, nil, 1, "Other"},
		{"States.ALL retries any error", nil, []string{"X", "Y"},
			`[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"BackoffRate":1}]`, secs(1, 1), 3, ""},
		{"States.TaskFailed retries a function error", nil, []string{"X"},
			`[{"ErrorEquals":["States.TaskFailed"],"IntervalSeconds":7}]`, secs(7), 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, delays, calls := runScript(t, states.Options{Jitter: tt.jitter}, tt.errs, `"Retry":`+tt.retry)
			if !slices.Equal(delays, tt.delays) {
				t.Errorf("retry delays %v, want %v", delays, tt.delays)
			}
			if calls != tt.calls {
				t.Errorf("%d calls, want %d", calls, tt.calls)
			}
			if tt.err == "" {
				wantSucceeded(t, d, `{"calls":`+strconv.Itoa(tt.calls)+`}`)
			} else {
				wantFailed(t, d, tt.err)
			}
		})
	}
}

func TestRetryIsOneStateEntry(t *testing.T) {
	h := newHarness(t, states.Options{})
	s := &script{errs: []string{"E", "E"}}
	h.handle("Flaky", s.handler)
	h.machine("r", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"`+flakyARN+`",
		"Retry":[{"ErrorEquals":["E"]}],"ResultSelector":{"calls.$":"$.calls","retries.$":"$$.State.RetryCount"},"End":true}}}`)
	ex := h.start("r", `{}`)
	d, _ := h.finish(ex.ARN)
	wantSucceeded(t, d, `{"calls":3,"retries":2}`)
	if got := entered(h, ex.ARN); !slices.Equal(got, []string{"T"}) {
		t.Errorf("entered %q: retries must not re-enter the state", got)
	}
}

func TestCatch(t *testing.T) {
	tests := []struct {
		name, fields, want string
		errs               []string
	}{
		{"ResultPath puts Error and Cause beside the input",
			`"Catch":[{"ErrorEquals":["E"],"ResultPath":"$.error","Next":"Caught"}]`,
			`{"in":1,"error":{"Error":"E","Cause":"{\"errorMessage\":\"attempt failed\",\"errorType\":\"E\"}"}}`, []string{"E"}},
		{"no ResultPath: the error object is the output",
			`"Catch":[{"ErrorEquals":["E"],"Next":"Caught"}]`,
			`{"Error":"E","Cause":"{\"errorMessage\":\"attempt failed\",\"errorType\":\"E\"}"}`, []string{"E"}},
		{"ResultPath null keeps the input",
			`"Catch":[{"ErrorEquals":["E"],"ResultPath":null,"Next":"Caught"}]`, `{"in":1}`, []string{"E"}},
		{"the first matching catcher wins",
			`"Catch":[{"ErrorEquals":["Other"],"Next":"CaughtToo"},{"ErrorEquals":["E"],"ResultPath":null,"Next":"Caught"},{"ErrorEquals":["States.ALL"],"Next":"CaughtToo"}]`,
			`{"in":1}`, []string{"E"}},
		{"States.ALL as the last catcher",
			`"Catch":[{"ErrorEquals":["Other"],"Next":"Caught"},{"ErrorEquals":["States.ALL"],"Next":"CaughtToo"}]`,
			`"second catcher"`, []string{"E"}},
		{"States.TaskFailed catches a function error",
			`"Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":null,"Next":"Caught"}]`, `{"in":1}`, []string{"Custom.Error"}},
		{"Retry first, then Catch",
			`"Retry":[{"ErrorEquals":["E"],"MaxAttempts":1}],"Catch":[{"ErrorEquals":["E"],"ResultPath":"$.n","Next":"CaughtToo"}]`,
			`"second catcher"`, []string{"E", "E"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _, _ := runScript(t, states.Options{}, tt.errs, tt.fields)
			wantSucceeded(t, d, tt.want)
		})
	}
}

// States.Runtime is neither retried nor caught, even by States.ALL or by
// name.
func TestRuntimeErrorsAreNotCaught(t *testing.T) {
	for _, eq := range []string{`["States.ALL"]`, `["States.Runtime"]`, `["States.TaskFailed"]`} {
		d, delays, calls := runScript(t, states.Options{}, nil,
			`"Parameters":{"x.$":"$.missing"},"Retry":[{"ErrorEquals":`+eq+`}],"Catch":[{"ErrorEquals":`+eq+`,"Next":"Caught"}]`)
		wantFailed(t, d, "States.Runtime")
		if len(delays) != 0 || calls != 0 {
			t.Errorf("ErrorEquals %s: %d retries and %d calls for a States.Runtime error, want none", eq, len(delays), calls)
		}
	}
}

// Timeouts match States.Timeout, States.HeartbeatTimeout and States.ALL,
// never States.TaskFailed.
func TestTimeoutErrorMatching(t *testing.T) {
	tests := []struct {
		timing, errorEquals string
		caught              bool
	}{
		{`"TimeoutSeconds":5`, `["States.Timeout"]`, true},
		{`"TimeoutSeconds":5`, `["States.ALL"]`, true},
		{`"TimeoutSeconds":5`, `["States.TaskFailed"]`, false},
		{`"TimeoutSeconds":5`, `["States.HeartbeatTimeout"]`, false},
		{`"HeartbeatSeconds":5`, `["States.HeartbeatTimeout"]`, true},
		{`"HeartbeatSeconds":5`, `["States.ALL"]`, true},
		{`"HeartbeatSeconds":5`, `["States.TaskFailed"]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.timing+" "+tt.errorEquals, func(t *testing.T) {
			h := newHarness(t, states.Options{})
			var tk tokens
			h.handle("Notify", tk.handler())
			d := h.run(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
				"Parameters":{"FunctionName":"Notify","Payload":{"token.$":"$$.Task.Token"}},`+tt.timing+`,
				"Catch":[{"ErrorEquals":`+tt.errorEquals+`,"Next":"Caught"}],"End":true},
				"Caught":{"Type":"Pass","Result":"caught","End":true}}}`, `{}`)
			if tt.caught {
				wantSucceeded(t, d, `"caught"`)
				return
			}
			want := "States.Timeout"
			if tt.timing[1] == 'H' {
				want = "States.HeartbeatTimeout"
			}
			wantFailed(t, d, want)
		})
	}
}
