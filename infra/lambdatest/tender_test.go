package lambdatest_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/lambdatest"
	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tendersteps"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// TestTenderFunction runs the tender workflow's Linux binary against
// DynamoDB Local: the dispatcher's errors, the deadline's timestamp, and
// the close of a tender with a bid, which moves it to evaluation and gives
// the bid to its evaluator.
func TestTenderFunction(t *testing.T) {
	client, table := dynamotest.New(t) // skips without DynamoDB Local, fails in CI
	tbl := dynamo.New(client, table)
	st, ts := store.New(tbl), tenderstore.New(tbl)
	ctx, now := t.Context(), time.Now().UTC()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.PutOrganisation(ctx, &pathway.Organisation{ID: "org-council", Name: "Example Council", Kind: pathway.OrgCouncil}))
	closed := now.Add(-time.Hour).Truncate(time.Second)
	must(ts.CreateTender(ctx, &tenders.Tender{ID: "td-1", Council: "org-council", Title: "Home care", Description: "Care at home.",
		Services: []string{"home-care"}, Areas: []string{"Leeds"}, Value: 10_000_000, Lots: []tenders.Lot{{ID: "l1", Name: "All", Value: 10_000_000}},
		Procedure: tenders.ProcedureOpen, Criteria: []tenders.Criterion{{ID: "q", Name: "Quality", Kind: tenders.KindQuality, Weight: 80},
			{ID: "p", Name: "Price", Kind: tenders.KindPrice, Weight: 20}},
		Term: tenders.Term{Start: "2030-01-01", End: "2031-12-31"}, TendersCloseAt: closed, Evaluators: []string{"user-council-eve"},
		Status: tenders.StatusOpen, CreatedAt: now, UpdatedAt: now}, nil))
	must(ts.CreateBid(ctx, &tenders.Bid{ID: "bid-1", Tender: "td-1", Council: "org-council", Coop: "coop-1",
		Lots: []tenders.LotPrice{{Lot: "l1", Price: 9_000_000}}, Responses: map[string]string{"q": "Plan."},
		Status: tenders.BidSubmitted, CreatedAt: closed.Add(-time.Hour), UpdatedAt: closed.Add(-time.Hour)}, nil))

	r := &stepRun{t: t, funcs: map[string]*lambdatest.Function{},
		exec: "arn:aws:states:eu-west-2:123456789012:execution:pathway-tender-test:tender-td-1"}
	r.funcs["tender"] = lambdatest.Start(t, lambdatest.Build(t, "tender"),
		"TABLE_NAME="+table, "AWS_ENDPOINT_URL_DYNAMODB="+os.Getenv(dynamotest.EndpointEnv), "AWS_REGION="+dynamotest.Region,
		"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_SESSION_TOKEN=local")

	_, err := r.funcs["tender"].Invoke(t.Context(), map[string]any{steps.StepField: "screen-application"})
	if fe := functionError(t, err); fe.Type != steps.ErrUnknownStep || !strings.Contains(fe.Message, "open-tender") {
		t.Errorf("a grant step: %v, want %s listing the tender steps", fe, steps.ErrUnknownStep)
	}
	for _, step := range tendersteps.Tender.Names() {
		_, err := r.funcs["tender"].Invoke(t.Context(), map[string]any{steps.StepField: step})
		if fe := functionError(t, err); fe.Type != steps.ErrInvalid {
			t.Errorf("%s with no input: %v, want a %s error", step, fe, steps.ErrInvalid)
		}
	}
	var opened tendersteps.OpenOutput
	r.mustInvoke("tender", "open-tender", "OpenTender", map[string]any{"tender": "td-1"}, &opened)
	if opened.ClosesAt != closed.Format(time.RFC3339) {
		t.Errorf("open-tender: %+v, want the deadline %s", opened, closed.Format(time.RFC3339))
	}
	var out tendersteps.CloseOutput
	r.mustInvoke("tender", "close", "Close", map[string]any{"tender": "td-1"}, &out)
	if out.Next != tendersteps.NextEvaluate || len(out.Evaluations) != 1 || out.Evaluations[0].Evaluator != "user-council-eve" {
		t.Errorf("close: %+v, want bid-1 evaluated by user-council-eve", out)
	}
	if td, err := ts.GetTender(ctx, "td-1"); err != nil || td.Status != tenders.StatusEvaluation {
		t.Errorf("tender after the close: %+v, %v", td, err)
	}
}
