package cost

import (
	"strings"
	"time"
)

// Event is one event of a Step Functions execution's history, reduced to
// what billing needs: AWS's event type name (as GetExecutionHistory
// returns it in HistoryEvent.Type, and as the local engine's
// states.HistoryEvent.Type already is).
type Event struct {
	Type string
	// Timestamp is when it happened (zero when unknown), so that an
	// execution's transitions can be counted by the month they happened in.
	Timestamp time.Time
}

// History event type names that the counting rule looks at.
const (
	EvExecutionStarted     = "ExecutionStarted"
	EvExecutionRedriven    = "ExecutionRedriven"
	EvTaskStateEntered     = "TaskStateEntered"
	EvTaskScheduled        = "TaskScheduled"
	EvLambdaScheduled      = "LambdaFunctionScheduled"
	EvActivityScheduled    = "ActivityScheduled"
	EvParallelStateEntered = "ParallelStateEntered"
	EvParallelStateStarted = "ParallelStateStarted"
	EvMapStateEntered      = "MapStateEntered"
	EvMapStateStarted      = "MapStateStarted"
	EvMapIterationStarted  = "MapIterationStarted"
	EvWaitStateEntered     = "WaitStateEntered"
	stateEnteredSuffix     = "StateEntered"
)

// Retries counts the transitions of events that are retries: a Task
// scheduled again after a failure (Retry), a Parallel or Map state started
// again. Transitions includes them, as AWS bills them; a path's count
// without them is Transitions − Retries.
func Retries(events []Event) int64 { return tallyOf(events).retries() }

// Transitions counts the Step Functions Standard state transitions billed
// for one execution from its history.
//
// The rule, from the pricing page ("Step Functions counts a state
// transition each time a step of your workflow is executed … including
// retries"; "each retry will be charged as an additional state
// transition", https://aws.amazon.com/step-functions/pricing/) and the
// Developer Guide's "Transitions" page
// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-transitions.html):
//
//   - each state entered is one transition: one per "…StateEntered" event,
//     whatever the state's type (Task, Pass, Choice, Wait, Succeed, Fail,
//     Parallel, Map). A Wait state is one transition however long it waits;
//   - each retry is one more: a Task retried schedules its work again
//     (TaskScheduled, LambdaFunctionScheduled or ActivityScheduled) without
//     a new TaskStateEntered, so the scheduled events beyond one per Task
//     entered are retries; a retried Parallel or Map starts again
//     (ParallelStateStarted, MapStateStarted) in the same way;
//   - an inline Map's iterations are not charged as such
//     (MapIterationStarted counts nothing), but the states each iteration
//     runs are entered and count like any other;
//   - a redrive is one transition (ExecutionRedriven), and the states it
//     runs again count again through their own events;
//   - a Distributed Map charges one transition per child execution it
//     starts; those children are separate executions whose histories are
//     not in this one, so the caller adds them (this project uses none).
//
// Not counted: ExecutionStarted and the execution's end, which the pricing
// page does not name as steps. To check against one billed execution on
// AWS (the bill's "StateTransition" usage for a known number of runs).
func Transitions(events []Event) int64 {
	t := tallyOf(events)
	return t.entered + t.redrives + t.retries()
}

// tally counts the events of a history that the billing rules look at.
type tally struct {
	entered, taskEntered, scheduled, parEntered, parStarted, mapEntered, mapStarted, redrives int64
}

// tallyOf counts a history's events.
func tallyOf(events []Event) tally {
	var n tally
	for _, ev := range events {
		switch ev.Type {
		case EvTaskStateEntered:
			n.taskEntered++
		case EvTaskScheduled, EvLambdaScheduled, EvActivityScheduled:
			n.scheduled++
		case EvParallelStateEntered:
			n.parEntered++
		case EvParallelStateStarted:
			n.parStarted++
		case EvMapStateEntered:
			n.mapEntered++
		case EvMapStateStarted:
			n.mapStarted++
		case EvExecutionRedriven:
			n.redrives++
		}
		if strings.HasSuffix(ev.Type, stateEnteredSuffix) {
			n.entered++
		}
	}
	return n
}

// retries are the starts beyond one per state entered: Tasks scheduled,
// Parallels and Maps started again.
func (n tally) retries() int64 {
	return extra(n.scheduled, n.taskEntered) + extra(n.parStarted, n.parEntered) + extra(n.mapStarted, n.mapEntered)
}

// extra is the starts beyond one per entry (the retries), never negative:
// a Task that fails before scheduling anything (a bad Parameters path) has
// an entry and no start.
func extra(starts, entries int64) int64 {
	if starts > entries {
		return starts - entries
	}
	return 0
}

// EventTypes wraps history event type names as Events (for a history
// already reduced to its types, as both engines' histories are easily).
func EventTypes(types ...string) []Event {
	out := make([]Event, len(types))
	for i, t := range types {
		out[i] = Event{Type: t}
	}
	return out
}
