package states

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"go.etcd.io/bbolt"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// wfErr is a Step Functions API error.
func wfErr(name, format string, args ...any) error {
	return &pathway.WorkflowError{Name: name, Message: fmt.Sprintf(format, args...)}
}

// Names of API errors pathway does not define.
const (
	errInvalidName   = "InvalidName"
	errInvalidOutput = "InvalidOutput"
)

// StartExecution starts an execution of a state machine (name or ARN).
// An empty name gets a random one; an empty input is {}.
func (e *Engine) StartExecution(ctx context.Context, in pathway.StartExecutionInput) (*pathway.Execution, error) {
	if e.closing.Load() {
		return nil, errClosed
	}
	m := e.machine(in.StateMachine)
	if m == nil {
		return nil, wfErr(pathway.ErrStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", in.StateMachine)
	}
	name := in.Name
	if name == "" {
		name = newUUID()
	} else if err := checkName(name); err != nil {
		return nil, err
	}
	raw := bytes.TrimSpace(in.Input)
	if len(raw) == 0 {
		raw = []byte("{}")
	}
	v, err := parseJSON(raw)
	if err != nil {
		return nil, wfErr(pathway.ErrInvalidExecutionInput, "Invalid State Machine Execution Input: %v", err)
	}
	input := toJSON(v)
	arn := e.executionARN(m.name, name)

	e.mu.Lock()
	if old := e.execs[arn]; old != nil {
		e.mu.Unlock()
		return sameInput(old.describe(), input)
	}
	if e.w != nil {
		if old, err := e.readExec(arn); err == nil {
			e.mu.Unlock()
			return sameInput(old, input)
		}
	}
	ex := e.newExecution(m, name, input, e.clock.Now())
	ex.root.input = v
	ex.inputVal = v
	e.execs[arn] = ex
	e.mu.Unlock()

	ex.mu.Lock()
	ex.emitLocked(nil, event{typ: "ExecutionStarted", d: [3]kv{{"input", v}, {"roleArn", roleARN}}})
	if e.w != nil {
		ex.ticket = e.w.enqueue(ex.startOpsLocked()...)
	}
	d := ex.describeLocked()
	ex.mu.Unlock()
	e.flush(ex)
	e.armTimeout(ex)
	e.spawn(ex.root)
	return d, nil
}

// sameInput returns the existing execution if it had this input, else
// ExecutionAlreadyExists.
func sameInput(old *pathway.Execution, input string) (*pathway.Execution, error) {
	if string(old.Input) != input {
		return nil, wfErr(pathway.ErrExecutionAlreadyExists, "Execution Already Exists: '%s'", old.ARN)
	}
	return old, nil
}

// checkName applies AWS's rules for execution names.
func checkName(name string) error {
	if len(name) > 80 {
		return wfErr(errInvalidName, "Invalid Name: '%s' (at most 80 characters)", name)
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r) {
			return wfErr(errInvalidName, "Invalid Name: '%s'", name)
		}
	}
	return nil
}

// DescribeExecution returns an execution by ARN.
func (e *Engine) DescribeExecution(ctx context.Context, executionARN string) (*pathway.Execution, error) {
	e.mu.Lock()
	ex := e.execs[executionARN]
	e.mu.Unlock()
	if ex != nil {
		return ex.describe(), nil
	}
	if e.w != nil {
		if d, err := e.readExec(executionARN); err == nil {
			return d, nil
		}
	}
	return nil, wfErr(pathway.ErrExecutionDoesNotExist, "Execution Does Not Exist: '%s'", executionARN)
}

// readExec reads a stored execution.
func (e *Engine) readExec(arn string) (*pathway.Execution, error) {
	var d *pathway.Execution
	err := e.opts.DB.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketExecs).Get([]byte(arn))
		if v == nil {
			return errNotFound
		}
		var err error
		d, err = e.publicExec(arn, v)
		return err
	})
	return d, err
}

