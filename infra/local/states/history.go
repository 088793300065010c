package states

import (
	"fmt"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// dkey names one detail of a history event.
type dkey uint8

const (
	dNone dkey = iota
	dInput
	dOutput
	dParameters
	dError // the error and its cause
	dLength
	dIndex
)

// dkeyNames are the details' names in the API's form.
var dkeyNames = [...]string{dInput: "input", dOutput: "output", dParameters: "parameters",
	dLength: "length", dIndex: "index"}

// evType is a history event's type; its String is AWS's name.
type evType uint8

// Event types.
const (
	evExecutionStarted evType = iota + 1
	evExecutionSucceeded
	evExecutionFailed
	evExecutionAborted
	evExecutionTimedOut
	evPassStateEntered
	evTaskStateEntered
	evChoiceStateEntered
	evWaitStateEntered
	evSucceedStateEntered
	evFailStateEntered
	evParallelStateEntered
	evMapStateEntered
	evPassStateExited
	evTaskStateExited
	evChoiceStateExited
	evWaitStateExited
	evSucceedStateExited
	evParallelStateExited
	evMapStateExited
	evTaskScheduled
	evTaskStarted
	evTaskSubmitted
	evTaskSucceeded
	evTaskFailed
	evTaskTimedOut
	evLambdaFunctionScheduled
	evLambdaFunctionStarted
	evLambdaFunctionSucceeded
	evLambdaFunctionFailed
	evLambdaFunctionTimedOut
	evParallelStateStarted
	evParallelStateSucceeded
	evParallelStateFailed
	evMapStateStarted
	evMapStateSucceeded
	evMapStateFailed
	evMapIterationStarted
	evMapIterationSucceeded
	evMapIterationFailed
)

var evTypeNames = [...]string{
	evExecutionStarted:        "ExecutionStarted",
	evExecutionSucceeded:      "ExecutionSucceeded",
	evExecutionFailed:         "ExecutionFailed",
	evExecutionAborted:        "ExecutionAborted",
	evExecutionTimedOut:       "ExecutionTimedOut",
	evPassStateEntered:        "PassStateEntered",
	evTaskStateEntered:        "TaskStateEntered",
	evChoiceStateEntered:      "ChoiceStateEntered",
	evWaitStateEntered:        "WaitStateEntered",
	evSucceedStateEntered:     "SucceedStateEntered",
	evFailStateEntered:        "FailStateEntered",
	evParallelStateEntered:    "ParallelStateEntered",
	evMapStateEntered:         "MapStateEntered",
	evPassStateExited:         "PassStateExited",
	evTaskStateExited:         "TaskStateExited",
	evChoiceStateExited:       "ChoiceStateExited",
	evWaitStateExited:         "WaitStateExited",
	evSucceedStateExited:      "SucceedStateExited",
	evParallelStateExited:     "ParallelStateExited",
	evMapStateExited:          "MapStateExited",
	evTaskScheduled:           "TaskScheduled",
	evTaskStarted:             "TaskStarted",
	evTaskSubmitted:           "TaskSubmitted",
	evTaskSucceeded:           "TaskSucceeded",
	evTaskFailed:              "TaskFailed",
	evTaskTimedOut:            "TaskTimedOut",
	evLambdaFunctionScheduled: "LambdaFunctionScheduled",
	evLambdaFunctionStarted:   "LambdaFunctionStarted",
	evLambdaFunctionSucceeded: "LambdaFunctionSucceeded",
	evLambdaFunctionFailed:    "LambdaFunctionFailed",
	evLambdaFunctionTimedOut:  "LambdaFunctionTimedOut",
	evParallelStateStarted:    "ParallelStateStarted",
	evParallelStateSucceeded:  "ParallelStateSucceeded",
	evParallelStateFailed:     "ParallelStateFailed",
	evMapStateStarted:         "MapStateStarted",
	evMapStateSucceeded:       "MapStateSucceeded",
	evMapStateFailed:          "MapStateFailed",
	evMapIterationStarted:     "MapIterationStarted",
	evMapIterationSucceeded:   "MapIterationSucceeded",
	evMapIterationFailed:      "MapIterationFailed",
}

// String returns AWS's name of the type.
func (t evType) String() string { return evTypeNames[t] }

// event is one history event as the engine records it, in 48 bytes. The
// value of a JSON detail (input, output, parameters) is a JSON value
// written out only when the history is read or persisted, so recording an
// event costs no encoding; an error is the *asl.Error itself; the state's
// name and resource are read from st.
type event struct {
	ts       int64 // unix nanoseconds
	id, prev int32
	st       *asl.State // the state the event concerns, if any
	typ      evType
	k        dkey
	v        any
}

// with returns the event with its one detail k = v (dError: v is the
// *asl.Error and gives the error and the cause).
func (ev event) with(k dkey, v any) event {
	ev.k, ev.v = k, v
	return ev
}

// jsonDetail reports whether a detail holds a JSON value.
func jsonDetail(k dkey) bool { return k == dInput || k == dOutput || k == dParameters }

// hasResource reports whether events of the type report their state's
// resource, as AWS's TaskScheduled and TaskSubmitted do.
func hasResource(typ evType) bool {
	return typ == evTaskScheduled || typ == evLambdaFunctionScheduled || typ == evTaskSubmitted
}

// public converts an event to the API's form.
func (ev *event) public() HistoryEvent {
	h := HistoryEvent{ID: int64(ev.id), PreviousEventID: int64(ev.prev), Timestamp: time.Unix(0, ev.ts).UTC(),
		Type: ev.typ.String()}
	if ev.st != nil {
		h.StateName = ev.st.Name
	}
	put := func(k, v string) {
		if h.Details == nil {
			h.Details = make(map[string]string, 3)
		}
		h.Details[k] = v
	}
	switch {
	case ev.k == dNone:
	case ev.k == dError:
		if fail, ok := ev.v.(*asl.Error); ok {
			put("error", fail.Name)
			put("cause", fail.Cause)
		}
	case jsonDetail(ev.k):
		put(dkeyNames[ev.k], toJSON(ev.v))
	default:
		put(dkeyNames[ev.k], fmt.Sprint(ev.v))
	}
	if ev.typ == evExecutionStarted {
		put("roleArn", roleARN)
	}
	if ev.st != nil && hasResource(ev.typ) {
		put("resource", ev.st.Resource)
	}
	return h
}

// chunkEvents is how many events a chunk of history holds: a chunk is
// then 1 KiB, a size the allocator has a class for.
const chunkEvents = 21

// history holds an execution's events in chunks allocated as they fill:
// nothing is set aside for a history before it is made, and nothing is
// copied as it grows.
type history struct {
	first, last *evChunk
	n           int
}

type evChunk struct {
	ev   [chunkEvents]event
	n    int
	next *evChunk
}

// add appends an event.
func (h *history) add(ev *event) {
	c := h.last
	if c == nil || c.n == chunkEvents {
		c = new(evChunk)
		if h.last == nil {
			h.first = c
		} else {
			h.last.next = c
		}
		h.last = c
	}
	c.ev[c.n] = *ev
	c.n++
	h.n++
}

// each calls fn for every event in order.
func (h *history) each(fn func(*event)) {
	for c := h.first; c != nil; c = c.next {
		for i := 0; i < c.n; i++ {
			fn(&c.ev[i])
		}
	}
}

// reset forgets every event.
func (h *history) reset() { *h = history{} }

// emitLocked appends an event for frame f (nil for execution events) at
// the frame's current instant (ev.ts, if set, for execution events); the
// caller holds ex.mu.
func (ex *execution) emitLocked(f *frame, ev event) {
	ex.nextID++
	ev.id = int32(ex.nextID)
	switch {
	case f != nil && f.now != 0:
		ev.ts = f.now
	case ev.ts == 0:
		ev.ts = ex.e.clock.Now().UnixNano()
	}
	if f != nil {
		ev.prev = int32(f.last)
		if ev.prev == 0 && f.parent != nil {
			ev.prev = int32(f.parent.last)
		}
		f.last = ex.nextID
	} else {
		ev.prev = int32(ex.nextID - 1)
	}
	ex.events.add(&ev)
}

// emit appends an event for frame f.
func (ex *execution) emit(f *frame, ev event) {
	ex.mu.Lock()
	ex.emitLocked(f, ev)
	ex.mu.Unlock()
}

// enteredType and exitedType are the types of a state's Entered and
// Exited events.
func enteredType(typ string) evType {
	switch typ {
	case asl.TypeTask:
		return evTaskStateEntered
	case asl.TypePass:
		return evPassStateEntered
	case asl.TypeChoice:
		return evChoiceStateEntered
	case asl.TypeWait:
		return evWaitStateEntered
	case asl.TypeSucceed:
		return evSucceedStateEntered
	case asl.TypeFail:
		return evFailStateEntered
	case asl.TypeParallel:
		return evParallelStateEntered
	case asl.TypeMap:
		return evMapStateEntered
	}
	return 0
}

func exitedType(typ string) evType {
	switch typ {
	case asl.TypeTask:
		return evTaskStateExited
	case asl.TypePass:
		return evPassStateExited
	case asl.TypeChoice:
		return evChoiceStateExited
	case asl.TypeWait:
		return evWaitStateExited
	case asl.TypeSucceed:
		return evSucceedStateExited
	case asl.TypeParallel:
		return evParallelStateExited
	case asl.TypeMap:
		return evMapStateExited
	}
	return 0
}

// branchEnded is the type of the event that ends a Parallel or Map state
// whose branches or iterations ended.
func branchEnded(typ string, failed bool) evType {
	switch {
	case typ == asl.TypeParallel && failed:
		return evParallelStateFailed
	case typ == asl.TypeParallel:
		return evParallelStateSucceeded
	case failed:
		return evMapStateFailed
	}
	return evMapStateSucceeded
}
