package states

import (
	"fmt"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// kv is one detail of a history event. Values of the JSON keys (input,
// output, parameters) are JSON values written out only when the history is
// read or persisted, so recording an event costs no encoding.
type kv struct {
	k string
	v any
}

// event is one history event as the engine records it.
type event struct {
	id, prev int64
	ts       int64 // unix nanoseconds
	typ      string
	state    string
	d        [3]kv
}

// jsonDetail reports whether a detail holds a JSON value.
func jsonDetail(k string) bool { return k == "input" || k == "output" || k == "parameters" }

// public converts an event to the API's form.
func (ev *event) public() pathway.HistoryEvent {
	h := pathway.HistoryEvent{ID: ev.id, PreviousEventID: ev.prev, Timestamp: time.Unix(0, ev.ts).UTC(),
		Type: ev.typ, StateName: ev.state}
	for _, d := range ev.d {
		if d.k == "" {
			continue
		}
		if h.Details == nil {
			h.Details = make(map[string]string, 3)
		}
		if jsonDetail(d.k) {
			h.Details[d.k] = toJSON(d.v)
		} else {
			h.Details[d.k] = fmt.Sprint(d.v)
		}
	}
	return h
}

// emitLocked appends an event for frame f (nil for execution events); the
// caller holds ex.mu.
func (ex *execution) emitLocked(f *frame, ev event) {
	ex.nextID++
	ev.id = ex.nextID
	if f != nil && f.now != 0 {
		ev.ts = f.now
	} else {
		ev.ts = ex.e.clock.Now().UnixNano()
	}
	if f != nil {
		ev.prev = f.last
		if ev.prev == 0 && f.parent != nil {
			ev.prev = f.parent.last
		}
		f.last = ev.id
	} else {
		ev.prev = ex.nextID - 1
	}
	ex.events = append(ex.events, ev)
}

// emit appends an event for frame f.
func (ex *execution) emit(f *frame, ev event) {
	ex.mu.Lock()
	ex.emitLocked(f, ev)
	ex.mu.Unlock()
}

// Event types per state type, as AWS names them.
var (
	enteredType = map[string]string{"Pass": "PassStateEntered", "Task": "TaskStateEntered",
		"Choice": "ChoiceStateEntered", "Wait": "WaitStateEntered", "Succeed": "SucceedStateEntered",
		"Fail": "FailStateEntered", "Parallel": "ParallelStateEntered", "Map": "MapStateEntered"}
	exitedType = map[string]string{"Pass": "PassStateExited", "Task": "TaskStateExited",
		"Choice": "ChoiceStateExited", "Wait": "WaitStateExited", "Succeed": "SucceedStateExited",
		"Parallel": "ParallelStateExited", "Map": "MapStateExited"}
)
