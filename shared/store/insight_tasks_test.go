package store_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestOpenTaskRefreshesItsCoop: opening a co-op's task changes the co-op's
// task summary without an event, so it asks for the co-op's insight
// refresh itself (the pipeline's waiting-on and overdue figures).
func TestOpenTaskRefreshesItsCoop(t *testing.T) {
	s := testkit.Store(t)
	ctx := t.Context()
	c := lagCoop("coop-tasks")
	testkit.Must(t, s.CreateCoop(ctx, c, nil, nil))
	if got, _ := s.PendingInsight(ctx, 10); len(got) != 0 {
		t.Fatalf("deliveries before the task: %+v", got)
	}
	task := &pathway.Task{ID: "task-1", Kind: pathway.TaskPanelDecision, Coop: c.ID, Organisation: "org-lag",
		Role: pathway.RoleAgency, Title: "Decide", Due: t0.Add(time.Hour), Token: "tok", Status: pathway.TaskOpen, CreatedAt: t0}
	_, err := s.PutTask(ctx, task)
	testkit.Must(t, err)
	got, err := s.PendingInsight(ctx, 10)
	testkit.Must(t, err)
	if len(got) != 1 || got[0].Subject != pathway.CoopSubject(c.ID) || got[0].Kind != pathway.DeliverInsight {
		t.Fatalf("deliveries = %+v, want one refresh of the co-op", got)
	}
}
