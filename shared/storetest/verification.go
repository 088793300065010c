package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// submit stores a change of a checklist item's status at when, by who.
func submit(t *testing.T, s pathway.Store, coop, item, status string, when time.Time) {
	t.Helper()
	it, err := s.GetChecklistItem(t.Context(), coop, item)
	if err != nil {
		t.Fatalf("GetChecklistItem(%s): %v", item, err)
	}
	it.Status, it.UpdatedAt, it.UpdatedBy = status, when, "user-founder-edna"
	if status == pathway.ItemDone {
		it.Evidence = "Invented evidence for " + item
	}
	if err := s.UpdateChecklistItem(t.Context(), it, newEvent(coop, pathway.ActionChecklistItemDone, when)); err != nil {
		t.Fatalf("UpdateChecklistItem(%s → %s): %v", item, status, err)
	}
}

// verifyTask returns the co-op's open checklist-verification task from
// its open tasks (a consistent read), or nil.
func verifyTask(t *testing.T, s pathway.Store, coop string) *pathway.Task {
	t.Helper()
	open, err := s.ListTasks(t.Context(), pathway.TaskFilter{Coop: coop})
	if err != nil {
		t.Fatalf("ListTasks(%s): %v", coop, err)
	}
	var found *pathway.Task
	for _, x := range open {
		if x.Kind == pathway.TaskChecklistVerification {
			if found != nil {
				t.Fatalf("co-op %s has two verification tasks: %s and %s", coop, found.ID, x.ID)
			}
			found = x
		}
	}
	return found
}

// wantQueue checks the co-op's verification task and its summary.
func wantQueue(t *testing.T, s pathway.Store, coop string, count int, oldest time.Time, what string) {
	t.Helper()
	x := verifyTask(t, s, coop)
	c := get(t, s, coop)
	if count == 0 {
		if x != nil {
			t.Fatalf("%s: verification task open with count %d, want closed", what, x.Count)
		}
		if c.Tasks.Waiting != 0 || c.Tasks.Agency != 0 {
			t.Fatalf("%s: summary %+v, want nothing waiting on the agency", what, c.Tasks)
		}
		return
	}
	if x == nil {
		t.Fatalf("%s: no verification task, want count %d", what, count)
	}
	due := oldest.Add(pathway.DefaultVerifyDays * 24 * time.Hour)
	if x.ID != pathway.VerificationTaskID(coop) || x.Count != count || !x.Oldest.Equal(oldest) || !x.Due.Equal(due) ||
		x.Organisation != orgA || x.Role != pathway.RoleAgency || x.CoopName != c.Name || x.Token != "" {
		t.Fatalf("%s: task %+v, want count %d, oldest %v, due %v, for %s's agency staff, no token", what, x, count, oldest, due, orgA)
	}
	if c.Tasks.Waiting != count || c.Tasks.Agency != 1 || !c.Tasks.AgencyNextDue.Equal(due) {
		t.Fatalf("%s: summary %+v, want %d waiting, 1 agency task due %v", what, c.Tasks, count, due)
	}
}

