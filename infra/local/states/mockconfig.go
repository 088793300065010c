package states

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// MockConfig is a mock configuration file in the shape AWS Step Functions
// Local reads (MockConfigFile.json), so people can bring the files they
// already have:
//
//	{"StateMachines": {"<machine>": {"TestCases": {"<case>": {"<state>": "<response>"}}}},
//	 "MockedResponses": {"<response>": {"0": {"Return": …}, "1-2": {"Throw": {"Error": …, "Cause": …}}}}}
//
// A mocked response maps invocation numbers of a state, counted from 0
// with retries included, to what that invocation returns or throws.
type MockConfig struct {
	machines  map[string]map[string]map[string]string // machine → case → state → response
	responses map[string]*mockedResponse
}

// mockedResponse is one compiled entry of MockedResponses.
type mockedResponse struct {
	name  string
	spans []mockSpan // sorted, non-overlapping
}

// mockSpan answers the invocations from..to (inclusive).
type mockSpan struct {
	from, to int
	result   any
	err      *asl.Error
}

// The file's JSON form. Return is kept raw so it can be parsed into the
// engine's generic JSON values (int64 for whole numbers, as ojg does).
type (
	mockFile struct {
		StateMachines map[string]struct {
			TestCases map[string]map[string]string `json:"TestCases"`
		} `json:"StateMachines"`
		MockedResponses map[string]map[string]json.RawMessage `json:"MockedResponses"`
	}
	mockEntry struct {
		Return json.RawMessage `json:"Return"`
		Throw  *struct {
			Error *string `json:"Error"`
			Cause string  `json:"Cause"`
		} `json:"Throw"`
	}
)

// ParseMockConfig parses and checks a mock configuration: every test case
// names existing responses, every response key is an invocation number or
// range ("0", "1-2") that overlaps no other, and every entry holds exactly
// one of Return or Throw (with an Error). Errors name the offending field.
func ParseMockConfig(data []byte) (*MockConfig, error) {
	var f mockFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("mock config: not valid JSON of the MockConfigFile shape: %w", err)
	}
	c := &MockConfig{machines: map[string]map[string]map[string]string{}, responses: map[string]*mockedResponse{}}
	for name, entries := range f.MockedResponses {
		r, err := compileResponse(name, entries)
		if err != nil {
			return nil, err
		}
		c.responses[name] = r
	}
	for machine, sm := range f.StateMachines {
		if len(sm.TestCases) == 0 {
			return nil, fmt.Errorf("mock config: StateMachines.%s.TestCases is missing or empty", machine)
		}
		for tc, states := range sm.TestCases {
			for state, resp := range states {
				if c.responses[resp] == nil {
					return nil, fmt.Errorf("mock config: StateMachines.%s.TestCases.%s.%s names the response %q, which MockedResponses does not define",
						machine, tc, state, resp)
				}
			}
		}
		c.machines[machine] = sm.TestCases
	}
	return c, nil
}

// compileResponse checks and compiles one entry of MockedResponses.
func compileResponse(name string, entries map[string]json.RawMessage) (*mockedResponse, error) {
	where := "mock config: MockedResponses." + name
	if len(entries) == 0 {
		return nil, fmt.Errorf("%s: has no responses (want keys such as \"0\" or \"1-2\")", where)
	}
	r := &mockedResponse{name: name}
	for key, raw := range entries {
		from, to, err := invocationRange(key)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %v", where, key, err)
		}
		span, err := compileEntry(raw)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %v", where, key, err)
		}
		span.from, span.to = from, to
		r.spans = append(r.spans, span)
	}
	sort.Slice(r.spans, func(i, j int) bool { return r.spans[i].from < r.spans[j].from })
	for i := 1; i < len(r.spans); i++ {
		if r.spans[i].from <= r.spans[i-1].to {
			return nil, fmt.Errorf("%s: invocation %d is given more than one response", where, r.spans[i].from)
		}
	}
	return r, nil
}

