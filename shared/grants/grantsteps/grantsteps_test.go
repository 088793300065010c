package grantsteps_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantsteps"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

var t0 = time.Date(2027, 6, 1, 9, 0, 0, 0, time.UTC)

type fixture struct {
	t      *testing.T
	ctx    context.Context
	store  *store.Store
	grants *grantstore.Store
	steps  *grantsteps.Steps
}

// newFixture seeds a funder with a lead and two reviewers, a co-op, a
// programme and a submitted application "ga-1".
func newFixture(t *testing.T) *fixture {
	st, tbl := testkit.Open(t, 0)
	f := &fixture{t: t, ctx: context.Background(), store: st, grants: grantstore.New(tbl)}
	f.steps = grantsteps.New(st, f.grants, func() time.Time { return t0 })
	must(t, st.PutOrganisation(f.ctx, &pathway.Organisation{ID: "org-fund", Name: "Example Fund", Kind: pathway.OrgFunder}))
	for _, u := range []*pathway.User{
		{ID: "lead", Name: "Lee Example", Role: pathway.RoleFunder, Organisation: "org-fund", Lead: true},
		{ID: "rev-a", Name: "Ria Example", Role: pathway.RoleFunder, Organisation: "org-fund"},
		{ID: "rev-b", Name: "Sam Example", Role: pathway.RoleFunder, Organisation: "org-fund"},
	} {
		must(t, st.PutUser(f.ctx, u))
	}
	must(t, st.PutOrganisation(f.ctx, &pathway.Organisation{ID: "org-cda", Name: "Example CDA", Kind: pathway.OrgAgency}))
	must(t, st.PutProgramme(f.ctx, &pathway.Programme{ID: "prog", Name: "Start-up", Agency: "org-cda", Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	must(t, st.CreateCoop(f.ctx, &pathway.Coop{ID: "coop-1", Name: "Example Care Co-op", Programme: "prog",
		LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart, LocalAuthority: "Leeds",
		Services: []string{"home-care"}, Members: []pathway.Member{{Name: "Ada Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Founders: []string{"founder"}, Stage: pathway.StageCQCPreparing, StageEnteredAt: t0, CreatedAt: t0, UpdatedAt: t0}, nil, nil))
	must(t, f.grants.PutProgramme(f.ctx, &grants.Programme{ID: "grant", Name: "Start-up Grant", Funder: "org-fund", Budget: 1_000_000,
		MinAward: 10_000, MaxAward: 500_000, OpensOn: "2027-01-01", ClosesOn: "2027-12-31",
		Criteria: []grants.Criterion{{ID: "need", Name: "Need", Weight: 100}}, Scale: grants.DefaultScale, ReviewersPerApplication: 1,
		Schedule: []grants.ScheduleShare{{Share: 100, Trigger: grants.TriggerAgreement}}}, t0))
	must(t, f.grants.CreateApplication(f.ctx, &grants.Application{ID: "ga-1", Programme: "grant", Funder: "org-fund", Coop: "coop-1",
		Title: "Training", Purpose: "Training carers.", Amount: 100_000, Budget: []grants.BudgetLine{{Item: "Training", Amount: 100_000}},
		Status: grants.StatusSubmitted, Attempt: 1, CreatedAt: t0, UpdatedAt: t0}, nil))
	return f
}

// must fails the test at once on an error (shared/testkit).
var must = testkit.Must

func (f *fixture) in(state string) grantsteps.Input {
	return grantsteps.Input{Invocation: steps.Invocation{ExecutionID: "arn:exec:grant-ga-1", State: state,
		EnteredTime: t0.Format(time.RFC3339Nano)}, Application: "ga-1"}
}

func (f *fixture) events() []*pathway.Event {
	page, err := f.store.ListEvents(f.ctx, grants.Subject("ga-1"), "", pathway.MaxPageSize)
	must(f.t, err)
	return page.Events
}

func (f *fixture) tasks() []*pathway.Task {
	ts, err := f.store.ListTasks(f.ctx, pathway.TaskFilter{Subject: grants.Subject("ga-1")})
	must(f.t, err)
	return ts
}

// TestStepsRunTwiceChangeOnce runs steps twice with the same state entry
// and token, as Step Functions may: the second run adds no event and no
// task.
func TestStepsRunTwiceChangeOnce(t *testing.T) {
	f := newFixture(t)
	for range 2 {
		out, err := f.steps.ScreenApplication(f.ctx, f.in("Screen"))
		must(t, err)
		if !out.Eligible {
			t.Fatalf("screening: %+v", out)
		}
	}
	var assigned string
	for range 2 {
		out, err := f.steps.NextReviewer(f.ctx, grantsteps.ReviewerInput{Input: f.in("NextReviewer")})
		must(t, err)
		if out.Next != grantsteps.NextReview || out.Reviewer == "lead" || assigned != "" && out.Reviewer != assigned {
			t.Fatalf("next reviewer %+v (first %q): want the same reviewer, not the lead", out, assigned)
		}
		assigned = out.Reviewer
	}
	for range 2 {
		_, err := f.steps.OpenReviewTask(f.ctx, grantsteps.TaskInput{Input: f.in("AwaitReview"), TaskToken: "token-1", Reviewer: assigned})
		must(t, err)
	}
	if got := f.tasks(); len(got) != 1 || got[0].User != assigned || got[0].Kind != grants.TaskReview {
		t.Errorf("open tasks %+v, want one review task for %s", got, assigned)
	}
	if n := len(f.events()); n != 2 { // in review, reviewer assigned
		t.Errorf("%d events, want 2", n)
	}
	if a, _ := f.grants.GetApplication(f.ctx, "ga-1"); a.Status != grants.StatusInReview {
		t.Errorf("status %q, want in-review", a.Status)
	}
}

// TestConflictExcludesForGood checks that a reviewer who declared a
// conflict is never the next reviewer, and that none left is said.
func TestConflictExcludesForGood(t *testing.T) {
	f := newFixture(t)
	_, err := f.steps.ScreenApplication(f.ctx, f.in("Screen"))
	must(t, err)
	for i, want := range []string{grantsteps.NextReview, grantsteps.NextReview, grantsteps.NextNone} {
		out, err := f.steps.NextReviewer(f.ctx, grantsteps.ReviewerInput{Input: f.in("NextReviewer" + string(rune('0'+i)))})
		must(t, err)
		if out.Next != want {
			t.Fatalf("round %d: next %q, want %q", i, out.Next, want)
		}
		if want == grantsteps.NextNone {
			break
		}
		ans, _ := json.Marshal(map[string]any{"conflict": true, "reason": "A relative is a member."})
		_, err = f.steps.RecordReview(f.ctx, grantsteps.ReviewAnswerInput{Input: f.in("RecordReview" + string(rune('0'+i))), Reviewer: out.Reviewer, Answer: ans})
		must(t, err)
		if ok, _ := f.grants.IsExcluded(f.ctx, "ga-1", out.Reviewer); !ok {
			t.Errorf("%s is not excluded after the workflow recorded the conflict", out.Reviewer)
		}
	}
}

// TestRegistry checks the dispatcher: an unknown step names the steps it
// runs, and every step refuses a payload without its input.
func TestRegistry(t *testing.T) {
	f := newFixture(t)
	h := grantsteps.Grant.Handler(f.steps)
	_, err := h(f.ctx, json.RawMessage(`{"step":"no-such-step"}`))
	var le messages.InvokeResponse_Error
	if !errors.As(err, &le) || le.Type != steps.ErrUnknownStep || !strings.Contains(le.Message, "screen-application") {
		t.Errorf("unknown step: %v", err)
	}
	for _, name := range grantsteps.Grant.Names() {
		_, err := h(f.ctx, json.RawMessage(`{"step":"`+name+`"}`))
		if !errors.As(err, &le) || le.Type != steps.ErrInvalid {
			t.Errorf("%s with no input: %v, want %s", name, err, steps.ErrInvalid)
		}
	}
}
