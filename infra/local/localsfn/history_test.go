package localsfn_test

import (
	"encoding/json"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestHistoryCountsTransitions(t *testing.T) {
	wf, e, tokens := newPort(t)
	ctx := t.Context()
	if err := wf.StartExecution(ctx, pathway.WorkflowApplication, "coop-1", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	if err := wf.SendTaskSuccess(ctx, <-tokens, json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	e.WaitIdle()
	h := wf.(localsfn.Workflows)
	events, err := h.History(ctx, pathway.WorkflowApplication, "coop-1")
	if err != nil {
		t.Fatal(err)
	}
	// One Task state entered, run once: one transition.
	if got := cost.Transitions(events); got != 1 {
		t.Errorf("Transitions = %d, want 1 (events %+v)", got, events)
	}
	if events[0].Type != cost.EvExecutionStarted || events[0].Timestamp.IsZero() {
		t.Errorf("first event %+v, want ExecutionStarted with its time", events[0])
	}
	none, err := h.History(ctx, pathway.WorkflowApplication, "coop-2")
	if err != nil || len(none) != 0 {
		t.Errorf("History of no execution = %v, %v; want none, no error", none, err)
	}
}
