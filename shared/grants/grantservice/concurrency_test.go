package grantservice_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestConcurrentDecisionsNeverOverspend: twelve leads' awards of £4,000 at
// once against a £7,000 budget (progSmall): one goes through, every other
// is refused saying what is left, and its task stays open for another
// decision.
func TestConcurrentDecisionsNeverOverspend(t *testing.T) {
	f := newFixture(t)
	const n = 12
	tasks := make([]*pathway.Task, n)
	for i := range tasks {
		_, tasks[i] = f.awaitingDecision(t, progSmall)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range tasks {
		wg.Go(func() {
			tk, a, err := f.svc.TaskToAnswer(t.Context(), users["lead"], tasks[i].ID)
			if err == nil {
				_, err = f.svc.Answer(t.Context(), users["lead"], tk, a, award(400_000))
			}
			errs[i] = err
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case pathway.ErrorCode(err) == pathway.ECONFLICT && strings.Contains(pathway.ErrorFields(err)["amount"], "£3,000 left"):
			tk, gerr := f.st.GetTask(t.Context(), tasks[i].ID)
			must(t, gerr)
			if tk.Status != pathway.TaskOpen {
				t.Errorf("refused award closed its task")
			}
		default:
			t.Errorf("award %d: %v", i, err)
		}
	}
	b, err := f.gs.Budget(t.Context(), progSmall)
	must(t, err)
	if won != 1 || b.Awarded != 400_000 || len(f.wf.Answers()) != 1 {
		t.Errorf("%d awards went through, %d awarded, %d answers sent", won, b.Awarded, len(f.wf.Answers()))
	}
	page, err := f.gs.ListApplications(t.Context(), progSmall, grants.StatusAwarded, "", 0)
	must(t, err)
	if len(page.Applications) != 1 {
		t.Errorf("%d applications awarded", len(page.Applications))
	}
}
