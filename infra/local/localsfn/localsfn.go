// Package localsfn adapts the local Step Functions engine
// (infra/local/states, which knows nothing of the application) to the
// application's port, pathway.Workflows, as shared/sfn adapts AWS Step
// Functions: the engine's API errors become the port's.
package localsfn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Workflows is the engine seen through the port.
type Workflows struct{ e *states.Engine }

var _ pathway.Workflows = Workflows{}

// New returns the port over e.
func New(e *states.Engine) Workflows { return Workflows{e: e} }

// StartExecution starts an execution of the state machine named machine.
// The engine returns the existing execution for the same name and input.
func (w Workflows) StartExecution(ctx context.Context, machine, name string, input json.RawMessage) error {
	_, err := w.e.StartExecution(ctx, states.StartExecutionInput{StateMachine: machine, Name: name, Input: input})
	return portError(err)
}

// SendTaskSuccess answers the callback task with the token.
func (w Workflows) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	return portError(w.e.SendTaskSuccess(ctx, token, output))
}

// portError wraps the engine's API errors the port tells apart in the
// port's errors; others pass through unchanged.
func portError(err error) error {
	var ae *states.APIError
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.Name {
	case states.ErrExecutionAlreadyExists:
		return fmt.Errorf("%w: %w", pathway.ErrAlreadyStarted, err)
	case states.ErrTaskDoesNotExist, states.ErrTaskTimedOut, states.ErrInvalidToken:
		return fmt.Errorf("%w: %w", pathway.ErrNotWaiting, err)
	}
	return err
}

var _ pathway.Stopper = Workflows{}

// StopExecution stops the execution name of the state machine machine;
// one that is finished or was never started has nothing to stop.
func (w Workflows) StopExecution(ctx context.Context, machine, name, cause string) error {
	arn := w.e.ExecutionARN(machine, name)
	if arn == "" {
		return fmt.Errorf("localsfn: no state machine %q", machine)
	}
	err := w.e.StopExecution(ctx, arn, "Pathway.Ended", cause)
	var ae *states.APIError
	if errors.As(err, &ae) && ae.Name == states.ErrExecutionDoesNotExist {
		return nil
	}
	return portError(err)
}
