package tenderservice_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// TestLeadExcusesAnOverdueEvaluation: the lead answers the workflow's
// tender-evaluation-overdue task with {"outcome":"excuse"}, which reaches
// the workflow; an evaluator cannot, and another outcome is refused.
func TestLeadExcusesAnOverdueEvaluation(t *testing.T) {
	f := newFixture(t)
	id := f.published(t)
	a := f.bid(t, "founderA", id, coopA, 50_000_00)
	f.closeTenders(t, id)
	tk := f.task(t, tenders.BidSubject(a), "od-"+a, tenders.TaskEvaluationOverdue, pathway.RoleCommissionerLead, "")
	wantCode(t, f.answer(t, users["eval1"], tk.ID, &tenders.ExcuseAnswer{Outcome: "excuse"}), pathway.EFORBIDDEN)
	wantCode(t, f.answer(t, users["lead"], tk.ID, &tenders.ExcuseAnswer{Outcome: "forget it"}), pathway.EINVALID)
	must(t, f.answer(t, users["lead"], tk.ID, &tenders.ExcuseAnswer{Outcome: "excuse"}))
	answers := f.wf.Answers()
	if len(answers) != 1 || answers[0].Token != tk.Token || string(answers[0].Output) != `{"outcome":"excuse"}` {
		t.Errorf("answers = %+v", answers)
	}
}