var errNotFound = fmt.Errorf("not found")

// publicExec converts a stored record to the API's form.
func (e *Engine) publicExec(arn string, v []byte) (*pathway.Execution, error) {
	var r execRec
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	d := &pathway.Execution{ARN: arn, StateMachineARN: e.StateMachineARN(r.Machine), Name: r.Name,
		Status: r.Status, Input: json.RawMessage(r.Input), Error: r.Error, Cause: r.Cause,
		StartDate: fromNano(r.Start), StopDate: fromNano(r.Stop)}
	if r.Status == pathway.ExecSucceeded {
		d.Output = json.RawMessage(r.Output)
	}
	return d, nil
}

// GetExecutionHistory returns an execution's events in order.
func (e *Engine) GetExecutionHistory(ctx context.Context, executionARN string) ([]pathway.HistoryEvent, error) {
	e.mu.Lock()
	ex := e.execs[executionARN]
	e.mu.Unlock()
	if e.w == nil {
		if ex == nil {
			return nil, wfErr(pathway.ErrExecutionDoesNotExist, "Execution Does Not Exist: '%s'", executionARN)
		}
		ex.mu.Lock()
		out := make([]pathway.HistoryEvent, len(ex.events))
		for i := range ex.events {
			out[i] = ex.events[i].public()
		}
		ex.mu.Unlock()
		return out, nil
	}
	if ex != nil {
		// A running execution's latest events are still in memory:
		// commit them so the stored history is complete.
		ex.mu.Lock()
		ex.ticket = e.w.enqueue(ex.eventOpsLocked(nil)...)
		ex.mu.Unlock()
		e.flush(ex)
	}
	return e.readHistory(executionARN)
}

// readHistory reads an execution's stored events.
func (e *Engine) readHistory(arn string) ([]pathway.HistoryEvent, error) {
	var out []pathway.HistoryEvent
	err := e.opts.DB.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketExecs).Get([]byte(arn)) == nil {
			return wfErr(pathway.ErrExecutionDoesNotExist, "Execution Does Not Exist: '%s'", arn)
		}
		prefix := []byte(arn + "\x00") // every eventKey of arn
		c := tx.Bucket(bucketHistory).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(k) != len(prefix)+8 {
				continue
			}
			var h pathway.HistoryEvent
			if err := json.Unmarshal(v, &h); err != nil {
				return err
			}
			out = append(out, h)
		}
		return nil
	})
	return out, err
}

