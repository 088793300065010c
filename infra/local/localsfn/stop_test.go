package localsfn_test

import (
	"encoding/json"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestStopExecution: a waiting execution is stopped (ABORTED, with the
// cause); stopping it again, or one never started, is no error; an unknown
// machine is.
func TestStopExecution(t *testing.T) {
	wf, e, tokens := newPort(t)
	ctx := t.Context()
	if err := wf.StartExecution(ctx, pathway.WorkflowApplication, "coop-1", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	<-tokens
	st := wf.(pathway.Stopper)
	if err := st.StopExecution(ctx, pathway.WorkflowApplication, "coop-1", "The co-op's journey ended."); err != nil {
		t.Fatal(err)
	}
	ex, err := e.DescribeExecution(ctx, e.ExecutionARN(pathway.WorkflowApplication, "coop-1"))
	if err != nil || ex.Status != states.ExecAborted || ex.Error != "Pathway.Ended" || ex.Cause != "The co-op's journey ended." {
		t.Fatalf("execution %+v, %v; want aborted with the cause", ex, err)
	}
	if err := st.StopExecution(ctx, pathway.WorkflowApplication, "coop-1", "again"); err != nil {
		t.Errorf("stopping a stopped execution: %v", err)
	}
	if err := st.StopExecution(ctx, pathway.WorkflowApplication, "coop-never", "x"); err != nil {
		t.Errorf("stopping an execution never started: %v", err)
	}
	if err := st.StopExecution(ctx, "grants", "coop-1", "x"); err == nil {
		t.Errorf("an unknown machine: no error")
	}
}
