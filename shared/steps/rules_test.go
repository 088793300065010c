package steps_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// TestMarkCQCReadyRefusesAnUnverifiedChecklist: MarkCQCReady checks the
// checklist itself rather than trusting the workflow: with one required
// item not verified the co-op stays preparing for CQC, and nothing is
// recorded.
func TestMarkCQCReadyRefusesAnUnverifiedChecklist(t *testing.T) {
	f := newFixture(t)
	f.toCQCPreparing()
	f.verifyAll()
	items, err := f.store.ListChecklist(f.ctx, f.coop)
	must(t, err)
	for _, it := range items {
		if it.Required {
			it.Status = pathway.ItemDone // marked done again, not verified
			must(t, f.store.UpdateChecklistItem(f.ctx, it, nil))
			break
		}
	}
	before := f.snapshot()
	_, err = f.steps.MarkCQCReady(f.ctx, steps.CoopInput{Invocation: f.enter("MarkCQCReady"), CoopID: f.coop})
	if err == nil || !strings.Contains(err.Error(), "1 of") {
		t.Fatalf("MarkCQCReady with an unverified item = %v, want it refused saying 1 item is not verified", err)
	}
	if c := f.coopNow(); c.Stage != pathway.StageCQCPreparing {
		t.Errorf("stage %s, want cqc-preparing", c.Stage)
	}
	if after := f.snapshot(); !equalSnapshots(before, after) {
		t.Errorf("the refused step changed the store: %+v → %+v", before, after)
	}
}

// TestCQCRequiredOnlyWithRegulatedActivities: the workflow asks the
// founders to apply to CQC only when the co-op will carry on a regulated
// activity.
func TestCQCRequiredOnlyWithRegulatedActivities(t *testing.T) {
	for _, tt := range []struct {
		name       string
		activities []string
		want       bool
	}{
		{"personal care", []string{pathway.ActivityPersonalCare}, true},
		{"no regulated activity", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, func(c *pathway.Coop) { c.RegulatedActivities = tt.activities })
			f.toAwaitingPanel()
			built, err := f.steps.BuildChecklist(f.ctx, steps.CoopInput{Invocation: f.enter("BuildChecklist"), CoopID: f.coop})
			must(t, err)
			if built.CQCRequired != tt.want {
				t.Errorf("BuildChecklist: cqcRequired %v, want %v", built.CQCRequired, tt.want)
			}
			f.verifyAll()
			ready, err := f.steps.MarkCQCReady(f.ctx, steps.CoopInput{Invocation: f.enter("MarkCQCReady"), CoopID: f.coop})
			must(t, err)
			if ready.CQCRequired != tt.want || ready.Stage != pathway.StageCQCReady {
				t.Errorf("MarkCQCReady = %+v, want cqcRequired %v at cqc-ready", ready, tt.want)
			}
		})
	}
}

// TestFailureNoticeSaysWhatFailed: the agency reads the failed step's
// message, not the Lambda error's JSON.
func TestFailureNoticeSaysWhatFailed(t *testing.T) {
	f := newFixture(t)
	cause := `{"errorMessage":"The co-op's programme \"prog-gone\" does not exist.","errorType":"Pathway.Invalid"}`
	out, err := f.steps.RecordFailure(f.ctx, steps.FailureInput{Invocation: f.enter("RecordFailure"), CoopID: f.coop,
		Failure: steps.Failure{Error: "Pathway.Invalid", Cause: cause}})
	must(t, err)
	want := `Pathway.Invalid: The co-op's programme "prog-gone" does not exist.`
	if c := f.coopNow(); out.Failure != want || c.Failure != want {
		t.Errorf("failure %q, stored %q; want %q", out.Failure, c.Failure, want)
	}
	for _, e := range f.events() {
		if strings.Contains(e.Summary, "errorMessage") || strings.Contains(e.Summary, "{") {
			t.Errorf("event %s shows the raw cause: %q", e.Action, e.Summary)
		}
	}
}

// TestScreeningSaysTheOutcome: the screening's line in the history says
// eligible for an eligible co-op, and counts the reasons of one that is
// not.
func TestScreeningSaysTheOutcome(t *testing.T) {
	summary := func(f *fixture) string {
		t.Helper()
		_, err := f.steps.ScreenEligibility(f.ctx, steps.CoopInput{Invocation: f.enter("ScreenEligibility"), CoopID: f.coop})
		must(t, err)
		for _, e := range f.events() {
			if e.Action == pathway.ActionApplicationScreened {
				return e.Summary
			}
		}
		t.Fatal("no screening event")
		return ""
	}
	if got := summary(newFixture(t)); !strings.HasSuffix(got, ": eligible.") || strings.Contains(got, "not eligible") {
		t.Errorf("eligible co-op's screening = %q", got)
	}
	ineligible := newFixture(t, func(c *pathway.Coop) { c.LocalAuthority, c.Members = "Cardiff", c.Members[:1] })
	if got := summary(ineligible); !strings.Contains(got, "not eligible (2 reasons)") {
		t.Errorf("ineligible co-op's screening = %q, want its 2 reasons counted", got)
	}
}

// TestSubmissionTodayInLondon: in a London summer, half an hour after
// midnight is still the day before in UTC; the founders' submission
// "today" is accepted, as it is when they answer the task.
func TestSubmissionTodayInLondon(t *testing.T) {
	f := newFixture(t)
	f.toCQCReady()
	f.now = time.Date(2027, 7, 14, 23, 30, 0, 0, time.UTC) // 00:30 on 15 July in London
	inv := steps.Invocation{ExecutionID: f.exec, State: "RecordSubmitted", EnteredTime: f.now.Format(time.RFC3339Nano)}
	tomorrow := steps.SubmittedInput{Invocation: inv, CoopID: f.coop, Submission: pathway.Submission{SubmittedOn: "2027-07-16"}}
	if _, err := f.steps.RecordSubmitted(f.ctx, tomorrow); err == nil || !strings.Contains(err.Error(), "future") {
		t.Fatalf("tomorrow in London = %v, want it refused", err)
	}
	today := steps.SubmittedInput{Invocation: inv, CoopID: f.coop, Submission: pathway.Submission{SubmittedOn: "2027-07-15"}}
	out, err := f.steps.RecordSubmitted(f.ctx, today)
	if err != nil || out.Stage != pathway.StageCQCSubmitted {
		t.Fatalf("today in London = %+v, %v; want it recorded", out, err)
	}
}
