package web_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/web"
)

// countingStore counts the task reads the handlers make.
type countingStore struct {
	*store.Store
	gets atomic.Int64
}

func (c *countingStore) GetTask(ctx context.Context, id string) (*pathway.Task, error) {
	c.gets.Add(1)
	return c.Store.GetTask(ctx, id)
}

// TestDecisionReadsTheTaskOnce: POST /api/tasks/{id}/decision reads the
// task once and sends it to the service its subject belongs to; a task
// that is not there is "not found".
func TestDecisionReadsTheTaskOnce(t *testing.T) {
	f := newGrantFixture(t)
	cs := &countingStore{Store: f.st}
	f.h = web.New(web.Config{Store: cs, Workflows: f.wf, Auth: grantAuth{}, Now: func() time.Time { return gNow }})
	id := f.applyAPI(t, gApplication)
	f.moveTo(t, id, grants.StatusInReview, grants.StatusAwaitingDecision)
	f.task(t, id, "decision-"+id, grants.TaskDecision, pathway.RoleFunderLead, "")

	cs.gets.Store(0)
	// Refused before any answer is stored: the reading is all there is.
	wantStatus(t, f.do(t, gLead, "POST", "/api/tasks/decision-"+id+"/decision", `{"outcome":"award","feedback":"x"}`), http.StatusBadRequest)
	if n := cs.gets.Load(); n != 1 {
		t.Errorf("a grant task's decision read the task %d times, want 1", n)
	}
	cs.gets.Store(0)
	wantStatus(t, f.do(t, gLead, "POST", "/api/tasks/no-such-task/decision", `{}`), http.StatusNotFound)
	if n := cs.gets.Load(); n != 1 {
		t.Errorf("a missing task's decision read it %d times, want 1", n)
	}
}
