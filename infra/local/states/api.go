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
	"unicode/utf8"

	"go.etcd.io/bbolt"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// wfErr is a Step Functions API error.
func wfErr(name, format string, args ...any) error {
	return &APIError{Name: name, Message: fmt.Sprintf(format, args...)}
}

// StartExecution starts an execution of a state machine (name or ARN).
// An empty name gets a random one; an empty input is {}.
func (e *Engine) StartExecution(ctx context.Context, in StartExecutionInput) (*Execution, error) {
	if e.closing.Load() {
		return nil, errClosed
	}
	m := e.machine(in.StateMachine)
	if m == nil {
		return nil, wfErr(ErrStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", in.StateMachine)
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
		return nil, wfErr(ErrInvalidExecutionInput, "Invalid State Machine Execution Input: %v", err)
	}
	input := string(raw) // kept as given, as AWS keeps it
	arn := e.executionARN(m.name, name)

	e.mu.Lock()
	if old := e.execs[arn]; old != nil {
		e.mu.Unlock()
		// The first start of it may still be waiting for its commit.
		if err := e.durable(old); err != nil {
			return nil, err
		}
		return sameInput(old.describe(), input, v)
	}
	if e.w != nil {
		if old, err := e.readExec(arn); err == nil {
			e.mu.Unlock()
			return sameInput(old, input, v)
		}
	}
	ex := e.newExecution(m, name, input, e.clock.Now())
	root := ex.root // finish lets go of it
	root.input = v
	ex.inputVal = v
	e.execs[arn] = ex
	e.mu.Unlock()

	ex.mu.Lock()
	ex.emitLocked(nil, event{typ: evExecutionStarted, ts: ex.start.UnixNano()}.with(dInput, v))
	if e.w != nil {
		ex.ticket = e.w.enqueue(ex.startOpsLocked()...)
	}
	d := ex.describeLocked()
	ex.mu.Unlock()
	if err := e.durable(ex); err != nil {
		return nil, err // not started: it might not survive a restart
	}
	e.armTimeout(ex)
	at := ex.start.UnixNano()
	if e.w != nil {
		at = 0 // the commit took a while
	}
	e.spawnAt(root, at)
	return d, nil
}

// sameInput returns the existing execution if it had this input (as
// JSON values: spacing and the order of keys aside), else
// ExecutionAlreadyExists. v is input parsed.
func sameInput(old *Execution, input string, v any) (*Execution, error) {
	if string(old.Input) == input {
		return old, nil
	}
	if ov, err := parseJSON(old.Input); err == nil && toJSON(ov) == toJSON(v) {
		return old, nil
	}
	return nil, wfErr(ErrExecutionAlreadyExists, "Execution Already Exists: '%s'", old.ARN)
}

// checkName applies AWS's rules for execution names.
func checkName(name string) error {
	if len(name) > 80 {
		return wfErr(ErrInvalidName, "Invalid Name: '%s' (at most 80 characters)", name)
	}
	for _, r := range name {
		if r < utf8.RuneSelf && !nameASCII[r] || r >= utf8.RuneSelf && (unicode.IsSpace(r) || unicode.IsControl(r)) {
			return wfErr(ErrInvalidName, "Invalid Name: '%s'", name)
		}
	}
	return nil
}

// nameASCII says which ASCII characters an execution name may hold: no
// white space, no control characters, none of <>{}[]?*"#%\^|~`$&,;:/.
var nameASCII = func() (ok [utf8.RuneSelf]bool) {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		ok[r] = !unicode.IsSpace(r) && !unicode.IsControl(r) && !strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r)
	}
	return ok
}()

// DescribeExecution returns an execution by ARN.
func (e *Engine) DescribeExecution(ctx context.Context, executionARN string) (*Execution, error) {
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
	return nil, wfErr(ErrExecutionDoesNotExist, "Execution Does Not Exist: '%s'", executionARN)
}