// testVerificationQueue holds the agency's checklist-verification task to
// its rules: one per co-op with items waiting, its count and oldest
// submission following every item change, closed when none waits and
// reopened when one waits again, in the co-op's task summary and in its
// column's agency queue, which follows the co-op to its next stage.
func testVerificationQueue(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	if err := s.PutProgramme(ctx, newProgramme("prog-v")); err != nil {
		t.Fatalf("PutProgramme: %v", err)
	}
	c := newCoop("coop-v", "prog-v", pathway.StageCQCPreparing, at(0))
	create(t, s, c)
	items := []*pathway.ChecklistItem{newItem(c.ID, "A", pathway.GroupPeople), newItem(c.ID, "B", pathway.GroupPeople), newItem(c.ID, "C", pathway.GroupPeople)}
	if err := s.PutChecklist(ctx, items); err != nil {
		t.Fatalf("PutChecklist: %v", err)
	}
	wantQueue(t, s, c.ID, 0, time.Time{}, "before any item is done")

	submit(t, s, c.ID, "A", pathway.ItemDone, at(10))
	wantQueue(t, s, c.ID, 1, at(10), "one item done")
	submit(t, s, c.ID, "B", pathway.ItemDone, at(20))
	wantQueue(t, s, c.ID, 2, at(10), "two items done")
	if x := verifyTask(t, s, c.ID); x.Title != "Check 2 items of evidence from "+c.Name {
		t.Fatalf("title %q", x.Title)
	}
	submit(t, s, c.ID, "A", pathway.ItemVerified, at(30))
	wantQueue(t, s, c.ID, 1, at(20), "the oldest verified")
	submit(t, s, c.ID, "B", pathway.ItemReturned, at(40))
	wantQueue(t, s, c.ID, 0, time.Time{}, "the last returned")
	closed, err := s.GetTask(ctx, pathway.VerificationTaskID(c.ID))
	if err != nil || closed.Status != pathway.TaskCompleted || !closed.CompletedAt.Equal(at(40)) {
		t.Fatalf("closed task = %+v, %v; want completed at %v", closed, err, at(40))
	}
	submit(t, s, c.ID, "C", pathway.ItemDone, at(50))
	wantQueue(t, s, c.ID, 1, at(50), "reopened")

	now := at(50).Add(8 * 24 * time.Hour) // past the due date
	eventually(t, func() bool {
		q, err := s.AgencyQueue(ctx, "prog-v", pathway.StageCQCPreparing, now)
		return err == nil && q.Waiting == 1 && q.Overdue == 1 && q.NextDue.Equal(at(50).Add(7*24*time.Hour))
	}, "the column's agency queue to hold the co-op, overdue")
	if q, err := s.AgencyQueue(ctx, "prog-v", pathway.StageCQCPreparing, at(60)); err != nil || q.Overdue != 0 {
		t.Fatalf("AgencyQueue before the due date = %+v, %v; want none overdue", q, err)
	}
	move(t, s, c.ID, pathway.StageCQCReady, at(70))
	eventually(t, func() bool {
		was, err1 := s.AgencyQueue(ctx, "prog-v", pathway.StageCQCPreparing, now)
		is, err2 := s.AgencyQueue(ctx, "prog-v", pathway.StageCQCReady, now)
		return err1 == nil && err2 == nil && was.Waiting == 0 && is.Waiting == 1
	}, "the agency queue to follow the co-op to its next stage")
	wantCode(t, func() error { _, err := s.AgencyQueue(ctx, "prog-v", "no-such-stage", now); return err }(), pathway.EINVALID, "AgencyQueue of an unknown stage")
}

// testVerificationQueueRace marks different items of one co-op done at
// the same moment: one task, counting them all.
func testVerificationQueueRace(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	if err := s.PutProgramme(ctx, newProgramme("prog-vr")); err != nil {
		t.Fatalf("PutProgramme: %v", err)
	}
	c := newCoop("coop-vr", "prog-vr", pathway.StageCQCPreparing, at(0))
	create(t, s, c)
	ids := []string{"A", "B", "C", "D"}
	var items []*pathway.ChecklistItem
	for _, id := range ids {
		items = append(items, newItem(c.ID, id, pathway.GroupPolicies))
	}
	if err := s.PutChecklist(ctx, items); err != nil {
		t.Fatalf("PutChecklist: %v", err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for i, id := range ids {
		wg.Go(func() {
			it, err := s.GetChecklistItem(ctx, c.ID, id)
			if err != nil {
				errs <- err
				return
			}
			it.Status, it.Evidence, it.UpdatedAt, it.UpdatedBy = pathway.ItemDone, "Invented evidence", at(10+i), "user-founder-edna"
			errs <- s.UpdateChecklistItem(ctx, it, newEvent(c.ID, pathway.ActionChecklistItemDone, at(10+i)))
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent UpdateChecklistItem: %v", err)
		}
	}
	wantQueue(t, s, c.ID, len(ids), at(10), "items marked done at once")
}
