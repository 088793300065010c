package journey_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestVerificationTaskFollowsTheItems: the agency's inbox holds one
// checklist-verification task per co-op with items waiting, with their
// count and the oldest submission, due the programme's verification time
// after it; it closes when the agency has checked the last, and cannot be
// answered as a task (it has no workflow token).
func TestVerificationTaskFollowsTheItems(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-queue", pathway.StageCQCPreparing)
	s.putItems(c.ID)
	first := s.now
	done := func(item string) {
		t.Helper()
		_, err := s.svc.MarkDone(s.ctx, founder, c.ID, item, journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "Invented evidence"})
		s.must(err)
	}
	inboxTask := func() *journey.TaskView {
		t.Helper()
		tasks, err := s.svc.Inbox(s.ctx, staff(1))
		s.must(err)
		var found *journey.TaskView
		for i := range tasks {
			if tasks[i].Kind == pathway.TaskChecklistVerification {
				if found != nil {
					t.Fatalf("two verification tasks in the inbox: %+v", tasks)
				}
				found = &tasks[i]
			}
		}
		return found
	}

	done("REQ-01")
	s.now = s.now.Add(2 * time.Hour)
	done("OPT-01")
	got := inboxTask()
	if got == nil || got.Count != 2 || !got.Oldest.Equal(first) || !got.Due.Equal(first.AddDate(0, 0, pathway.DefaultVerifyDays)) ||
		got.Title != "Check 2 items of evidence from "+c.Name {
		t.Fatalf("inbox task %+v; want 2 items, oldest %v", got, first)
	}
	_, _, err := s.svc.TaskToAnswer(s.ctx, staff(1), got.ID)
	if pathway.ErrorCode(err) != pathway.ECONFLICT {
		t.Fatalf("TaskToAnswer(verification task) = %v, want ECONFLICT", err)
	}

	_, err = s.svc.Verify(s.ctx, staff(1), c.ID, "REQ-01", journey.Verification{Outcome: journey.VerifyAccepted})
	s.must(err)
	if got := inboxTask(); got == nil || got.Count != 1 || !got.Oldest.Equal(s.now) {
		t.Fatalf("after one check: %+v; want 1 item, oldest %v", got, s.now)
	}
	_, err = s.svc.Verify(s.ctx, staff(1), c.ID, "OPT-01", journey.Verification{Outcome: journey.VerifyReturned, Comment: "Send the signed copy"})
	s.must(err)
	if got := inboxTask(); got != nil {
		t.Fatalf("after the last check the task is still open: %+v", got)
	}
	stored, err := s.store.GetCoop(s.ctx, c.ID)
	s.must(err)
	if stored.Tasks.Waiting != 0 || stored.Tasks.Agency != 0 {
		t.Fatalf("summary %+v after the last check", stored.Tasks)
	}
}
