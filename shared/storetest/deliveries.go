package storetest

import (
	"encoding/json"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// newDelivery returns a task-answer delivery for the task.
func newDelivery(task *pathway.Task) *pathway.Delivery {
	return &pathway.Delivery{
		ID: ulid.Make().String(), Kind: pathway.DeliverTaskAnswer, Subject: task.Subject,
		Task: task.ID, TaskTitle: task.Title, Token: task.Token,
		Payload: json.RawMessage(`{"outcome":"accept"}`), By: "user-agency-1",
		NotBefore: base, CreatedAt: base,
	}
}

// testDeliveries: an answer stored with its completion is pending until
// finished, once; a retry is conditional on the version.
func testDeliveries(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	task := newTask("task-d-1", "coop-d", orgA, pathway.RoleAgency, at(1))
	putTasks(t, s, task)
	d := newDelivery(task)
	e := newEvent("coop-d", "task.answered", at(2))
	if _, err := s.CompleteTask(ctx, task.ID, pathway.TaskCompletion{
		By: "user-agency-1", At: at(2), Outcome: d.Payload, Status: pathway.TaskCompleted, Event: e, Delivery: d,
	}); err != nil {
		t.Fatalf("CompleteTask with a delivery: %v", err)
	}
	pending, err := s.PendingDeliveries(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != d.ID || pending[0].Token != task.Token {
		t.Fatalf("PendingDeliveries after CompleteTask = %+v, %v; want the answer", pending, err)
	}
	wantEvents(t, s, "coop-d", e.ID)
	// A retry that lost the race to another deliverer changes nothing.
	got := *pending[0]
	got.Attempts, got.LastError, got.NotBefore = 1, "service unavailable", at(3)
	if err := s.RetryDelivery(ctx, &got); err != nil {
		t.Fatalf("RetryDelivery: %v", err)
	}
	stale := *pending[0]
	stale.Attempts = 7
	wantCode(t, s.RetryDelivery(ctx, &stale), pathway.ECONFLICT, "RetryDelivery with a stale version")
	pending, _ = s.PendingDeliveries(ctx, 10)
	if len(pending) != 1 || pending[0].Attempts != 1 || !pending[0].NotBefore.Equal(at(3)) {
		t.Fatalf("after RetryDelivery: %+v; want attempts 1 and the new time", pending)
	}
	done := newEvent("coop-d", "task.delivered", at(4))
	if err := s.FinishDelivery(ctx, pending[0], done); err != nil {
		t.Fatalf("FinishDelivery: %v", err)
	}
	wantCode(t, s.FinishDelivery(ctx, pending[0], newEvent("coop-d", "task.delivered", at(5))), pathway.ECONFLICT,
		"a second FinishDelivery")
	if pending, _ = s.PendingDeliveries(ctx, 10); len(pending) != 0 {
		t.Fatalf("PendingDeliveries after FinishDelivery = %+v; want none", pending)
	}
	wantEvents(t, s, "coop-d", e.ID, done.ID)
}

// testDeliveryWithCoop: the delivery that starts a co-op's workflow is
// stored with the co-op, and not when the co-op is refused.
func testDeliveryWithCoop(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	c := newCoop("coop-dc", "programme-a", pathway.StageApplied, at(0))
	start := &pathway.Delivery{ID: ulid.Make().String(), Kind: pathway.DeliverStart, Subject: pathway.CoopSubject(c.ID),
		StateMachine: pathway.WorkflowApplication, Name: c.ID, Payload: json.RawMessage(`{"coopId":"coop-dc"}`),
		NotBefore: at(0), CreatedAt: at(0)}
	if err := s.CreateCoop(ctx, c, newEvent(c.ID, "application.submitted", at(0)), start); err != nil {
		t.Fatalf("CreateCoop with a delivery: %v", err)
	}
	again := newCoop("coop-dc", "programme-a", pathway.StageApplied, at(1))
	second := *start
	second.ID = ulid.Make().String()
	wantCode(t, s.CreateCoop(ctx, again, newEvent(c.ID, "application.submitted", at(1)), &second), pathway.ECONFLICT,
		"CreateCoop of an existing ID")
	pending, err := s.PendingDeliveries(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != start.ID || pending[0].Name != c.ID {
		t.Fatalf("PendingDeliveries = %+v, %v; want only the first co-op's start", pending, err)
	}
}

// testDeliveryFinishRace: of many deliverers finishing one delivery,
// exactly one succeeds, so its outcome is recorded once.
func testDeliveryFinishRace(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	task := newTask("task-dr", "coop-dr", orgA, pathway.RoleAgency, at(1))
	putTasks(t, s, task)
	d := newDelivery(task)
	if _, err := s.CompleteTask(ctx, task.ID, pathway.TaskCompletion{
		By: "user-agency-1", At: at(2), Outcome: d.Payload, Status: pathway.TaskCompleted, Delivery: d,
	}); err != nil {
		t.Fatalf("CompleteTask: %v", err)
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.FinishDelivery(ctx, d, newEvent("coop-dr", "task.delivered", at(3)))
			if err == nil {
				wins.Add(1)
			} else if pathway.ErrorCode(err) != pathway.ECONFLICT {
				t.Errorf("FinishDelivery: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d deliverers finished one delivery; want exactly 1", wins.Load())
	}
}

// testOtherSubjects: tasks and events of a subject that is not a co-op
// live in that subject's trail and inbox, and a user's own tasks are
// listed for them.
func testOtherSubjects(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	subj := pathway.Subject{Kind: "tender", ID: "tender-1"}
	task := newTask("task-tender-1", "", orgB, pathway.RoleCommissioner, at(3))
	task.Subject, task.User = subj, "user-evaluator-1"
	putTasks(t, s, task)
	wantTasks(t, s, pathway.TaskFilter{Subject: subj}, "task-tender-1")
	eventually(t, func() bool {
		ts, err := s.ListTasks(ctx, pathway.TaskFilter{User: "user-evaluator-1"})
		return err == nil && len(ts) == 1 && ts[0].ID == task.ID
	}, "the user's inbox to list the task")
	e := newEvent("", "tender.published", at(1))
	e.Subject = subj
	if err := s.AppendEvent(ctx, e); err != nil {
		t.Fatalf("AppendEvent of a tender: %v", err)
	}
	page, err := s.ListEvents(ctx, subj, "", 0)
	if err != nil || len(page.Events) != 1 || page.Events[0].Subject != subj {
		t.Fatalf("ListEvents(tender) = %+v, %v", page, err)
	}
	if page, _ := s.ListEvents(ctx, pathway.CoopSubject("tender-1"), "", 0); len(page.Events) != 0 {
		t.Fatalf("a co-op with the tender's ID sees its events: %+v", page.Events)
	}
}

// eventually polls cond for up to five seconds: index reads may lag.
func eventually(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("waited 5 s for %s", what)
}

// wantEvents fails the test unless the co-op's trail holds exactly the
// events with the IDs, in order.
func wantEvents(t *testing.T, s pathway.Store, coop string, ids ...string) {
	t.Helper()
	got := eventIDs(allEvents(t, s, coop, 10))
	if !slices.Equal(got, ids) {
		t.Fatalf("events of %s = %v, want %v", coop, got, ids)
	}
}
