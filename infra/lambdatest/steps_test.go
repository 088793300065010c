package lambdatest_test

import (
	"encoding/json"
	"errors"
	"fmt"
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
	"github.com/oklog/ulid/v2"
)

// workflowFunctions are the directories under functions/ of the
// workflows' functions, each with its registry of steps.
var workflowFunctions = map[string]steps.Registry{
	"application":  steps.Application,
	"registration": steps.Registration,
}

// stepRun drives the workflow functions' bootstraps over one table.
type stepRun struct {
	t     *testing.T
	funcs map[string]*lambdatest.Function
	exec  string
	n     int
}

// invoke sends the step's input plus its name and a fresh invocation
// context (as the workflow's Task state builds the payload) to the
// workflow's function and decodes the output into out.
func (r *stepRun) invoke(fn, step, state string, in map[string]any, out any) error {
	r.t.Helper()
	r.n++
	in[steps.StepField] = step
	in["executionId"], in["state"] = r.exec, state
	in["enteredTime"] = time.Now().UTC().Add(time.Duration(r.n) * time.Millisecond).Format(time.RFC3339Nano)
	raw, err := r.funcs[fn].Invoke(r.t.Context(), in)
	if err != nil {
		return err
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			r.t.Fatalf("%s %s: output %s: %v", fn, step, raw, err)
		}
	}
	return nil
}

// mustInvoke is invoke that fails the test on an error.
func (r *stepRun) mustInvoke(fn, step, state string, in map[string]any, out any) {
	r.t.Helper()
	if err := r.invoke(fn, step, state, in, out); err != nil {
		r.t.Fatalf("%s %s: %v", fn, step, err)
	}
}

// functionError returns err as the function error it must be.
func functionError(t *testing.T, err error) *lambdatest.Error {
	t.Helper()
	var fe *lambdatest.Error
	if !errors.As(err, &fe) {
		t.Fatalf("%v is not a function error", err)
	}
	return fe
}

// seedSteps stores an agency, its programme, an eligible co-op and one in
// Wales, which the programme (England only) does not take.
func seedSteps(t *testing.T, st pathway.Store) (eligible, ineligible string) {
	t.Helper()
	ctx, now := t.Context(), time.Now().UTC()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.PutOrganisation(ctx, &pathway.Organisation{ID: "org-fellside-cda", Name: "Fellside Co-op Development", Kind: pathway.OrgAgency}))
	must(st.PutProgramme(ctx, &pathway.Programme{ID: "prog-fellside", Name: "Fellside Care Start-up", Agency: "org-fellside-cda",
		Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 2, EnglandOnly: true}}))
	for _, c := range []struct{ id, la string }{{"coop-fellside-care", "Kirklees"}, {"coop-over-border", "Cardiff"}} {
		coop := &pathway.Coop{
			ID: c.id, Name: "Fellside Home Care Co-op", Programme: "prog-fellside", LegalForm: pathway.FormCooperativeSociety,
			Origin: pathway.OriginNewStart, LocalAuthority: c.la, Services: []string{"home-care"},
			RegulatedActivities: []string{pathway.ActivityPersonalCare},
			Members: []pathway.Member{
				{Name: "Ash Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Rowan Example", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
			},
			Founders: []string{"user-ash"}, Stage: pathway.StageApplied, StageEnteredAt: now, CreatedAt: now, UpdatedAt: now,
		}
		must(st.CreateCoop(ctx, coop, &pathway.Event{ID: ulid.Make().String(), Coop: c.id, At: now, Actor: "user-ash",
			Action: "application.submitted", Summary: "Applied.", To: pathway.StageApplied}, nil))
	}
	return "coop-fellside-care", "coop-over-border"
}

