package states

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// execRec is an execution as stored in states.executions (key: its ARN).
// Short field names keep a waiting execution's records small.
type execRec struct {
	Machine  string `json:"m"`
	Name     string `json:"n"`
	Input    string `json:"i"`
	Start    int64  `json:"s"`
	Status   string `json:"st"`
	Output   string `json:"o,omitempty"`
	Error    string `json:"e,omitempty"`
	Cause    string `json:"c,omitempty"`
	Stop     int64  `json:"sp,omitempty"`
	Deadline int64  `json:"d,omitempty"`
}

// frameRec is a frame's position as stored in states.frames (key: the
// execution ARN, NUL, the frame key).
type frameRec struct {
	State      string          `json:"s"`
	Input      json.RawMessage `json:"i,omitempty"`
	Entered    bool            `json:"e,omitempty"`
	EnteredAt  int64           `json:"ea,omitempty"`
	Phase      phase           `json:"p,omitempty"`
	Due        int64           `json:"d,omitempty"`
	Token      string          `json:"k,omitempty"`
	TimeoutAt  int64           `json:"ta,omitempty"`
	HbAt       int64           `json:"ha,omitempty"`
	HbSecs     int64           `json:"hs,omitempty"`
	Retries    []int64         `json:"r,omitempty"`
	RetryCount int             `json:"rc,omitempty"`
	Child      string          `json:"c,omitempty"`
	Output     json.RawMessage `json:"o,omitempty"`
	NextItem   int             `json:"ni,omitempty"`
	MaxConc    int             `json:"mc,omitempty"`
	Last       int64           `json:"l,omitempty"`
	Visit      int64           `json:"v,omitempty"`
	// A result delivered but not yet consumed (a callback answered by
	// SendTaskSuccess or SendTaskFailure): kept so that an answer the API
	// acknowledged survives a crash before the frame runs on.
	Delivered bool            `json:"cd,omitempty"`
	Result    json.RawMessage `json:"co,omitempty"`
	Failure   *errRec         `json:"cf,omitempty"`
}

// errRec is a States error as stored.
type errRec struct {
	Name  string `json:"n"`
	Cause string `json:"c,omitempty"`
}

// unixNano is t in nanoseconds, 0 for the zero time.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNano is the inverse of unixNano.
func fromNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// frameKey is the states.frames key of frame key k of execution arn.
func frameKey(arn, k string) []byte { return []byte(arn + "\x00" + k) }

// eventKey is the states.history key of event id of execution arn.
func eventKey(arn string, id int64) []byte {
	k := make([]byte, len(arn)+9)
	copy(k, arn)
	binary.BigEndian.PutUint64(k[len(arn)+1:], uint64(id))
	return k
}

// save records f (and more frames) with the execution's pending history
// events in the writer's next batch, without waiting for the commit. It
// reports whether f may run on: not when the engine is closing or f was
// stopped. In memory it writes nothing.
func (e *Engine) save(f *frame, more ...*frame) bool {
	f.ex.mu.Lock()
	ok := e.saveLocked(f, more...)
	f.ex.mu.Unlock()
	return ok
}

// saveLocked is save with ex.mu held.
func (e *Engine) saveLocked(f *frame, more ...*frame) bool {
	ex := f.ex
	if ex.over.Load() || f.cancelled {
		return false
	}
	if e.w != nil {
		ops := ex.eventOpsLocked(nil)
		ops = f.recordOpsLocked(ops)
		for _, k := range more {
			ops = k.recordOpsLocked(ops)
		}
		ex.ticket = e.w.enqueue(ops...)
	}
	return !e.closing.Load()
}

// shelveLocked keeps a parked frame's input as JSON text, far smaller
// than the parsed value, until the frame runs again (unshelve). Only with
// a DB: in memory the history holds the parsed value anyway. Call it while
// no other goroutine can wake f.
func (e *Engine) shelveLocked(f *frame) {
	if e.w == nil || f.input == nil {
		return
	}
	f.shelved = toJSON(f.input)
	f.input = nil
	if f.parent == nil {
		f.ex.inputVal = nil // parsed again if $$.Execution.Input is read
	}
}

// unshelve restores the input of a frame that runs again.
func (f *frame) unshelve() {
	if f.shelved == "" {
		return
	}
	v, err := parseJSON([]byte(f.shelved))
	if err != nil {
		v = nil // cannot happen: the text was written by toJSON
	}
	f.input, f.shelved = v, ""
}

// flush waits until everything the execution saved is committed: before a
// side effect (a task) and after one, so that no completed task runs again
// after a restart.
func (e *Engine) flush(ex *execution) {
	if err := e.durable(ex); err != nil {
		e.log.Error("states: persisting an execution", "execution", ex.arn, "err", err)
	}
}

// durable waits until everything the execution saved is committed and
// synced, and returns the commit's error: an API call that changed the
// execution returns only then, so what it acknowledged survives a crash.
// Concurrent callers share commits (the writer's group commit).
func (e *Engine) durable(ex *execution) error {
	if e.w == nil {
		return nil
	}
	ex.mu.Lock()
	t := ex.ticket
	ex.mu.Unlock()
	return e.committed(t)
}

