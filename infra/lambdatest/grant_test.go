package lambdatest_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/lambdatest"
	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantsteps"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/store"
)

// TestGrantFunction runs the grant workflow's Linux binary against
// DynamoDB Local: the dispatcher's errors, and screening and the first
// reviewer's assignment of an application.
func TestGrantFunction(t *testing.T) {
	client, table := dynamotest.New(t) // skips without DynamoDB Local, fails in CI
	tbl := dynamo.New(client, table)
	st, gs := store.New(tbl), grantstore.New(tbl)
	coop, _ := seedSteps(t, st)
	ctx, now := t.Context(), time.Now().UTC()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.PutOrganisation(ctx, &pathway.Organisation{ID: "org-fund", Name: "Example Fund", Kind: pathway.OrgFunder}))
	must(st.PutUser(ctx, &pathway.User{ID: "user-fund-ria", Name: "Ria Example", Role: pathway.RoleFunder, Organisation: "org-fund"}))
	must(gs.PutProgramme(ctx, &grants.Programme{ID: "grant", Name: "Start-up Grant", Funder: "org-fund", Budget: 1_000_000,
		MinAward: 10_000, MaxAward: 500_000, OpensOn: now.AddDate(0, -1, 0).Format(time.DateOnly), ClosesOn: now.AddDate(0, 1, 0).Format(time.DateOnly),
		Criteria: []grants.Criterion{{ID: "need", Name: "Need", Weight: 100}}, Scale: grants.DefaultScale, ReviewersPerApplication: 1,
		Schedule: []grants.ScheduleShare{{Share: 100, Trigger: grants.TriggerAgreement}}}, now))
	must(gs.CreateApplication(ctx, &grants.Application{ID: "ga-1", Programme: "grant", Funder: "org-fund", Coop: coop,
		Title: "Training", Purpose: "Training carers.", Amount: 100_000, Budget: []grants.BudgetLine{{Item: "Training", Amount: 100_000}},
		Status: grants.StatusSubmitted, Attempt: 1, CreatedAt: now, UpdatedAt: now}, nil))

	r := &stepRun{t: t, funcs: map[string]*lambdatest.Function{},
		exec: "arn:aws:states:eu-west-2:123456789012:execution:pathway-grant-test:grant-ga-1"}
	r.funcs["grant"] = lambdatest.Start(t, lambdatest.Build(t, "grant"),
		"TABLE_NAME="+table, "AWS_ENDPOINT_URL_DYNAMODB="+os.Getenv(dynamotest.EndpointEnv), "AWS_REGION="+dynamotest.Region,
		"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_SESSION_TOKEN=local")

	_, err := r.funcs["grant"].Invoke(t.Context(), map[string]any{steps.StepField: "build-checklist"})
	if fe := functionError(t, err); fe.Type != steps.ErrUnknownStep || !strings.Contains(fe.Message, "screen-application") {
		t.Errorf("a registration step: %v, want %s listing the grant steps", fe, steps.ErrUnknownStep)
	}
	for _, step := range grantsteps.Grant.Names() {
		_, err := r.funcs["grant"].Invoke(t.Context(), map[string]any{steps.StepField: step})
		if fe := functionError(t, err); fe.Type != steps.ErrInvalid {
			t.Errorf("%s with no input: %v, want a %s error", step, fe, steps.ErrInvalid)
		}
	}
	var screen grantsteps.ScreenOutput
	r.mustInvoke("grant", "screen-application", "Screen", map[string]any{"application": "ga-1"}, &screen)
	if !screen.Eligible {
		t.Fatalf("screen-application: %+v", screen)
	}
	var next grantsteps.ReviewerOutput
	r.mustInvoke("grant", "next-reviewer", "NextReviewer", map[string]any{"application": "ga-1", "skipped": []string{}}, &next)
	if next.Next != grantsteps.NextReview || next.Reviewer != "user-fund-ria" {
		t.Errorf("next-reviewer: %+v, want user-fund-ria", next)
	}
	if a, err := gs.GetApplication(ctx, "ga-1"); err != nil || a.Status != grants.StatusInReview {
		t.Errorf("application after screening: %+v, %v", a, err)
	}
}