// readExec reads a stored execution.
func (e *Engine) readExec(arn string) (*Execution, error) {
	var d *Execution
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
func (e *Engine) publicExec(arn string, v []byte) (*Execution, error) {
	var r execRec
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	d := &Execution{ARN: arn, StateMachineARN: e.StateMachineARN(r.Machine), Name: r.Name,
		Status: r.Status, Input: json.RawMessage(r.Input), Error: r.Error, Cause: r.Cause,
		StartDate: fromNano(r.Start), StopDate: fromNano(r.Stop)}
	if r.Status == ExecSucceeded {
		d.Output = json.RawMessage(r.Output)
	}
	return d, nil
}

// GetExecutionHistory returns an execution's events in order.
func (e *Engine) GetExecutionHistory(ctx context.Context, executionARN string) ([]HistoryEvent, error) {
	e.mu.Lock()
	ex := e.execs[executionARN]
	e.mu.Unlock()
	if e.w == nil {
		if ex == nil {
			return nil, wfErr(ErrExecutionDoesNotExist, "Execution Does Not Exist: '%s'", executionARN)
		}
		ex.mu.Lock()
		out := make([]HistoryEvent, 0, ex.events.n)
		ex.events.each(func(ev *event) { out = append(out, ev.public()) })
		ex.mu.Unlock()
		return out, nil
	}
	if ex != nil {
		// A running execution's latest events are still in memory:
		// commit them so the stored history is complete. With none
		// unsaved, nothing is enqueued: an empty enqueue names a batch
		// that no write may ever fill, and waiting on it would hang.
		ex.mu.Lock()
		if ops := ex.eventOpsLocked(nil); len(ops) > 0 {
			ex.ticket = e.w.enqueue(ops...)
		}
		ex.mu.Unlock()
		e.flush(ex)
	}
	return e.readHistory(executionARN)
}

// readHistory reads an execution's stored events.
func (e *Engine) readHistory(arn string) ([]HistoryEvent, error) {
	var out []HistoryEvent
	err := e.opts.DB.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketExecs).Get([]byte(arn)) == nil {
			return wfErr(ErrExecutionDoesNotExist, "Execution Does Not Exist: '%s'", arn)
		}
		prefix := []byte(arn + "\x00") // every eventKey of arn
		c := tx.Bucket(bucketHistory).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(k) != len(prefix)+8 {
				continue
			}
			var h HistoryEvent
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
func (e *Engine) ListExecutions(ctx context.Context, stateMachine, status string) ([]*Execution, error) {
	m := e.machine(stateMachine)
	if m == nil {
		return nil, wfErr(ErrStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", stateMachine)
	}
	prefix := e.executionARN(m.name, "")
	seen := map[string]bool{}
	var out []*Execution
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
	e.finish(ex, 0, ExecAborted, nil, &asl.Error{Name: errorName, Cause: cause}, evExecutionAborted)
	// Also when another path ended it first: it is over once that end
	// is durable.
	return e.durable(ex)
}

// SendTaskSuccess completes the callback task with the token; its output
// becomes the task's result.
func (e *Engine) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	v, err := parseJSON(bytes.TrimSpace(output))
	if err != nil {
		return wfErr(ErrInvalidOutput, "Invalid Output: %v", err)
	}
	return e.answer(token, v, nil)
}

// SendTaskFailure fails the callback task with the token.
func (e *Engine) SendTaskFailure(ctx context.Context, token, errorName, cause string) error {
	return e.answer(token, nil, &asl.Error{Name: errorName, Cause: cause})
}

// answer delivers a callback result and returns once it is durable: the
// frame runs on meanwhile, but the caller is told only when a crash can
// no longer lose the answer.
func (e *Engine) answer(token string, out any, fail *asl.Error) error {
	f, err := e.tokenFrame(token)
	if err != nil {
		return err
	}
	ticket, ok := e.settle(f, 0, token, out, fail)
	if !ok {
		return wfErr(ErrTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'")
	}
	return e.committed(ticket)
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
		return wfErr(ErrTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'")
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
	// Saved under the lock: once it is unlocked, an answer may run f on.
	e.saveLocked(f)
	ticket := ex.ticket
	ex.mu.Unlock()
	return e.committed(ticket)
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
		return nil, wfErr(ErrInvalidToken, "Invalid Token: 'Invalid token'")
	}
	if _, err := e.DescribeExecution(context.Background(), arn); err == nil {
		return nil, wfErr(ErrTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'")
	}
	return nil, wfErr(ErrTaskDoesNotExist, "Task Does Not Exist: 'Provided task does not exist'")
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
