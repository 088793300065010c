package steps_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// failingCompletions is a store whose task completions fail with err.
type failingCompletions struct {
	pathway.Store
	err error
}

func (s *failingCompletions) CompleteTask(context.Context, string, pathway.TaskCompletion) (*pathway.Task, error) {
	return nil, s.err
}

// Rule: when the workflow moves on, the step closes the tasks it no longer
// waits for; a task someone answered meanwhile (conflict) or that is gone
// (not found) is no error, but any other failure to close one fails the
// step, so the workflow retries it.
func TestClosingTasksTheWorkflowLeft(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		wantErr string // "" when the step succeeds
	}{
		{"answered meanwhile", pathway.Errorf(pathway.ECONFLICT, "completed already"), ""},
		{"gone", pathway.NotFound("task"), ""},
		{"the store failed", errors.New("store down"), steps.ErrInternal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.toCQCPreparing()
			_, err := f.steps.OpenChecklistWait(f.ctx, f.taskInput("AwaitChecklist", 1, 0))
			must(t, err)
			f.verifyAll()
			for deadline := time.Now().Add(5 * time.Second); len(f.openOf(pathway.TaskChecklist)) == 0; {
				if time.Now().After(deadline) {
					t.Fatal("the checklist task never showed")
				}
				time.Sleep(10 * time.Millisecond)
			}
			st := steps.New(&failingCompletions{Store: f.store, err: tc.err}, func() time.Time { return f.now })
			_, err = st.MarkCQCReady(f.ctx, steps.CoopInput{Invocation: f.enter("MarkCQCReady"), CoopID: f.coop})
			if tc.wantErr == "" {
				must(t, err)
				return
			}
			wantType(t, err, tc.wantErr)
		})
	}
}
