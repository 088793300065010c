package demo_test

import (
	"bytes"
	"encoding/csv"

	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/shared/giving360"
	"github.com/coopcarepathway/pathway/shared/giving360/givingschema"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

func demoUser(t *testing.T, id string) *pathway.User {
	t.Helper()
	for _, u := range demo.Users {
		if u.ID == id {
			return u
		}
	}
	t.Fatalf("no demo user %s", id)
	return nil
}

func TestDemoFunderHasALeadReviewersAndOpenProgrammes(t *testing.T) {
	ctx, now := t.Context(), time.Now()
	st := testkit.Store(t)
	gs := grantstore.New(st.Table())
	if err := demo.Seed(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	for range 2 { // idempotent
		if err := demo.SeedGrants(ctx, gs, now); err != nil {
			t.Fatal(err)
		}
	}
	staff, err := st.ListStaff(ctx, demo.OrgFund, pathway.RoleFunder)
	if err != nil {
		t.Fatal(err)
	}
	leads, others := 0, 0
	for _, u := range staff {
		if u.Lead {
			leads++
		} else {
			others++
		}
	}
	if leads < 1 || others < 3 {
		t.Errorf("demo funder has %d leads and %d other staff, want 1 and 3 or more", leads, others)
	}
	svc := grantservice.New(st, gs, &testkit.Workflows{}, nil)
	// Founders of demo co-ops (one registered with CQC, one that has just
	// applied to its development programme) can apply to open programmes.
	for _, founder := range []string{demo.UserFounderMendip, demo.UserFounderTogether} {
		ps, err := svc.Programmes(ctx, demoUser(t, founder))
		if err != nil {
			t.Fatal(err)
		}
		eligible := 0
		for _, p := range ps {
			for _, c := range p.Coops {
				if c.Eligible {
					eligible++
				}
			}
		}
		if len(ps) != 2 || eligible == 0 {
			t.Errorf("%s: %d programmes open, %d eligible co-ops", founder, len(ps), eligible)
		}
	}
	start, err := gs.GetProgramme(ctx, demo.GrantStartUp)
	if err != nil {
		t.Fatal(err)
	}
	if len(start.Schedule) != 2 || start.Schedule[0].Share != 50 || start.Schedule[1].Trigger != grants.TriggerCQCRegistered {
		t.Errorf("start-up schedule = %+v", start.Schedule)
	}
}

// TestDemoFunderPublishesValid360Giving awards two demo co-ops through the
// service (one registered society with its number, one not yet
// incorporated) and checks the demo funder's package against the official
// schema, and that the CSV has a row per grant.
func TestDemoFunderPublishesValid360Giving(t *testing.T) {
	ctx, now := t.Context(), time.Now()
	st := testkit.Store(t)
	gs := grantstore.New(st.Table())
	if err := demo.Seed(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedGrants(ctx, gs, now); err != nil {
		t.Fatal(err)
	}
	svc := grantservice.New(st, gs, &testkit.Workflows{}, func() time.Time { return now })
	lead := demoUser(t, demo.UserFunderLead)
	for i, g := range []struct {
		founder, coop, prog string
		amount              int64
	}{
		{demo.UserFounderMendip, "coop-mendip-micro", demo.GrantStartUp, 1_200_000},
		{demo.UserFounderTogether, "coop-together-pa", demo.GrantIdeas, 150_000},
	} {
		v, err := svc.Apply(ctx, demoUser(t, g.founder), grantservice.ApplicationID(g.founder, ""), grantservice.ApplicationInput{
			Programme: g.prog, Coop: g.coop, Title: "Getting started", Purpose: "Training & set-up costs",
			Amount: g.amount, Budget: []grants.BudgetLine{{Item: "Training", Amount: g.amount}},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, to := range []string{grants.StatusInReview, grants.StatusAwaitingDecision} {
			a, err := gs.GetApplication(ctx, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := grants.Move(a, to, now); err != nil {
				t.Fatal(err)
			}
			if err := gs.UpdateApplication(ctx, a, nil); err != nil {
				t.Fatal(err)
			}
		}
		task, err := st.PutTask(ctx, &pathway.Task{ID: "decision-" + v.ID, Kind: grants.TaskDecision, Subject: grants.Subject(v.ID), Coop: g.coop,
			Organisation: demo.OrgFund, Role: pathway.RoleFunderLead, Title: "Decide", Due: now.Add(time.Hour), Token: "tok-" + string(rune('a'+i)), Status: pathway.TaskOpen, CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		tk, a, err := svc.TaskToAnswer(ctx, lead, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Answer(ctx, lead, tk, a, &grants.DecisionAnswer{Outcome: grants.OutcomeAward, Amount: g.amount,
			Tranches: []grants.TrancheAnswer{{Amount: g.amount, Trigger: grants.TriggerAgreement}}, Feedback: "Well done."}); err != nil {
			t.Fatal(err)
		}
	}
	funder, gr, err := svc.Giving(ctx, lead, demo.OrgFund)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := giving360.WriteJSON(&buf, funder, gr, giving360.Meta{Issued: now}); err != nil {
		t.Fatal(err)
	}
	if err := givingschema.Validate(buf.Bytes()); err != nil {
		t.Fatalf("the demo funder's 360Giving package is invalid: %v\n%s", err, buf.Bytes())
	}
	for _, want := range []string{`"GB-MPR-DEMO0001"`, `"360G-hearthcarefund-coop-together-pa"`, `"identifier": "GB-CHC-999999901"`} {
		if !bytes.Contains(buf.Bytes(), []byte(want)) {
			t.Errorf("package lacks %s:\n%s", want, buf.Bytes())
		}
	}
	buf.Reset()
	if err := giving360.WriteCSV(&buf, funder, gr); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(gr) || len(gr) != 2 {
		t.Errorf("CSV has %d rows for %d grants, want a header and one row each", len(rows), len(gr))
	}
}
