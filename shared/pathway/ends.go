package pathway

import "context"

// ActionCoopClosed is the event of the agency recording that a registered
// co-op stopped trading or was wound up (AgencyMoves); its withdrawal
// from any open stage is ActionCoopWithdrawn.
const ActionCoopClosed = "coop.closed"

// DeliverStop stops a workflow execution (StopExecution): recorded with
// the move of a co-op to an end, so that the execution still running its
// journey (application or registration) ends wherever it is, waiting on
// a task or running a step. Stopping an execution that has finished, or
// was never started, does nothing.
//
// Why a stop rather than an answer to each wait (as a grant's withdrawal
// and a tender's cancellation do): the application and registration
// workflows have five waits and no branch for an ended co-op, and a
// withdrawal can come while a step runs rather than waits (screening, or
// the start of registration just after the panel's acceptance). A stop
// ends the execution wherever it is, with no change to the ASL or the
// steps, and the service closes the co-op's tasks itself.
const DeliverStop = "stop-execution"

// Stopper is the part of the workflows port that stops an execution; the
// AWS adapter (shared/sfn) and the local engine's (infra/local/localsfn)
// implement it. It stands beside Workflows rather than in it so that the
// fakes of Workflows that never stop anything need not change.
type Stopper interface {
	// StopExecution stops the execution name of the workflow machine (a
	// Workflow* name) with the cause, for the execution's history. An
	// execution that is not running (finished, stopped, never started) is
	// no error: there is nothing left to stop.
	StopExecution(ctx context.Context, machine, name, cause string) error
}
