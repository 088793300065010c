package tenderservice_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// TestOverdueNamesTheEvaluator: the lead's overdue task names the
// evaluator whose reopened evaluation holds the same task token, and when
// it was due; not another evaluator's task on the bid. An evaluator may
// not read the lead's task, and a task of another kind is not found.
func TestOverdueNamesTheEvaluator(t *testing.T) {
	f := newFixture(t)
	id := f.published(t)
	a := f.bid(t, "founderA", id, coopA, 50_000_00)
	f.closeTenders(t, id)
	due := f.clock.now().Add(-time.Hour)
	put := func(tk *pathway.Task) *pathway.Task {
		tk.Subject, tk.Organisation, tk.Status, tk.CreatedAt = tenders.BidSubject(a), council, pathway.TaskOpen, f.clock.now()
		stored, err := f.st.PutTask(t.Context(), tk)
		must(t, err)
		return stored
	}
	put(&pathway.Task{ID: "ev-1", Kind: tenders.TaskEvaluation, Role: pathway.RoleCommissioner, User: users["eval1"].ID,
		Title: "Evaluate", Due: f.clock.now().Add(time.Hour), Token: "token-other"})
	put(&pathway.Task{ID: "ev-2", Kind: tenders.TaskEvaluation, Role: pathway.RoleCommissioner, User: users["eval2"].ID,
		Title: "Overdue evaluation", Due: due, Token: "token-late"})
	od := put(&pathway.Task{ID: "od-1", Kind: tenders.TaskEvaluationOverdue, Role: pathway.RoleCommissionerLead,
		Title: "An evaluation is overdue", Due: f.clock.now().Add(7 * 24 * time.Hour), Token: "token-late"})

	got, err := f.svc.Overdue(t.Context(), users["lead"], od)
	must(t, err)
	if got.Evaluator != users["eval2"].ID || !got.Due.Equal(due) {
		t.Errorf("overdue = %+v, want %s due %v", got, users["eval2"].ID, due)
	}
	_, err = f.svc.Overdue(t.Context(), users["eval1"], od)
	wantCode(t, err, pathway.EFORBIDDEN)
	ev, err := f.st.GetTask(t.Context(), "ev-1")
	must(t, err)
	_, err = f.svc.Overdue(t.Context(), users["lead"], ev)
	wantCode(t, err, pathway.ENOTFOUND)
}
