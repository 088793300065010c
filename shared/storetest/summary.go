package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// wantSummary fails the test unless the co-op's stored task summary has
// open tasks, the earliest due at due.
func wantSummary(t *testing.T, s pathway.Store, coop string, open int, due time.Time, what string) {
	t.Helper()
	got := get(t, s, coop).Tasks
	if got.Open != open || !got.NextDue.Equal(due) {
		t.Fatalf("%s: task summary %+v, want %d open, next due %v", what, got, open, due)
	}
}

// testTaskSummary: the co-op's record sums up its open tasks (how many,
// the earliest due) through every PutTask and CompleteTask, a pipeline
// page carries it, and it is the store's own: an update of the co-op
// keeps it, and a task opened or closed meanwhile does not make the
// update stale.
func testTaskSummary(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	c := newCoop("coop-sum", progNorth, pathway.StageAwaitingPanel, at(0))
	create(t, s, c)
	wantSummary(t, s, c.ID, 0, time.Time{}, "new co-op")
	later, sooner := newTask("task-sum-later", c.ID, orgA, pathway.RoleAgency, at(300)), newTask("task-sum-sooner", c.ID, orgA, pathway.RoleAgency, at(200))
	noDue := newTask("task-sum-nodue", c.ID, "", pathway.RoleFounder, time.Time{})
	putTasks(t, s, later, sooner, noDue)
	wantSummary(t, s, c.ID, 3, at(200), "three open tasks")
	if _, err := s.PutTask(ctx, sooner); err != nil {
		t.Fatalf("PutTask again: %v", err)
	}
	wantSummary(t, s, c.ID, 3, at(200), "a task put again")

	// c was read before the tasks: its version still holds, and what it
	// says of tasks is not stored.
	c.Name, c.Tasks = "Moorside Care Co-op renamed", pathway.TaskSummary{Open: 99}
	if err := s.UpdateCoop(ctx, c, nil); err != nil {
		t.Fatalf("UpdateCoop after tasks were opened: %v", err)
	}
	wantSummary(t, s, c.ID, 3, at(200), "after UpdateCoop")
	if got := get(t, s, c.ID); got.Name != c.Name || got.Version != 2 {
		t.Fatalf("UpdateCoop stored %q version %d", got.Name, got.Version)
	}

	if _, err := s.CompleteTask(ctx, sooner.ID, pathway.TaskCompletion{By: "user-x", At: at(5), Status: pathway.TaskCompleted}); err != nil {
		t.Fatalf("CompleteTask: %v", err)
	}
	wantSummary(t, s, c.ID, 2, at(300), "the sooner task closed")
	if _, err := s.CompleteTask(ctx, sooner.ID, pathway.TaskCompletion{By: "user-y", At: at(6), Status: pathway.TaskCompleted}); pathway.ErrorCode(err) != pathway.ECONFLICT {
		t.Fatalf("second CompleteTask = %v, want ECONFLICT", err)
	}
	wantSummary(t, s, c.ID, 2, at(300), "a refused second answer")
	for _, id := range []string{later.ID, noDue.ID} {
		if _, err := s.CompleteTask(ctx, id, pathway.TaskCompletion{By: pathway.ActorSystem, At: at(7), Status: pathway.TaskCancelled}); err != nil {
			t.Fatalf("CompleteTask(%s): %v", id, err)
		}
	}
	wantSummary(t, s, c.ID, 0, time.Time{}, "every task closed")

	// The pipeline's page shows the summary too (its index may lag).
	putTasks(t, s, newTask("task-sum-again", c.ID, orgA, pathway.RoleAgency, at(400)))
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		page, err := s.ListCoops(ctx, pathway.CoopFilter{Programme: progNorth, Stage: pathway.StageAwaitingPanel})
		if err != nil {
			t.Fatalf("ListCoops: %v", err)
		}
		if len(page.Coops) == 1 && page.Coops[0].Tasks.Open == 1 && page.Coops[0].Tasks.NextDue.Equal(at(400)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the pipeline page never showed the task summary: %+v", page.Coops)
		}
	}
}

// testTaskSummaryRace: tasks of one co-op opened and closed at once, while
// the co-op itself is updated, leave a summary that matches its open
// tasks, and no update is refused for a task's sake.
func testTaskSummaryRace(t *testing.T, s pathway.Store) {
	const n = 12
	ctx := t.Context()
	c := newCoop("coop-sum-race", progNorth, pathway.StageAwaitingPanel, at(0))
	create(t, s, c)
	var closing []*pathway.Task
	for i := range n {
		closing = append(closing, newTask(fmt.Sprintf("task-close-%02d", i), c.ID, orgA, pathway.RoleAgency, at(100+i)))
	}
	putTasks(t, s, closing...)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if _, err := s.PutTask(ctx, newTask(fmt.Sprintf("task-open-%02d", i), c.ID, orgA, pathway.RoleAgency, at(500+i))); err != nil {
				t.Errorf("PutTask %d: %v", i, err)
			}
		})
		wg.Go(func() {
			if _, err := s.CompleteTask(ctx, closing[i].ID, pathway.TaskCompletion{By: "user-x", At: at(1), Status: pathway.TaskCompleted}); err != nil {
				t.Errorf("CompleteTask %d: %v", i, err)
			}
		})
	}
	wg.Go(func() {
		for i := range 5 {
			cur := get(t, s, c.ID)
			cur.Name = fmt.Sprintf("Moorside Care Co-op %d", i)
			if err := s.UpdateCoop(ctx, cur, nil); err != nil {
				t.Errorf("UpdateCoop %d while tasks change: %v", i, err)
			}
		}
	})
	wg.Wait()
	open, err := s.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID})
	if err != nil {
		t.Fatalf("ListTasks: %v", err)
	}
	want := pathway.SummariseTasks(open)
	wantSummary(t, s, c.ID, want.Open, want.NextDue, "after the race")
	if want.Open != n || !want.NextDue.Equal(at(500)) {
		t.Fatalf("open tasks %+v, want the %d opened, first due %v", want, n, at(500))
	}
}