// invocationRange parses "3" or "1-2".
func invocationRange(key string) (from, to int, err error) {
	a, b, isRange := strings.Cut(key, "-")
	from, err1 := strconv.Atoi(a)
	to = from
	var err2 error
	if isRange {
		to, err2 = strconv.Atoi(b)
	}
	if err1 != nil || err2 != nil || from < 0 || to < from {
		return 0, 0, fmt.Errorf("the key must be an invocation number such as \"0\" or a range such as \"1-2\"")
	}
	return from, to, nil
}

// compileEntry reads {"Return": …} or {"Throw": {"Error", "Cause"}}.
func compileEntry(raw json.RawMessage) (mockSpan, error) {
	var e mockEntry
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields() // a misspelt "Returns" must not silently return nothing
	if err := dec.Decode(&e); err != nil {
		return mockSpan{}, fmt.Errorf("want {\"Return\": …} or {\"Throw\": {\"Error\": …, \"Cause\": …}}: %v", err)
	}
	switch {
	case e.Return != nil && e.Throw != nil:
		return mockSpan{}, fmt.Errorf("has both Return and Throw; give one")
	case e.Throw != nil:
		if e.Throw.Error == nil || *e.Throw.Error == "" {
			return mockSpan{}, fmt.Errorf("Throw.Error is required")
		}
		return mockSpan{err: &asl.Error{Name: *e.Throw.Error, Cause: e.Throw.Cause}}, nil
	case e.Return != nil:
		v, err := parseJSON(e.Return)
		if err != nil {
			return mockSpan{}, fmt.Errorf("Return: %v", err)
		}
		return mockSpan{result: v}, nil
	}
	return mockSpan{}, fmt.Errorf("has neither Return nor Throw")
}

// Machines returns the state machine names the configuration has test
// cases for, sorted.
func (c *MockConfig) Machines() []string { return mockKeys(c.machines) }

// TestCases returns the test case names of a state machine, sorted.
func (c *MockConfig) TestCases(machine string) []string { return mockKeys(c.machines[machine]) }

// Mocked returns the states a test case mocks, sorted.
func (c *MockConfig) Mocked(machine, testCase string) []string {
	return mockKeys(c.machines[machine][testCase])
}

// TestCase returns the Mocker of one test case of one state machine.
func (c *MockConfig) TestCase(machine, testCase string) (Mocker, error) {
	cases, ok := c.machines[machine]
	if !ok {
		return nil, fmt.Errorf("the mock config has no state machine %q (it has: %s)", machine, strings.Join(c.Machines(), ", "))
	}
	states, ok := cases[testCase]
	if !ok {
		return nil, fmt.Errorf("the mock config has no test case %q for state machine %q (it has: %s)",
			testCase, machine, strings.Join(c.TestCases(machine), ", "))
	}
	m := caseMocker{}
	for state, resp := range states {
		m[state] = c.responses[resp]
	}
	return m, nil
}

// caseMocker answers the states of one test case; it holds no state of
// its own because the engine counts each state's invocations.
type caseMocker map[string]*mockedResponse

// Mock returns the response for the call-th invocation of state. An
// invocation the response does not cover fails the state with
// States.Runtime (which no Retry or Catch handles), so a mock file that is
// too short shows up instead of silently repeating an answer.
func (m caseMocker) Mock(state string, call int) (any, *asl.Error, bool) {
	r := m[state]
	if r == nil {
		return nil, nil, false
	}
	for _, s := range r.spans {
		if call >= s.from && call <= s.to {
			return s.result, s.err, true
		}
	}
	return nil, &asl.Error{Name: asl.ErrRuntime,
		Cause: fmt.Sprintf("the mocked response %s has no answer for invocation %d of state %s", r.name, call, state)}, true
}

// mockKeys returns a map's keys in order.
func mockKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
