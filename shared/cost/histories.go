package cost

import "context"

// Histories reads the histories of Step Functions executions, on AWS
// (shared/sfn) or in the local engine (infra/local/localsfn) alike, so a
// journey's state transitions are counted the same way on both.
type Histories interface {
	// History returns the events of the execution named name of the
	// workflow machine (a pathway.Workflow* name), oldest first, or none
	// (and no error) when there is no such execution: a co-op that never
	// reached a phase has no execution of it.
	History(ctx context.Context, machine, name string) ([]Event, error)
}
