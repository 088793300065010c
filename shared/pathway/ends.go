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
