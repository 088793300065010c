package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// newTask returns a valid open task.
func newTask(id, coop, org, role string, due time.Time) *pathway.Task {
	return &pathway.Task{
		ID:           id,
		Kind:         pathway.TaskPanelDecision,
		Coop:         coop,
		Organisation: org,
		Role:         role,
		Title:        "Decide on the application of " + coop,
		Due:          due,
		Token:        "token-" + id,
		Status:       pathway.TaskOpen,
		CreatedAt:    base,
	}
}

// putTasks stores tasks and fails the test on error.
func putTasks(t *testing.T, s pathway.Store, ts ...*pathway.Task) {
	t.Helper()
	for _, x := range ts {
		got, err := s.PutTask(t.Context(), x)
		if err != nil {
			t.Fatalf("PutTask(%s): %v", x.ID, err)
		}
		wantTask(t, x, got, "PutTask of a new task")
	}
}

// wantTasks checks ListTasks against want IDs in order.
func wantTasks(t *testing.T, s pathway.Store, f pathway.TaskFilter, want ...string) {
	t.Helper()
	ts, err := s.ListTasks(t.Context(), f)
	if err != nil {
		t.Fatalf("ListTasks(%+v): %v", f, err)
	}
	if got := taskIDs(ts); !slices.Equal(got, want) {
		t.Fatalf("ListTasks(%+v) = %v, want %v", f, got, want)
	}
}

func testTasks(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	day := 24 * time.Hour
	t1 := newTask("task-1", "coop-t-1", orgA, pathway.RoleAgency, base.Add(3*day))
	t2 := newTask("task-2", "coop-t-2", orgA, pathway.RoleAgency, base.Add(day))
	t3 := newTask("task-3", "coop-t-1", orgA, pathway.RoleFunder, base.Add(2*day))
	t4 := newTask("task-4", "coop-t-1", orgB, pathway.RoleAgency, base)
	t5 := newTask("task-5", "coop-t-1", "", pathway.RoleFounder, base.Add(5*day))
	t6 := newTask("task-6", "coop-t-2", orgA, pathway.RoleAgency, base.Add(day)) // same due as task-2
	putTasks(t, s, t1, t2, t3, t4, t5, t6)

	// A retried step puts the task again: the stored one is kept and returned.
	retry := *t1
	retry.Title, retry.Due = "A retry with another title", base
	got, err := s.PutTask(ctx, &retry)
	if err != nil {
		t.Fatalf("PutTask of an existing ID: %v", err)
	}
	wantTask(t, t1, got, "PutTask of an existing ID returns the stored task")
	got, err = s.GetTask(ctx, "task-1")
	if err != nil {
		t.Fatalf("GetTask: %v", err)
	}
	wantTask(t, t1, got, "GetTask after a repeated PutTask")

	_, err = s.GetTask(ctx, "task-missing")
	wantCode(t, err, pathway.ENOTFOUND, "GetTask of a missing ID")
	bad := newTask("task-bad", "coop-t-1", orgA, "janitor", base)
	_, err = s.PutTask(ctx, bad)
	wantField(t, err, "role", "PutTask with an unknown role")
	_, err = s.GetTask(ctx, "task-bad")
	wantCode(t, err, pathway.ENOTFOUND, "GetTask of a task refused as invalid")

	wantTasks(t, s, pathway.TaskFilter{Organisation: orgA, Role: pathway.RoleAgency}, "task-2", "task-6", "task-1")
	wantTasks(t, s, pathway.TaskFilter{Organisation: orgA, Role: pathway.RoleFunder}, "task-3")
	wantTasks(t, s, pathway.TaskFilter{Organisation: orgB, Role: pathway.RoleAgency}, "task-4")
	wantTasks(t, s, pathway.TaskFilter{Organisation: orgB, Role: pathway.RoleFunder})
	wantTasks(t, s, pathway.TaskFilter{Coop: "coop-t-1"}, "task-4", "task-3", "task-1", "task-5")
	wantTasks(t, s, pathway.TaskFilter{Coop: "coop-t-1", Organisation: orgB, Role: pathway.RoleAgency}, "task-4", "task-3", "task-1", "task-5")
	wantTasks(t, s, pathway.TaskFilter{Coop: "coop-t-2"}, "task-2", "task-6")
	wantTasks(t, s, pathway.TaskFilter{Coop: "coop-t-none"})

	_, err = s.ListTasks(ctx, pathway.TaskFilter{})
	wantCode(t, err, pathway.EINVALID, "ListTasks with an empty filter")
	_, err = s.ListTasks(ctx, pathway.TaskFilter{Organisation: orgA})
	wantCode(t, err, pathway.EINVALID, "ListTasks without a role")
}

