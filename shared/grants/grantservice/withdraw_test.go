package grantservice_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestWithdrawWhoAndWhen holds the withdrawal to the co-op's founders and
// to the statuses before the decision.
func TestWithdrawWhoAndWhen(t *testing.T) {
	for _, tc := range []struct {
		name string
		path []string // moves after sending
		who  string
		want string // error code, "" for success
	}{
		{"founder, submitted", nil, "founderA", ""},
		{"founder, in review", []string{grants.StatusInReview}, "founderA", ""},
		{"founder, awaiting decision", []string{grants.StatusInReview, grants.StatusAwaitingDecision}, "founderA", ""},
		{"founder, ineligible", []string{grants.StatusIneligible}, "founderA", pathway.ECONFLICT},
		{"founder, rejected", []string{grants.StatusInReview, grants.StatusAwaitingDecision, grants.StatusRejected}, "founderA", pathway.ECONFLICT},
		{"another co-op's founder", nil, "founderB", pathway.ENOTFOUND},
		{"the supporting agency", nil, "agency", pathway.EFORBIDDEN},
		{"the funder's lead", nil, "lead", pathway.EFORBIDDEN},
		{"another funder", nil, "otherFund", pathway.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			id := f.apply(t, progOpen)
			f.moveTo(t, id, tc.path...)
			before, err := f.gs.GetApplication(t.Context(), id)
			must(t, err)
			v, err := f.svc.Withdraw(t.Context(), users[tc.who], id, "We found other funding.")
			after, _ := f.gs.GetApplication(t.Context(), id)
			if tc.want != "" {
				wantCode(t, err, tc.want)
				if after.Status != before.Status {
					t.Errorf("a refused withdrawal moved %q to %q", before.Status, after.Status)
				}
				return
			}
			must(t, err)
			if v.Status != grants.StatusWithdrawn || after.Status != grants.StatusWithdrawn {
				t.Errorf("status %q, stored %q, want withdrawn", v.Status, after.Status)
			}
		})
	}
}

// TestWithdrawCancelsTasksAndAnswersTheWorkflow: the open tasks leave the
// inboxes and each wait gets {"withdrawn":true}, once per token; the event
// is written once, even when the request is retried.
func TestWithdrawCancelsTasksAndAnswersTheWorkflow(t *testing.T) {
	f := newFixture(t)
	id := f.apply(t, progOpen)
	f.moveTo(t, id, grants.StatusInReview)
	f.task(t, id, id+".grant-review.x.a1", grants.TaskReview, pathway.RoleFunder, users["reviewer1"].ID)
	other := f.task(t, id, id+".grant-review-overdue.x.a1", grants.TaskReviewOverdue, pathway.RoleFunderLead, "")
	must(t, err0(f.svc.Withdraw(t.Context(), users["founderA"], id, "  We found other funding.  ")))
	// A retry changes nothing more.
	must(t, err0(f.svc.Withdraw(t.Context(), users["founderA"], id, "")))
	tasks, err := f.st.ListTasks(t.Context(), pathway.TaskFilter{Subject: grants.Subject(id)})
	must(t, err)
	for _, tk := range tasks {
		if tk.Status == pathway.TaskOpen {
			t.Errorf("task %s still open", tk.ID)
		}
	}
	if got, err := f.st.GetTask(t.Context(), other.ID); err != nil || got.Status != pathway.TaskCancelled {
		t.Errorf("overdue task = %+v, %v; want cancelled", got, err)
	}
	answers := f.wf.Answers()
	if len(answers) != 2 {
		t.Fatalf("answers = %+v, want one per task token", answers)
	}
	for _, a := range answers {
		if string(a.Output) != `{"withdrawn":true}` {
			t.Errorf("answer %s, want withdrawn", a.Output)
		}
	}
	evs, err := f.st.ListEvents(t.Context(), grants.Subject(id), "", 0)
	must(t, err)
	n := 0
	for _, e := range evs.Events {
		if e.Action == grants.ActionWithdrawn {
			n++
			if e.From != grants.StatusInReview || e.To != grants.StatusWithdrawn || e.Data["reason"] != "We found other funding." {
				t.Errorf("event = %+v", e)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d withdrawn events, want 1", n)
	}
}

func TestWithdrawReasonIsLimited(t *testing.T) {
	f := newFixture(t)
	id := f.apply(t, progOpen)
	long := make([]byte, 2001)
	for i := range long {
		long[i] = 'a'
	}
	_, err := f.svc.Withdraw(t.Context(), users["founderA"], id, string(long))
	wantCode(t, err, pathway.EINVALID)
	if pathway.ErrorFields(err)["reason"] == "" {
		t.Errorf("error %v does not name the reason", err)
	}
}

func err0[T any](_ T, err error) error { return err }