// ListExecutions returns the executions of a state machine (name or ARN),
// newest first, only those with status unless it is empty.
func (e *Engine) ListExecutions(ctx context.Context, stateMachine, status string) ([]*pathway.Execution, error) {
	m := e.machine(stateMachine)
	if m == nil {
		return nil, wfErr(pathway.ErrStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", stateMachine)
	}
	prefix := e.executionARN(m.name, "")
	seen := map[string]bool{}
	var out []*pathway.Execution
	e.mu.Lock()
	var live []*execution
	for arn, ex := range e.execs {
		if strings.HasPrefix(arn, prefix) {
			live = append(live, ex)
		}
	}
	e.mu.Unlock()
	for _, ex := range live {
		d := ex.describe()
		seen[d.ARN] = true
		if status == "" || d.Status == status {
			out = append(out, d)
		}
	}
	if e.w != nil {
		err := e.opts.DB.View(func(tx *bbolt.Tx) error {
			c := tx.Bucket(bucketExecs).Cursor()
			for k, v := c.Seek([]byte(prefix)); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, v = c.Next() {
				if seen[string(k)] {
					continue
				}
				d, err := e.publicExec(string(k), v)
				if err != nil {
					return err
				}
				if status == "" || d.Status == status {
					out = append(out, d)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].StartDate.Equal(out[j].StartDate) {
			return out[i].StartDate.After(out[j].StartDate)
		}
		return out[i].ARN > out[j].ARN
	})
	return out, nil
}

// StopExecution aborts a running execution: its timers and callbacks are
// dropped and its .sync children stopped. Stopping a finished execution
// does nothing, as in AWS.
func (e *Engine) StopExecution(ctx context.Context, executionARN, errorName, cause string) error {
	e.mu.Lock()
	ex := e.execs[executionARN]
	e.mu.Unlock()
	if ex == nil {
		_, err := e.DescribeExecution(ctx, executionARN)
		return err
	}
	e.finish(ex, pathway.ExecAborted, nil, &asl.Error{Name: errorName, Cause: cause}, "ExecutionAborted")
	return nil
}

// SendTaskSuccess completes the callback task with the token; its output
// becomes the task's result.
func (e *Engine) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	v, err := parseJSON(bytes.TrimSpace(output))
	if err != nil {
		return wfErr(errInvalidOutput, "Invalid Output: %v", err)
	}
	return e.answer(token, v, nil)
}

// SendTaskFailure fails the callback task with the token.
func (e *Engine) SendTaskFailure(ctx context.Context, token, errorName, cause string) error {
	return e.answer(token, nil, &asl.Error{Name: errorName, Cause: cause})
}

// answer delivers a callback result.
func (e *Engine) answer(token string, out any, fail *asl.Error) error {
	f, err := e.tokenFrame(token)
	if err != nil {
		return err
	}
	if !e.deliver(f, 0, token, out, fail) {
		return wfErr(pathway.ErrTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'")
	}
	return nil
}

// SendTaskHeartbeat restarts the heartbeat timer of the callback task with
// the token.
func (e *Engine) SendTaskHeartbeat(ctx context.Context, token string) error {
	f, err := e.tokenFrame(token)
	if err != nil {
		return err
	}
	ex := f.ex
	ex.mu.Lock()
	ok := !ex.over.Load() && !f.cancelled && f.token == token && !f.cbDone &&
		(f.phase == phInvoking || f.phase == phCallback)
	if !ok {
		ex.mu.Unlock()
		return wfErr(pathway.ErrTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'")
	}
	if f.hbSecs <= 0 {
		ex.mu.Unlock()
		return nil
	}
	if f.hb != nil {
		f.hb.Stop()
	}
	d := secs(f.hbSecs)
	f.hbAt = e.clock.Now().Add(d)
	f.hb = e.clock.AfterFunc(d, e.heartbeatExpired(f, f.gen, nil))
	ex.mu.Unlock()
	e.save(f)
	return nil
}

// tokenFrame finds the frame waiting for a token, or the API error AWS
// gives for it.
func (e *Engine) tokenFrame(token string) (*frame, error) {
	e.mu.Lock()
	f := e.tokens[token]
	e.mu.Unlock()
	if f != nil {
		return f, nil
	}
	arn, ok := parseToken(token)
	if !ok {
		return nil, wfErr(pathway.ErrInvalidToken, "Invalid Token: 'Invalid token'")
	}
	if _, err := e.DescribeExecution(context.Background(), arn); err == nil {
		return nil, wfErr(pathway.ErrTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'")
	}
	return nil, wfErr(pathway.ErrTaskDoesNotExist, "Task Does Not Exist: 'Provided task does not exist'")
}

// newToken makes a callback token for f's current attempt: its execution
// ARN, frame key and a random nonce, base64url-encoded.
func (e *Engine) newToken(f *frame) string {
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	raw := f.ex.arn + "\n" + f.key + "\n" + hex.EncodeToString(nonce[:])
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// parseToken returns the execution ARN of a well-formed token.
func parseToken(token string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", false
	}
	parts := strings.Split(string(b), "\n")
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "arn:aws:states:") || len(parts[2]) != 32 {
		return "", false
	}
	if _, err := hex.DecodeString(parts[2]); err != nil {
		return "", false
	}
	return parts[0], true
}

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
