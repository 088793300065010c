package localsfn

import (
	"context"
	"errors"
	"strings"

	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/cost"
)

var _ cost.Histories = Workflows{}

// History returns the events of the execution named name of machine, as
// shared/sfn reads them from AWS: none (no error) when it does not exist.
func (w Workflows) History(ctx context.Context, machine, name string) ([]cost.Event, error) {
	arn := strings.Replace(w.e.StateMachineARN(machine), ":stateMachine:", ":execution:", 1) + ":" + name
	events, err := w.e.GetExecutionHistory(ctx, arn)
	var ae *states.APIError
	if errors.As(err, &ae) && ae.Name == states.ErrExecutionDoesNotExist {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]cost.Event, len(events))
	for i, ev := range events {
		out[i] = cost.Event{Type: ev.Type, Timestamp: ev.Timestamp}
	}
	return out, nil
}
