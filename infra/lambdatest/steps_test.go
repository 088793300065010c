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
	"github.com/oklog/ulid/v2"
)

// stepDirs are the directories under functions/ of the workflow steps.
var stepDirs = []string{
	"validate-application", "screen-eligibility", "record-ineligible", "open-panel-task", "escalate-panel",
	"record-panel-outcome", "record-failure", "build-checklist", "open-checklist-wait", "mark-cqc-ready",
	"open-submission-task", "record-submitted", "open-decision-task", "escalate-decision", "record-decision",
}

// stepRun drives step functions' bootstraps over one table.
type stepRun struct {
	t     *testing.T
	funcs map[string]*lambdatest.Function
	exec  string
	n     int
}

// invoke sends the step's input plus a fresh invocation context (as the
// workflow's Payload adds it) and decodes the output into out.
func (r *stepRun) invoke(dir, state string, in map[string]any, out any) error {
	r.t.Helper()
	r.n++
	in["executionId"], in["state"] = r.exec, state
	in["enteredTime"] = time.Now().UTC().Add(time.Duration(r.n) * time.Millisecond).Format(time.RFC3339Nano)
	raw, err := r.funcs[dir].Invoke(r.t.Context(), in)
	if err != nil {
		return err
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			r.t.Fatalf("%s: output %s: %v", dir, raw, err)
		}
	}
	return nil
}

// mustInvoke is invoke that fails the test on an error.
func (r *stepRun) mustInvoke(dir, state string, in map[string]any, out any) {
	r.t.Helper()
	if err := r.invoke(dir, state, in, out); err != nil {
		r.t.Fatalf("%s: %v", dir, err)
	}
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
			Action: "application.submitted", Summary: "Applied.", To: pathway.StageApplied}))
	}
	return "coop-fellside-care", "coop-over-border"
}

