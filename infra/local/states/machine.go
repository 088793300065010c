package states

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ohler55/ojg/oj"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// machine is a registered state machine with what the engine precomputes
// about its states.
type machine struct {
	name, arn string
	def       *asl.Definition
	tasks     map[*asl.State]*taskSpec
	usesCtx   map[*asl.State]bool // the state's JSON mentions "$$"
}

// taskKind says how a Task state's Resource is run.
type taskKind uint8

const (
	kindUnsupported    taskKind = iota
	kindLambdaARN               // a plain function ARN: result = function output
	kindLambdaInvoke            // arn:aws:states:::lambda:invoke
	kindLambdaToken             // arn:aws:states:::lambda:invoke.waitForTaskToken
	kindStartExec               // arn:aws:states:::states:startExecution
	kindStartExecSync           // …startExecution.sync (Output as a string)
	kindStartExecSync2          // …startExecution.sync:2 (Output as JSON)
)

// taskSpec is a Task state's compiled resource.
type taskSpec struct {
	kind     taskKind
	function string // function name of a plain ARN, or a static FunctionName
}

// Service integration resources the engine runs.
const (
	resLambdaInvoke   = "arn:aws:states:::lambda:invoke"
	resLambdaToken    = "arn:aws:states:::lambda:invoke.waitForTaskToken"
	resStartExec      = "arn:aws:states:::states:startExecution"
	resStartExecSync  = "arn:aws:states:::states:startExecution.sync"
	resStartExecSync2 = "arn:aws:states:::states:startExecution.sync:2"
)

// classify maps a Resource to its kind.
func classify(resource string) taskKind {
	switch resource {
	case resLambdaInvoke:
		return kindLambdaInvoke
	case resLambdaToken:
		return kindLambdaToken
	case resStartExec:
		return kindStartExec
	case resStartExecSync:
		return kindStartExecSync
	case resStartExecSync2:
		return kindStartExecSync2
	}
	if strings.HasPrefix(resource, "arn:aws:lambda:") && strings.Contains(resource, ":function:") {
		return kindLambdaARN
	}
	return kindUnsupported
}

// functionName reduces a FunctionName (name, name:qualifier, partial or full
// ARN) to the function's name.
func functionName(s string) string {
	if i := strings.Index(s, ":function:"); i >= 0 {
		s = s[i+len(":function:"):]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	return s
}

// StateMachineARN returns the local ARN of a state machine name.
func (e *Engine) StateMachineARN(name string) string {
	return "arn:aws:states:" + e.opts.Region + ":" + e.opts.Account + ":stateMachine:" + name
}

// FunctionARN returns the local ARN of a Lambda function (logical ID).
func (e *Engine) FunctionARN(name string) string {
	return "arn:aws:lambda:" + e.opts.Region + ":" + e.opts.Account + ":function:" + name
}

// executionARN returns the ARN of an execution of a machine.
func (e *Engine) executionARN(machine, name string) string {
	return "arn:aws:states:" + e.opts.Region + ":" + e.opts.Account + ":execution:" + machine + ":" + name
}

// AddStateMachine parses and registers a definition under name and returns
// its ARN. Unless the engine mocks tasks, every Task resource must be one
// the engine runs and every Lambda function it names must have a handler.
func (e *Engine) AddStateMachine(name string, definition []byte) (string, error) {
	if name == "" || strings.ContainsAny(name, ": /") {
		return "", fmt.Errorf("state machine name %q: must be non-empty without ':', '/' or spaces", name)
	}
	def, err := asl.Parse(definition)
	if err != nil {
		return "", fmt.Errorf("state machine %s: %w", name, err)
	}
	raw, err := oj.Parse(definition)
	if err != nil {
		return "", fmt.Errorf("state machine %s: %w", name, err)
	}
	m := &machine{name: name, arn: e.StateMachineARN(name), def: def,
		tasks: map[*asl.State]*taskSpec{}, usesCtx: map[*asl.State]bool{}}
	var errs []error
	m.scan(def, raw, func(st *asl.State, rawState map[string]any) {
		if err := e.compileTask(m, st, rawState); err != nil {
			errs = append(errs, err)
		}
	})
	if err := errors.Join(errs...); err != nil {
		return "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.machines[name] = m
	e.machines[m.arn] = m
	return m.arn, nil
}

// scan walks every state of def (nested ones too) beside its raw JSON,
// noting which states read the context object and calling task for Tasks.
func (m *machine) scan(def *asl.Definition, raw any, task func(*asl.State, map[string]any)) {
	rawDef, _ := raw.(map[string]any)
	rawStates, _ := rawDef["States"].(map[string]any)
	for name, st := range def.States {
		rs, _ := rawStates[name].(map[string]any)
		m.usesCtx[st] = strings.Contains(oj.JSON(rs), "$$")
		switch st.Type {
		case asl.TypeTask:
			task(st, rs)
		case asl.TypeParallel:
			branches, _ := rs["Branches"].([]any)
			for i, b := range st.Branches {
				if i < len(branches) {
					m.scan(b, branches[i], task)
				}
			}
		case asl.TypeMap:
			proc := rs["ItemProcessor"]
			if proc == nil {
				proc = rs["Iterator"]
			}
			if st.ItemProcessor != nil {
				m.scan(st.ItemProcessor, proc, task)
			}
		}
	}
}

// compileTask classifies a Task state's resource and checks that what it
// calls exists.
func (e *Engine) compileTask(m *machine, st *asl.State, rs map[string]any) error {
	spec := &taskSpec{kind: classify(st.Resource)}
	m.tasks[st] = spec
	if e.opts.Mock != nil {
		return nil
	}
	where := fmt.Sprintf("state machine %s, state %s", m.name, st.Name)
	switch spec.kind {
	case kindUnsupported:
		return fmt.Errorf("%s: the local engine does not run resource %q", where, st.Resource)
	case kindLambdaARN:
		spec.function = functionName(st.Resource)
	case kindLambdaInvoke, kindLambdaToken:
		params, _ := rs["Parameters"].(map[string]any)
		if params == nil {
			return fmt.Errorf("%s: Parameters must hold FunctionName and Payload for %s", where, st.Resource)
		}
		if fn, ok := params["FunctionName"].(string); ok {
			spec.function = functionName(fn)
		} else if _, ok := params["FunctionName.$"]; !ok {
			return fmt.Errorf("%s: Parameters.FunctionName is required for %s", where, st.Resource)
		} else {
			return nil // named at run time
		}
	default:
		return nil
	}
	if _, ok := e.handler(spec.function); !ok {
		return fmt.Errorf("%s: no handler is registered for Lambda function %s (%s)", where, spec.function, st.Resource)
	}
	return nil
}

// machine returns a registered machine by name or ARN.
func (e *Engine) machine(nameOrARN string) *machine {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.machines[nameOrARN]
}
