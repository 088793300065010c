package states

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// startChild runs arn:aws:states:::states:startExecution and its .sync
// forms: it starts another execution; .sync waits for it to end.
func (e *Engine) startChild(f *frame, spec *taskSpec, params any) *frame {
	m, _ := params.(map[string]any)
	smARN, _ := m["StateMachineArn"].(string)
	name, _ := m["Name"].(string)
	if name == "" {
		name = childName(f)
	}
	var input []byte
	switch in := m["Input"].(type) {
	case nil:
		input = []byte("{}")
	case string:
		input = []byte(in)
	default:
		input = []byte(toJSON(in))
	}
	e.flush(f.ex)
	child, err := e.StartExecution(e.ctx, StartExecutionInput{StateMachine: smARN, Name: name, Input: input})
	if err != nil {
		var we *APIError
		if errors.As(err, &we) {
			return e.taskDone(f, nil, &asl.Error{Name: "StepFunctions." + we.Name + "Exception", Cause: we.Message})
		}
		return e.taskDone(f, nil, &asl.Error{Name: asl.ErrTaskFailed, Cause: err.Error()})
	}
	started := map[string]any{"ExecutionArn": child.ARN, "StartDate": child.StartDate.UnixMilli()}
	if spec.kind == kindStartExec {
		return e.taskDone(f, started, nil)
	}
	ex := f.ex
	ex.mu.Lock()
	f.phase = phChildExec
	f.gen++
	gen := f.gen
	f.child = child.ARN
	ex.emitLocked(f, event{typ: evTaskSubmitted, st: f.st}.with(dOutput, started))
	e.shelveLocked(f)
	ok := e.saveLocked(f)
	ex.mu.Unlock()
	if !ok {
		return nil
	}
	// Timers, then the waiter: from then on the child's end may hand f to
	// another goroutine.
	e.armTaskTimers(f, gen, nil)
	e.mu.Lock()
	e.waiters[child.ARN] = append(e.waiters[child.ARN], f)
	e.mu.Unlock()
	// The child may have ended before the waiter was registered.
	if d, err := e.DescribeExecution(e.ctx, child.ARN); err == nil && d.Status != ExecRunning {
		e.childResult(f, d)
	}
	return nil
}

// childFinished tells the .sync parents of ex that it ended.
func (e *Engine) childFinished(ex *execution) {
	e.mu.Lock()
	parents := e.waiters[ex.arn]
	delete(e.waiters, ex.arn)
	e.mu.Unlock()
	if len(parents) == 0 {
		return
	}
	d := ex.describe()
	for _, f := range parents {
		e.childResult(f, d)
	}
}

// childResult delivers the end of child execution d to the .sync frame f:
// its DescribeExecution response on success (Output parsed as JSON for
// .sync:2), States.TaskFailed with that response as cause otherwise.
func (e *Engine) childResult(f *frame, d *Execution) {
	f.ex.mu.Lock()
	ok := f.phase == phChildExec && f.child == d.ARN
	gen := f.gen
	f.ex.mu.Unlock()
	if !ok {
		return
	}
	resp := map[string]any{"ExecutionArn": d.ARN, "StateMachineArn": d.StateMachineARN, "Name": d.Name,
		"Status": d.Status, "StartDate": d.StartDate.UnixMilli(), "StopDate": d.StopDate.UnixMilli(),
		"Input": string(d.Input), "InputDetails": map[string]any{"Included": true}}
	if f.ex.m.tasks[f.st].kind == kindStartExecSync2 {
		resp["Input"] = parsedOr(d.Input)
	}
	if d.Status != ExecSucceeded {
		resp["Error"], resp["Cause"] = d.Error, d.Cause
		e.deliver(f, gen, "", nil, &asl.Error{Name: asl.ErrTaskFailed, Cause: toJSON(resp)})
		return
	}
	resp["Output"] = string(d.Output)
	resp["OutputDetails"] = map[string]any{"Included": true}
	if f.ex.m.tasks[f.st].kind == kindStartExecSync2 {
		resp["Output"] = parsedOr(d.Output)
	}
	e.deliver(f, gen, "", resp, nil)
}

// parsedOr parses JSON text, or returns it as a string if it is not JSON.
func parsedOr(b []byte) any {
	v, err := parseJSON(b)
	if err != nil {
		return string(b)
	}
	return v
}

// stopChildren aborts the running .sync children of frames, as AWS stops
// a child when its parent stops.
func (e *Engine) stopChildren(children []string) {
	for _, arn := range children {
		_ = e.StopExecution(context.Background(), arn, "States.Aborted", "The parent execution ended")
	}
}

// childName names a child execution after the attempt that starts it, so
// that running the attempt again after a restart finds the child it
// already started instead of starting a second one.
func childName(f *frame) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\n%s\n%s\n%d\n%d", f.ex.arn, f.key, f.st.Name, f.visit, f.retryCount)))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
