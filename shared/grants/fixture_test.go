package grants_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// day is a time on 1 June 2027 in the UK.
var day = time.Date(2027, 6, 1, 10, 0, 0, 0, time.UTC)

// programme returns a valid start-up programme open on day.
func programme() *grants.Programme {
	return &grants.Programme{
		ID: "start-up-grant", Name: "Start-up Grant", Purpose: "Helps care co-ops reach CQC registration.",
		Funder: "org-example-fund", Budget: 10_000_000, MinAward: 200_000, MaxAward: 1_000_000,
		OpensOn: "2027-04-01", ClosesOn: "2027-09-30",
		Rules: grants.Rules{StageReached: pathway.StageCQCPreparing},
		Criteria: []grants.Criterion{
			{ID: "need", Name: "Need in the area", Weight: 40},
			{ID: "plan", Name: "The plan", Weight: 35},
			{ID: "team", Name: "The team", Weight: 25},
		},
		Scale:                   grants.DefaultScale,
		ReviewersPerApplication: 2,
		Schedule: []grants.ScheduleShare{
			{Share: 50, Trigger: grants.TriggerAgreement},
			{Share: 50, Trigger: grants.TriggerCQCRegistered},
		},
	}
}

// coop returns a co-op that meets programme()'s rules.
func coop() *pathway.Coop {
	return &pathway.Coop{
		ID: "coop-1", Name: "Riverside Care Co-op", Programme: "pennine-start-up",
		LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart,
		LocalAuthority: "Leeds", Services: []string{"home-care"}, Stage: pathway.StageCQCReady,
		Members: []pathway.Member{{Name: "Ada Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
	}
}

// application returns a valid submitted application for programme().
func application() *grants.Application {
	return &grants.Application{
		ID: "app-1", Programme: "start-up-grant", Funder: "org-example-fund", Coop: "coop-1",
		Title: "Training our first carers", Purpose: "Pay for training and CQC preparation.",
		Amount: 500_000, Budget: []grants.BudgetLine{{"Training", 300_000}, {"Registered manager time", 200_000}},
		Status: grants.StatusSubmitted, Attempt: 1, Version: 1,
	}
}

// wantFields fails t unless err is EINVALID naming exactly the fields.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	if pathway.ErrorCode(err) != pathway.EINVALID {
		t.Fatalf("error = %v, want invalid naming %v", err, fields)
	}
	got := pathway.ErrorFields(err)
	for _, f := range fields {
		if got[f] == "" {
			t.Errorf("fields = %v, want %q named", got, f)
		}
	}
	if len(got) != len(fields) {
		t.Errorf("fields = %v, want only %v", got, fields)
	}
}

// fieldsOf returns the per-field messages of err.
func fieldsOf(err error) map[string]string { return pathway.ErrorFields(err) }
