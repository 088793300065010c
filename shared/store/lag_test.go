package store_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

var t0 = time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)

// lagCoop returns a valid co-op of one founder.
func lagCoop(id string) *pathway.Coop {
	return &pathway.Coop{
		ID: id, Name: "Lagged Co-op", Programme: "prog-lag", LegalForm: pathway.FormCooperativeSociety,
		Origin: "new-start", LocalAuthority: "Calderdale", Services: []string{"home-care"},
		Members:  []pathway.Member{{Name: "Invented Person", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Founders: []string{"user-lag"}, Stage: pathway.StageApplied, StageEnteredAt: t0, CreatedAt: t0, UpdatedAt: t0,
	}
}

// TestOwnWritesReadTheTable: with indexes lagging, every read a caller
// makes of what it has just written — a subject's open tasks, a founder's
// co-ops, stage counts — sees the write at once, while an inbox (an index)
// does not until the lag has passed. This is what DynamoDB's eventually
// consistent indexes do, and why those reads go to the table.
func TestOwnWritesReadTheTable(t *testing.T) {
	s := testkit.LaggedStore(t)
	ctx := t.Context()
	c := lagCoop("coop-lag")
	if err := s.CreateCoop(ctx, c, nil, nil); err != nil {
		t.Fatal(err)
	}
	if cs, err := s.ListFounderCoops(ctx, "user-lag"); err != nil || len(cs) != 1 {
		t.Fatalf("ListFounderCoops right after CreateCoop = %v, %v; want the co-op", cs, err)
	}
	if n, err := s.CountStages(ctx, "prog-lag"); err != nil || n[pathway.StageApplied] != 1 {
		t.Fatalf("CountStages right after CreateCoop = %v, %v; want 1 applied", n, err)
	}
	task := &pathway.Task{ID: "task-lag", Kind: pathway.TaskPanelDecision, Coop: c.ID, Organisation: "org-lag",
		Role: pathway.RoleAgency, Title: "Decide", Due: t0.Add(time.Hour), Token: "tok", Status: pathway.TaskOpen, CreatedAt: t0}
	if _, err := s.PutTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	if ts, err := s.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID}); err != nil || len(ts) != 1 {
		t.Fatalf("the co-op's open tasks right after PutTask = %v, %v; want the task", ts, err)
	}
	inbox := pathway.TaskFilter{Organisation: "org-lag", Role: pathway.RoleAgency}
	if ts, err := s.ListTasks(ctx, inbox); err != nil || len(ts) != 0 {
		t.Fatalf("the inbox right after PutTask = %v, %v; want the lag to hide it (is the lag on?)", ts, err)
	}
	time.Sleep(2 * testkit.IndexLag)
	if ts, err := s.ListTasks(ctx, inbox); err != nil || len(ts) != 1 {
		t.Fatalf("the inbox after the lag = %v, %v; want the task", ts, err)
	}
	if _, err := s.CompleteTask(ctx, task.ID, pathway.TaskCompletion{By: "u", At: t0, Status: pathway.TaskCompleted}); err != nil {
		t.Fatal(err)
	}
	if ts, err := s.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID}); err != nil || len(ts) != 0 {
		t.Fatalf("the co-op's open tasks right after CompleteTask = %v, %v; want none", ts, err)
	}
}