// committed waits for writer batch t and returns its error.
func (e *Engine) committed(t uint64) error {
	if e.w == nil {
		return nil
	}
	if err := e.w.wait(t); err != nil {
		return fmt.Errorf("states: persisting: %w", err)
	}
	return nil
}

// eventOpsLocked appends puts of the execution's unsaved events to ops
// and forgets them from memory.
func (ex *execution) eventOpsLocked(ops []op) []op {
	ex.events.each(func(ev *event) {
		b, _ := json.Marshal(ev.public())
		ops = append(ops, op{bucket: bucketHistory, key: eventKey(ex.arn, int64(ev.id)), val: b})
	})
	ex.events.reset() // a waiting execution keeps no history in memory
	return ops
}

// recordOpsLocked appends the writes of f's record to ops: a delete of its
// children's records if they ended, then the record.
func (f *frame) recordOpsLocked(ops []op) []op {
	arn := f.ex.arn
	if f.dropKids {
		ops = append(ops, op{bucket: bucketFrames, key: frameKey(arn, f.key+"."), prefix: true})
		f.dropKids = false
	}
	in := f.shelved
	if in == "" {
		in = toJSON(f.input)
	}
	r := frameRec{State: f.st.Name, Input: json.RawMessage(in), Entered: f.entered,
		EnteredAt: unixNano(f.enteredAt), Phase: f.phase, Due: unixNano(f.due), Token: f.token,
		TimeoutAt: unixNano(f.timeoutAt), HbAt: unixNano(f.hbAt), HbSecs: f.hbSecs, Retries: f.retries,
		RetryCount: f.retryCount, Child: f.child, NextItem: f.nextItem, MaxConc: f.maxConc, Last: f.last, Visit: f.visit}
	if f.phase == phDone {
		r.Output = json.RawMessage(toJSON(f.output))
	}
	if f.cbDone {
		r.Delivered = true
		if f.cbErr != nil {
			r.Failure = &errRec{Name: f.cbErr.Name, Cause: f.cbErr.Cause}
		} else {
			r.Result = json.RawMessage(toJSON(f.cbOut))
		}
	}
	b, _ := json.Marshal(&r)
	return append(ops, op{bucket: bucketFrames, key: frameKey(arn, f.key), val: b})
}

// recordLocked is the execution's record.
func (ex *execution) recordLocked() []byte {
	r := execRec{Machine: ex.m.name, Name: ex.name, Input: ex.input, Start: unixNano(ex.start),
		Status: ex.status, Output: ex.output, Error: ex.errName, Cause: ex.cause, Stop: unixNano(ex.stop),
		Deadline: unixNano(ex.deadline)}
	b, _ := json.Marshal(&r)
	return b
}

// startOpsLocked are the writes that create an execution.
func (ex *execution) startOpsLocked() []op {
	ops := ex.eventOpsLocked(nil)
	ops = append(ops, op{bucket: bucketExecs, key: []byte(ex.arn), val: ex.recordLocked()})
	return ex.root.recordOpsLocked(ops)
}

// finalOpsLocked are the writes that end an execution: its last events,
// its final record, and the delete of its frames.
func (ex *execution) finalOpsLocked() []op {
	ops := ex.eventOpsLocked(nil)
	ops = append(ops, op{bucket: bucketExecs, key: []byte(ex.arn), val: ex.recordLocked()},
		op{bucket: bucketFrames, key: frameKey(ex.arn, ""), prefix: true})
	return ops
}

// restoreFrame rebuilds a frame from its record; def is the definition
// it runs in.
func restoreFrame(ex *execution, key string, def *asl.Definition, r *frameRec) (*frame, error) {
	st := def.States[r.State]
	if st == nil {
		return nil, &asl.Error{Name: asl.ErrRuntime, Cause: "the definition has no state " + r.State}
	}
	in, err := parseJSON(r.Input)
	if err != nil {
		return nil, err
	}
	f := &frame{ex: ex, key: key, def: def, st: st, input: in, entered: r.Entered,
		enteredAt: fromNano(r.EnteredAt), phase: r.Phase, due: fromNano(r.Due), token: r.Token,
		timeoutAt: fromNano(r.TimeoutAt), hbAt: fromNano(r.HbAt), hbSecs: r.HbSecs, retries: r.Retries,
		retryCount: r.RetryCount, child: r.Child, nextItem: r.NextItem, maxConc: r.MaxConc, last: r.Last, visit: r.Visit}
	if r.Phase == phDone {
		if f.output, err = parseJSON(r.Output); err != nil {
			return nil, err
		}
	}
	if err := restoreDelivered(f, r); err != nil {
		return nil, err
	}
	return f, nil
}

// restoreDelivered gives f back the result it had been delivered and not
// yet consumed: the frame consumes it when it runs, instead of waiting
// (or calling its function) again.
func restoreDelivered(f *frame, r *frameRec) error {
	if !r.Delivered {
		return nil
	}
	f.cbDone = true
	if r.Failure != nil {
		f.cbErr = &asl.Error{Name: r.Failure.Name, Cause: r.Failure.Cause}
		return nil
	}
	v, err := parseJSON(r.Result)
	f.cbOut = v
	return err
}