// TestStepFunctions runs every step function's Linux binary against
// DynamoDB Local, in the order the workflows call them, carrying one co-op
// from its application to CQC registration and another to ineligible.
func TestStepFunctions(t *testing.T) {
	client, table := dynamotest.New(t) // skips without DynamoDB Local, fails in CI
	st := dynamo.New(client, table)
	coop, outsider := seedSteps(t, st)
	env := []string{
		"TABLE_NAME=" + table,
		"AWS_ENDPOINT_URL_DYNAMODB=" + os.Getenv(dynamotest.EndpointEnv),
		"AWS_REGION=" + dynamotest.Region,
		"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local",
		"AWS_EC2_METADATA_DISABLED=true",
	}
	r := &stepRun{t: t, funcs: map[string]*lambdatest.Function{},
		exec: "arn:aws:states:eu-west-2:123456789012:execution:pathway-application-test:" + coop}
	for _, dir := range stepDirs {
		r.funcs[dir] = lambdatest.Start(t, lambdatest.Build(t, dir), env...)
	}

	// Every function reports bad input under the ASL error name the
	// workflows match, not as a Go error type.
	for _, dir := range stepDirs {
		_, err := r.funcs[dir].Invoke(t.Context(), map[string]any{})
		var fe *lambdatest.Error
		if !errors.As(err, &fe) || fe.Type != "Pathway.Invalid" {
			t.Errorf("%s with {}: %v, want a Pathway.Invalid error", dir, err)
		}
	}

	var app struct {
		Agency       string `json:"agency"`
		PanelSeconds int64  `json:"panelSeconds"`
	}
	r.mustInvoke("validate-application", "ValidateApplication", map[string]any{"coopId": coop}, &app)
	if app.Agency != "org-fellside-cda" || app.PanelSeconds != 14*86400 {
		t.Fatalf("validate-application: %+v", app)
	}
	var screen struct {
		Eligible bool     `json:"eligible"`
		Reasons  []string `json:"reasons"`
	}
	r.mustInvoke("screen-eligibility", "ScreenEligibility", map[string]any{"coopId": outsider}, &screen)
	if screen.Eligible || len(screen.Reasons) == 0 {
		t.Fatalf("screen-eligibility of a co-op in Wales: %+v", screen)
	}
	r.mustInvoke("record-ineligible", "RecordIneligible", map[string]any{"coopId": outsider, "reasons": screen.Reasons}, nil)
	expectStage(t, st, outsider, pathway.StageIneligible)

	r.mustInvoke("screen-eligibility", "ScreenEligibility", map[string]any{"coopId": coop}, &screen)
	if !screen.Eligible {
		t.Fatalf("screen-eligibility: %+v", screen)
	}
	var tasks struct {
		TaskIDs []string `json:"taskIds"`
	}
	token := func(name string) string { return fmt.Sprintf("token-%s-%d", name, r.n) }
	r.mustInvoke("open-panel-task", "AwaitPanelDecision", map[string]any{"coopId": coop, "taskToken": token("panel"), "round": 1, "dueSeconds": app.PanelSeconds}, &tasks)
	expectStage(t, st, coop, pathway.StageAwaitingPanel)
	r.mustInvoke("escalate-panel", "AwaitEscalatedPanelDecision", map[string]any{"coopId": coop, "taskToken": token("escalated"), "round": 1}, &tasks)
	if len(tasks.TaskIDs) != 2 {
		t.Errorf("escalate-panel opened %v, want the panel task and the lead's", tasks.TaskIDs)
	}
	r.mustInvoke("record-panel-outcome", "RecordPanelOutcome", map[string]any{"coopId": coop, "round": 1, "decision": map[string]string{"outcome": "accept", "by": "user-panel"}}, nil)
	expectStage(t, st, coop, pathway.StageCQCPreparing)

	r.exec = "arn:aws:states:eu-west-2:123456789012:execution:pathway-registration-test:" + coop
	var list struct {
		Items, Required int
	}
	r.mustInvoke("build-checklist", "BuildChecklist", map[string]any{"coopId": coop}, &list)
	if list.Required == 0 || list.Items < list.Required {
		t.Fatalf("build-checklist: %+v", list)
	}
	r.mustInvoke("open-checklist-wait", "AwaitChecklist", map[string]any{"coopId": coop, "taskToken": token("checklist")}, &tasks)
	verifyAllItems(t, st, coop)
	// With nothing left to verify, a new wait would never end: the step says so.
	err := r.invoke("open-checklist-wait", "AwaitChecklist", map[string]any{"coopId": coop, "taskToken": token("checklist")}, nil)
	if fe := (*lambdatest.Error)(nil); !errors.As(err, &fe) || fe.Type != "Pathway.ChecklistComplete" {
		t.Errorf("open-checklist-wait on a verified checklist: %v, want Pathway.ChecklistComplete", err)
	}
	r.mustInvoke("mark-cqc-ready", "MarkCQCReady", map[string]any{"coopId": coop}, nil)
	expectStage(t, st, coop, pathway.StageCQCReady)
	r.mustInvoke("open-submission-task", "AwaitSubmission", map[string]any{"coopId": coop, "taskToken": token("submission")}, &tasks)
	var sched struct {
		Round         int   `json:"round"`
		RemindSeconds int64 `json:"remindSeconds"`
	}
	today := time.Now().In(time.UTC).Add(-24 * time.Hour).Format(time.DateOnly)
	r.mustInvoke("record-submitted", "RecordSubmitted", map[string]any{"coopId": coop, "submission": map[string]string{"submittedOn": today}}, &sched)
	expectStage(t, st, coop, pathway.StageCQCSubmitted)
	if sched.Round != 1 || sched.RemindSeconds < 9*7*86400 {
		t.Errorf("record-submitted schedule %+v, want round 1 and a reminder about 10 weeks away", sched)
	}
	r.mustInvoke("open-decision-task", "AwaitDecision", map[string]any{"coopId": coop, "taskToken": token("decision"), "round": 1, "phase": "open", "dueSeconds": sched.RemindSeconds}, &tasks)
	r.mustInvoke("escalate-decision", "AwaitEscalatedDecision", map[string]any{"coopId": coop, "taskToken": token("cqc-escalated"), "round": 1}, &tasks)
	if len(tasks.TaskIDs) != 3 {
		t.Errorf("escalate-decision opened %v, want founders', agency's and lead's tasks", tasks.TaskIDs)
	}
	r.mustInvoke("record-decision", "RecordDecision", map[string]any{"coopId": coop, "round": 1,
		"decision": map[string]string{"outcome": "registered", "providerId": "1-101234567", "decidedOn": today}}, nil)
	expectStage(t, st, coop, pathway.StageCQCRegistered)
	if open, err := st.ListTasks(t.Context(), pathway.TaskFilter{Coop: coop}); err != nil || len(open) != 0 {
		t.Errorf("open tasks after registration: %v, %v", open, err)
	}

	var failed struct {
		Recorded bool `json:"recorded"`
	}
	r.mustInvoke("record-failure", "RecordFailure", map[string]any{"coopId": coop,
		"failure": map[string]string{"Error": "Pathway.Internal", "Cause": `{"errorMessage":"Something went wrong."}`}}, &failed)
	c, err := st.GetCoop(t.Context(), coop)
	if err != nil || !failed.Recorded || !strings.Contains(c.Failure, "Something went wrong.") {
		t.Errorf("record-failure: %+v; co-op failure %q (%v)", failed, c.Failure, err)
	}
}

// TestStepFunctionNeedsTable checks a step's composition root refuses to
// start without its table, saying which variable is missing.
func TestStepFunctionNeedsTable(t *testing.T) {
	f := lambdatest.Start(t, lambdatest.Build(t, "validate-application"), "AWS_EC2_METADATA_DISABLED=true")
	_, err := f.Invoke(t.Context(), map[string]any{"coopId": "coop-x"})
	if err == nil || !strings.Contains(err.Error(), "TABLE_NAME") {
		t.Errorf("invoke without TABLE_NAME: %v, want an exit naming TABLE_NAME", err)
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