// TestWorkflowFunctions runs the workflow functions' Linux binaries
// against DynamoDB Local, each step through its workflow's function in the
// order the workflows call them, carrying one co-op from its application to
// CQC registration and another to ineligible.
func TestWorkflowFunctions(t *testing.T) {
	client, table := dynamotest.New(t) // skips without DynamoDB Local, fails in CI
	st := store.New(dynamo.New(client, table))
	coop, outsider := seedSteps(t, st)
	env := []string{
		"TABLE_NAME=" + table,
		"AWS_ENDPOINT_URL_DYNAMODB=" + os.Getenv(dynamotest.EndpointEnv),
		"AWS_REGION=" + dynamotest.Region,
		"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_SESSION_TOKEN=local",
	}
	r := &stepRun{t: t, funcs: map[string]*lambdatest.Function{},
		exec: "arn:aws:states:eu-west-2:123456789012:execution:pathway-application-test:" + coop}
	for fn := range workflowFunctions {
		r.funcs[fn] = lambdatest.Start(t, lambdatest.Build(t, fn), env...)
	}

	// A payload naming no step of the function is Pathway.UnknownStep; every
	// step reports bad input under the ASL error name the workflows match,
	// not as a Go error type.
	for fn, reg := range workflowFunctions {
		for _, payload := range []map[string]any{{}, {steps.StepField: "no-such-step"}} {
			_, err := r.funcs[fn].Invoke(t.Context(), payload)
			if fe := functionError(t, err); fe.Type != steps.ErrUnknownStep || !strings.Contains(fe.Message, reg.Names()[0]) {
				t.Errorf("%s with %v: %v, want %s listing its steps", fn, payload, fe, steps.ErrUnknownStep)
			}
		}
		for _, step := range reg.Names() {
			_, err := r.funcs[fn].Invoke(t.Context(), map[string]any{steps.StepField: step})
			if fe := functionError(t, err); fe.Type != steps.ErrInvalid {
				t.Errorf("%s %s with no input: %v, want a %s error", fn, step, fe, steps.ErrInvalid)
			}
		}
	}
	_, err := r.funcs["application"].Invoke(t.Context(), map[string]any{steps.StepField: "build-checklist", "coopId": coop})
	if fe := functionError(t, err); fe.Type != steps.ErrUnknownStep {
		t.Errorf("the application function asked for a registration step: %v, want %s", fe, steps.ErrUnknownStep)
	}

	var app struct {
		Agency       string `json:"agency"`
		PanelSeconds int64  `json:"panelSeconds"`
	}
	r.mustInvoke("application", "validate-application", "ValidateApplication", map[string]any{"coopId": coop}, &app)
	if app.Agency != "org-fellside-cda" || app.PanelSeconds != 14*86400 {
		t.Fatalf("validate-application: %+v", app)
	}
	var screen struct {
		Eligible bool     `json:"eligible"`
		Reasons  []string `json:"reasons"`
	}
	r.mustInvoke("application", "screen-eligibility", "ScreenEligibility", map[string]any{"coopId": outsider}, &screen)
	if screen.Eligible || len(screen.Reasons) == 0 {
		t.Fatalf("screen-eligibility of a co-op in Wales: %+v", screen)
	}
	r.mustInvoke("application", "record-ineligible", "RecordIneligible", map[string]any{"coopId": outsider, "reasons": screen.Reasons}, nil)
	expectStage(t, st, outsider, pathway.StageIneligible)

	r.mustInvoke("application", "screen-eligibility", "ScreenEligibility", map[string]any{"coopId": coop}, &screen)
	if !screen.Eligible {
		t.Fatalf("screen-eligibility: %+v", screen)
	}
	var tasks struct {
		TaskIDs []string `json:"taskIds"`
	}
	token := func(name string) string { return fmt.Sprintf("token-%s-%d", name, r.n) }
	r.mustInvoke("application", "open-panel-task", "AwaitPanelDecision", map[string]any{"coopId": coop, "taskToken": token("panel"), "round": 1, "dueSeconds": app.PanelSeconds}, &tasks)
	expectStage(t, st, coop, pathway.StageAwaitingPanel)
	r.mustInvoke("application", "escalate-panel", "AwaitEscalatedPanelDecision", map[string]any{"coopId": coop, "taskToken": token("escalated"), "round": 1}, &tasks)
	if len(tasks.TaskIDs) != 2 {
		t.Errorf("escalate-panel opened %v, want the panel task and the lead's", tasks.TaskIDs)
	}
	r.mustInvoke("application", "record-panel-outcome", "RecordPanelOutcome", map[string]any{"coopId": coop, "round": 1, "decision": map[string]string{"outcome": "accept", "by": "user-panel"}}, nil)
	expectStage(t, st, coop, pathway.StageCQCPreparing)

	r.exec = "arn:aws:states:eu-west-2:123456789012:execution:pathway-registration-test:" + coop
	var list struct {
		Items, Required int
	}
	r.mustInvoke("registration", "build-checklist", "BuildChecklist", map[string]any{"coopId": coop}, &list)
	if list.Required == 0 || list.Items < list.Required {
		t.Fatalf("build-checklist: %+v", list)
	}
	r.mustInvoke("registration", "open-checklist-wait", "AwaitChecklist", map[string]any{"coopId": coop, "taskToken": token("checklist")}, &tasks)
	verifyAllItems(t, st, coop)
	// With nothing left to verify, a new wait would never end: the step says so.
	err = r.invoke("registration", "open-checklist-wait", "AwaitChecklist", map[string]any{"coopId": coop, "taskToken": token("checklist")}, nil)
	if fe := functionError(t, err); fe.Type != steps.ErrChecklistComplete {
		t.Errorf("open-checklist-wait on a verified checklist: %v, want %s", fe, steps.ErrChecklistComplete)
	}
	r.mustInvoke("registration", "mark-cqc-ready", "MarkCQCReady", map[string]any{"coopId": coop}, nil)
	expectStage(t, st, coop, pathway.StageCQCReady)
	r.mustInvoke("registration", "open-submission-task", "AwaitSubmission", map[string]any{"coopId": coop, "taskToken": token("submission")}, &tasks)
	var sched struct {
		Round         int   `json:"round"`
		RemindSeconds int64 `json:"remindSeconds"`
	}
	today := time.Now().In(time.UTC).Add(-24 * time.Hour).Format(time.DateOnly)
	r.mustInvoke("registration", "record-submitted", "RecordSubmitted", map[string]any{"coopId": coop, "submission": map[string]string{"submittedOn": today}}, &sched)
	expectStage(t, st, coop, pathway.StageCQCSubmitted)
	if sched.Round != 1 || sched.RemindSeconds < 9*7*86400 {
		t.Errorf("record-submitted schedule %+v, want round 1 and a reminder about 10 weeks away", sched)
	}
	r.mustInvoke("registration", "open-decision-task", "AwaitDecision", map[string]any{"coopId": coop, "taskToken": token("decision"), "round": 1, "phase": "open", "dueSeconds": sched.RemindSeconds}, &tasks)
	r.mustInvoke("registration", "escalate-decision", "AwaitEscalatedDecision", map[string]any{"coopId": coop, "taskToken": token("cqc-escalated"), "round": 1}, &tasks)
	if len(tasks.TaskIDs) != 3 {
		t.Errorf("escalate-decision opened %v, want founders', agency's and lead's tasks", tasks.TaskIDs)
	}
	r.mustInvoke("registration", "record-decision", "RecordDecision", map[string]any{"coopId": coop, "round": 1,
		"decision": map[string]string{"outcome": "registered", "providerId": "1-101234567", "decidedOn": today}}, nil)
	expectStage(t, st, coop, pathway.StageCQCRegistered)
	if open, err := st.ListTasks(t.Context(), pathway.TaskFilter{Coop: coop}); err != nil || len(open) != 0 {
		t.Errorf("open tasks after registration: %v, %v", open, err)
	}

	// Both workflows record their failures with the same step.
	for fn := range workflowFunctions {
		var failed struct {
			Recorded bool `json:"recorded"`
		}
		r.mustInvoke(fn, "record-failure", "RecordFailure", map[string]any{"coopId": coop,
			"failure": map[string]string{"Error": "Pathway.Internal", "Cause": `{"errorMessage":"Something went wrong in ` + fn + `."}`}}, &failed)
		c, err := st.GetCoop(t.Context(), coop)
		if err != nil || !failed.Recorded || !strings.Contains(c.Failure, "Something went wrong in "+fn+".") {
			t.Errorf("%s record-failure: %+v; co-op failure %q (%v)", fn, failed, c.Failure, err)
		}
	}
}

