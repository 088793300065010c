package testkit

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

var _ pathway.Stopper = (*Workflows)(nil)

// Stop is one StopExecution call that was taken.
type Stop struct {
	Machine, Name, Cause string
}

// StopExecution records the stop of an execution.
func (w *Workflows) StopExecution(_ context.Context, machine, name, cause string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.failing("StopExecution"); err != nil {
		return err
	}
	w.stops = append(w.stops, Stop{Machine: machine, Name: name, Cause: cause})
	return nil
}

// Stops returns the stops taken, in order.
func (w *Workflows) Stops() []Stop {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Stop(nil), w.stops...)
}

// FailStops makes the next times stops (for ever when negative) fail with err.
func (w *Workflows) FailStops(err error, times int) { w.failNext("StopExecution", err, times) }
