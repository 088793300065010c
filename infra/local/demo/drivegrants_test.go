package demo_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// seedAndDriveGrants is one `--demo` start with grants: the co-ops, the
// funder's programmes, then the grant applications through the workflow.
func seedAndDriveGrants(t *testing.T, st *testStore, e *states.Engine) *grantstore.Store {
	t.Helper()
	seedAndDrive(t, st, e)
	gs := grantstore.New(st.table)
	if err := demo.SeedGrants(t.Context(), gs, time.Now()); err != nil {
		t.Fatal(err)
	}
	svc := grantservice.New(st, gs, localsfn.New(e), time.Now)
	if err := demo.DriveGrants(t.Context(), svc, st); err != nil {
		t.Fatal(err)
	}
	e.WaitIdle()
	return gs
}

// grantSnapshot writes what the demo's grant applications are: status,
// version, open tasks, declarations and reviews, and the budgets.
func grantSnapshot(t *testing.T, st *testStore, gs *grantstore.Store) string {
	t.Helper()
	ctx := t.Context()
	var b strings.Builder
	for _, l := range demo.LiveGrants() {
		a, err := gs.GetApplication(ctx, l.ID())
		if err != nil {
			t.Fatalf("%s: %v", l.Application.Title, err)
		}
		fmt.Fprintf(&b, "%s %s v%d\n", a.ID, a.Status, a.Version)
		open, err := st.ListTasks(ctx, pathway.TaskFilter{Subject: grants.Subject(a.ID)})
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range open {
			fmt.Fprintf(&b, "  task %s %s\n", task.ID, task.User)
		}
		ds, _ := gs.Declarations(ctx, a.ID)
		rs, _ := gs.Reviews(ctx, a.ID)
		fmt.Fprintf(&b, "  %d declarations, %d reviews\n", len(ds), len(rs))
	}
	for _, p := range []string{demo.GrantIdeas, demo.GrantStartUp} {
		bud, err := gs.Budget(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %+v\n", p, bud)
	}
	return b.String()
}

// TestDemoGrantsInEveryStatus drives the demo's grant applications through
// the real grant workflow and checks one is in each status the service can
// store, each as the demo tells it, and that a second start changes
// nothing.
func TestDemoGrantsInEveryStatus(t *testing.T) {
	st := openStore(t)
	e := startEngine(t, st, nil)
	gs := seedAndDriveGrants(t, st, e)
	ctx := t.Context()

	var statuses []string
	for _, l := range demo.LiveGrants() {
		a, err := gs.GetApplication(ctx, l.ID())
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != l.Target {
			t.Errorf("%s is %s, want %s", l.Application.Title, a.Status, l.Target)
		}
		statuses = append(statuses, a.Status)
		open, err := st.ListTasks(ctx, pathway.TaskFilter{Subject: grants.Subject(a.ID)})
		if err != nil {
			t.Fatal(err)
		}
		kinds := make([]string, 0, len(open))
		for _, task := range open {
			kinds = append(kinds, task.Kind)
		}
		checkGrant(t, gs, a, kinds)
	}
	for _, s := range demo.GrantStatuses {
		if !slices.Contains(statuses, s) {
			t.Errorf("no demo grant application is %s", s)
		}
	}
	for _, s := range []string{grants.StatusDraft, grants.StatusSubmitted} {
		if slices.Contains(demo.GrantStatuses, s) {
			t.Errorf("%s is listed as a demo status, but the service never leaves an application in it", s)
		}
	}

	before := grantSnapshot(t, st, gs)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	seedAndDriveGrants(t, st, startEngine(t, st, nil))
	if after := grantSnapshot(t, st, gs); after != before {
		t.Errorf("a second --demo start changed the grants:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// checkGrant checks what an application in its status shows: the tasks
// waiting and the money.
func checkGrant(t *testing.T, gs *grantstore.Store, a *grants.Application, open []string) {
	t.Helper()
	ctx := t.Context()
	ds, err := gs.Declarations(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := gs.Reviews(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		grants.StatusInReview:         {grants.TaskReview},
		grants.StatusAwaitingDecision: {grants.TaskDecision},
		grants.StatusAwarded:          {grants.TaskAgreement},
		grants.StatusActive:           {grants.TaskWaitReport},
	}[a.Status]
	if !slices.Equal(open, want) {
		t.Errorf("%s (%s) has open tasks %v, want %v", a.Title, a.Status, open, want)
	}
	switch a.Status {
	case grants.StatusInReview:
		if len(ds) != 1 || !ds[0].Conflict || len(rs) != 0 {
			t.Errorf("in review: %d declarations (want one conflict), %d reviews", len(ds), len(rs))
		}
	case grants.StatusIneligible:
		if len(a.Reasons) == 0 {
			t.Errorf("ineligible without reasons")
		}
	case grants.StatusActive:
		if a.Award.Tranches[0].Status != grants.TranchePaid || a.Award.Tranches[1].Status == grants.TranchePaid || len(a.Reports) != 1 {
			t.Errorf("active: tranches %+v, reports %+v", a.Award.Tranches, a.Reports)
		}
	case grants.StatusClosed:
		if a.Award.Tranches[0].Status != grants.TranchePaid {
			t.Errorf("closed with tranche unpaid: %+v", a.Award.Tranches)
		}
	}
	if a.Status != grants.StatusInReview && a.Status != grants.StatusIneligible && a.Status != grants.StatusWithdrawn {
		p, err := gs.GetProgramme(ctx, a.Programme)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != p.ReviewersPerApplication {
			t.Errorf("%s (%s) has %d reviews, want %d", a.Title, a.Status, len(rs), p.ReviewersPerApplication)
		}
	}
}