// TestWorkflowFunctionNeedsItsEnvironment checks a workflow function's
// composition root refuses to start without its table or its credentials,
// saying which variable is missing.
func TestWorkflowFunctionNeedsItsEnvironment(t *testing.T) {
	bin := lambdatest.Build(t, "application")
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{nil, "TABLE_NAME"},
		{[]string{"TABLE_NAME=pathway-unused"}, "AWS_ACCESS_KEY_ID"},
	} {
		f := lambdatest.Start(t, bin, tc.env...)
		_, err := f.Invoke(t.Context(), map[string]any{steps.StepField: "validate-application", "coopId": "coop-x"})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("invoke with %v: %v, want an exit naming %s", tc.env, err, tc.want)
		}
	}
}

// expectStage fails the test unless the co-op is in the stage.
func expectStage(t *testing.T, st pathway.Store, coop, want string) {
	t.Helper()
	c, err := st.GetCoop(t.Context(), coop)
	if err != nil {
		t.Fatal(err)
	}
	if c.Stage != want {
		t.Fatalf("%s is at stage %q, want %q", coop, c.Stage, want)
	}
}

// verifyAllItems marks every required checklist item verified, as the
// agency does through the API.
func verifyAllItems(t *testing.T, st pathway.Store, coop string) {
	t.Helper()
	items, err := st.ListChecklist(t.Context(), coop)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Required {
			it.Status, it.UpdatedBy, it.UpdatedAt = pathway.ItemVerified, "user-agency", time.Now()
			if err := st.UpdateChecklistItem(t.Context(), it, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
}