func testCompleteTask(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	t1 := newTask("task-c-1", "coop-c", orgA, pathway.RoleAgency, base)
	t2 := newTask("task-c-2", "coop-c", orgA, pathway.RoleAgency, base.Add(time.Hour))
	t3 := newTask("task-c-3", "coop-c", orgA, pathway.RoleAgency, base.Add(2*time.Hour))
	putTasks(t, s, t1, t2, t3)

	done := pathway.TaskCompletion{
		By: "user-agency-odile", At: base.Add(30 * time.Minute), Status: pathway.TaskCompleted,
		Outcome: json.RawMessage(`{"decision":"accept","reasons":["strong founding group"]}`),
	}
	got, err := s.CompleteTask(ctx, "task-c-1", done)
	if err != nil {
		t.Fatalf("CompleteTask: %v", err)
	}
	want := *t1
	want.Status, want.CompletedAt, want.CompletedBy, want.Outcome = done.Status, done.At, done.By, done.Outcome
	wantTask(t, &want, got, "CompleteTask's result")
	stored, err := s.GetTask(ctx, "task-c-1")
	if err != nil {
		t.Fatalf("GetTask: %v", err)
	}
	wantTask(t, &want, stored, "GetTask after CompleteTask")

	again := done
	again.By, again.Outcome = "user-agency-piet", json.RawMessage(`{"decision":"decline"}`)
	_, err = s.CompleteTask(ctx, "task-c-1", again)
	wantCode(t, err, pathway.ECONFLICT, "CompleteTask of a completed task")
	stored, _ = s.GetTask(ctx, "task-c-1")
	wantTask(t, &want, stored, "GetTask after a refused second completion")

	// A retried PutTask after completion must not reopen the task.
	got, err = s.PutTask(ctx, t1)
	if err != nil {
		t.Fatalf("PutTask of a completed task: %v", err)
	}
	wantTask(t, &want, got, "PutTask of a completed task returns it completed")
	wantTasks(t, s, pathway.TaskFilter{Organisation: orgA, Role: pathway.RoleAgency}, "task-c-2", "task-c-3")

	cancel := pathway.TaskCompletion{By: pathway.ActorSystem, At: base.Add(time.Hour), Status: pathway.TaskCancelled}
	got, err = s.CompleteTask(ctx, "task-c-3", cancel)
	if err != nil {
		t.Fatalf("CompleteTask(cancelled): %v", err)
	}
	if got.Status != pathway.TaskCancelled || !got.CompletedAt.Equal(cancel.At) {
		t.Fatalf("cancelled task = %+v", got)
	}
	wantTasks(t, s, pathway.TaskFilter{Organisation: orgA, Role: pathway.RoleAgency}, "task-c-2")
	wantTasks(t, s, pathway.TaskFilter{Coop: "coop-c"}, "task-c-2")

	_, err = s.CompleteTask(ctx, "task-c-missing", done)
	wantCode(t, err, pathway.ENOTFOUND, "CompleteTask of a missing task")
	for _, status := range []string{"", pathway.TaskOpen, "approved"} {
		bad := done
		bad.Status = status
		_, err = s.CompleteTask(ctx, "task-c-2", bad)
		wantCode(t, err, pathway.EINVALID, fmt.Sprintf("CompleteTask with status %q", status))
	}
	wantTasks(t, s, pathway.TaskFilter{Coop: "coop-c"}, "task-c-2")
}

// testCompleteTaskRace: 50 people answer one task at once; exactly one
// answer is recorded.
func testCompleteTaskRace(t *testing.T, s pathway.Store) {
	const answers = 50
	ctx := t.Context()
	putTasks(t, s, newTask("task-race", "coop-r", orgA, pathway.RoleAgency, base))

	var (
		wg      sync.WaitGroup
		start   sync.WaitGroup
		mu      sync.Mutex
		winners []*pathway.Task
		won     []int
	)
	start.Add(1)
	for i := range answers {
		wg.Go(func() {
			start.Wait()
			got, err := s.CompleteTask(ctx, "task-race", pathway.TaskCompletion{
				By: fmt.Sprintf("user-agency-%02d", i), At: base.Add(time.Duration(i) * time.Second),
				Status: pathway.TaskCompleted, Outcome: json.RawMessage(fmt.Sprintf(`{"answer":%d}`, i)),
			})
			switch pathway.ErrorCode(err) {
			case "":
				mu.Lock()
				winners, won = append(winners, got), append(won, i)
				mu.Unlock()
			case pathway.ECONFLICT:
			default:
				t.Errorf("answer %d: %v", i, err)
			}
		})
	}
	start.Done()
	wg.Wait()
	if len(winners) != 1 {
		t.Fatalf("%d answers succeeded (%v), want exactly 1", len(winners), won)
	}
	stored, err := s.GetTask(ctx, "task-race")
	if err != nil {
		t.Fatalf("GetTask: %v", err)
	}
	wantTask(t, winners[0], stored, "stored task after the race")
	if stored.CompletedBy != fmt.Sprintf("user-agency-%02d", won[0]) ||
		!sameJSON(stored.Outcome, json.RawMessage(fmt.Sprintf(`{"answer":%d}`, won[0]))) {
		t.Fatalf("stored answer %s by %s is not the winner's (%d)", stored.Outcome, stored.CompletedBy, won[0])
	}
	wantTasks(t, s, pathway.TaskFilter{Coop: "coop-r"})
}
