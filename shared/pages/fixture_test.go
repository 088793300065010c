package pages_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/infra/repotest"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/web"
	"github.com/coopcarepathway/pathway/shared/workflowsteps"
)

// Invented records every test starts from.
const (
	agencyID    = "org-moorside-cda"
	otherAgency = "org-fenland-cda"
	programmeID = "prog-moorside-start"
	otherProg   = "prog-fenland-start"
	founderID   = "user-founder-ash"
	founder2ID  = "user-founder-bea"
	officerID   = "user-agency-rowan"
	outsiderID  = "user-agency-sky"
)

var users = []*pathway.User{
	{ID: founderID, Name: "Ash Example", Role: pathway.RoleFounder},
	{ID: founder2ID, Name: "Bea Example", Role: pathway.RoleFounder},
	{ID: officerID, Name: "Rowan Example", Role: pathway.RoleAgency, Organisation: agencyID, Lead: true},
	{ID: outsiderID, Name: "Sky Example", Role: pathway.RoleAgency, Organisation: otherAgency},
}

// env is the whole application in one process: the embedded store, the
// local Step Functions engine running the real workflows with the real step
// handlers, the journey service and the HTTP handler with the pages, and
// the local sign-in.
type env struct {
	t       *testing.T
	ctx     context.Context
	store   *store.Store
	engine  *states.Engine
	journey *journey.Service
	auth    *devauth.Auth
	srv     *httptest.Server
}

// openStore opens an embedded store in a new temporary directory, closed
// when the test ends, and returns the directory too: the dev sign-in keeps
// its secret beside the store. The tests skip fsync: nothing outlives them.
func openStore(tb testing.TB) (*store.Store, string) {
	tb.Helper()
	return testkit.Store(tb), tb.TempDir()
}

// newEnv starts the application on a test server.
func newEnv(t *testing.T) *env {
	t.Helper()
	st, dir := openStore(t)
	e, err := states.New(states.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	for id, fn := range workflowsteps.Handlers(st, st.Table(), time.Now) {
		e.RegisterHandler(id, states.TypedHandler(fn))
	}
	if err := e.LoadTemplate(filepath.Join(repotest.Root(t), "template.yaml")); err != nil {
		t.Fatal(err)
	}
	auth, err := devauth.New(st, dir)
	if err != nil {
		t.Fatal(err)
	}
	v := &env{t: t, ctx: context.Background(), store: st, engine: e, auth: auth,
		journey: journey.New(st, localsfn.New(e), nil)}
	v.seed()
	v.srv = httptest.NewServer(site(web.Config{Store: st, Workflows: localsfn.New(e), Auth: auth, Mount: auth.Routes(),
		SignInURL: "/auth/dev-users", SignOutURL: "/auth/dev-logout", Logger: quietLogger()}))
	t.Cleanup(v.srv.Close)
	return v
}

// seed stores two agencies with a programme each, and the users.
func (v *env) seed() {
	v.must(v.store.PutOrganisation(v.ctx, &pathway.Organisation{ID: agencyID, Name: "Moorside Co-op Development", Kind: pathway.OrgAgency}))
	v.must(v.store.PutOrganisation(v.ctx, &pathway.Organisation{ID: otherAgency, Name: "Fenland Co-op Development", Kind: pathway.OrgAgency}))
	v.must(v.store.PutProgramme(v.ctx, &pathway.Programme{ID: programmeID, Name: "Moorside Care Co-op Start-up", Agency: agencyID,
		Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 2, EnglandOnly: true}}))
	v.must(v.store.PutProgramme(v.ctx, &pathway.Programme{ID: otherProg, Name: "Fenland Care Start-up", Agency: otherAgency,
		Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 28, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	for _, u := range users {
		v.must(v.store.PutUser(v.ctx, u))
	}
}

func (v *env) must(err error) {
	v.t.Helper()
	if err != nil {
		v.t.Fatal(err)
	}
}

// user returns a seeded user.
func user(id string) *pathway.User {
	for _, u := range users {
		if u.ID == id {
			return u
		}
	}
	panic("no user " + id)
}

// application is a complete, eligible application.
func application(name string) journey.Application {
	return journey.Application{
		Name: name, Programme: programmeID, LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart,
		LocalAuthority: "Calderdale", Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
		Members: []journey.Member{
			{Name: "Ash Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
			{Name: "Cal Example", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
			{Name: "Dee Example", Class: pathway.ClassServiceUser, Role: pathway.MemberDirector},
		},
	}
}

// apply has the founder apply through the journey service and waits for
// screening to put the co-op before the panel.
func (v *env) apply(name string) string {
	v.t.Helper()
	cv, err := v.journey.Apply(v.ctx, user(founderID), journey.CoopID(founderID, name), application(name))
	v.must(err)
	v.waitStage(cv.ID, pathway.StageAwaitingPanel)
	return cv.ID
}

// waitStage waits for the workflows to move the co-op to the stage.
func (v *env) waitStage(id, stage string) *pathway.Coop {
	v.t.Helper()
	var c *pathway.Coop
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		v.engine.WaitIdle()
		var err error
		if c, err = v.store.GetCoop(v.ctx, id); err == nil && c.Stage == stage {
			return c
		}
	}
	v.t.Fatalf("co-op %s did not reach %s; it is at %+v", id, stage, c)
	return nil
}

// task waits for the co-op's open task of the kind that u can answer.
func (v *env) task(id, kind string, u *pathway.User) *pathway.Task {
	v.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		v.engine.WaitIdle()
		ts, err := v.store.ListTasks(v.ctx, pathway.TaskFilter{Coop: id})
		v.must(err)
		for _, t := range ts {
			if t.Kind == kind && (u == nil || t.Role == u.Role || u.Lead && t.Role == pathway.RoleAgencyLead) {
				return t
			}
		}
	}
	v.t.Fatalf("no open %s task for %s", kind, id)
	return nil
}

// accept has the agency accept the co-op at panel and waits for its
// checklist.
func (v *env) accept(id string) {
	v.t.Helper()
	v.decide(id, pathway.TaskPanelDecision, officerID, &journey.PanelAnswer{Outcome: "accept", Notes: "Strong founding group."})
	v.waitStage(id, pathway.StageCQCPreparing)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if items, _ := v.store.ListChecklist(v.ctx, id); len(items) > 0 {
			return
		}
	}
	v.t.Fatalf("no checklist for %s", id)
}

// decide answers the co-op's open task of the kind as the user.
func (v *env) decide(id, kind, userID string, a journey.Answer) {
	v.t.Helper()
	u := user(userID)
	t := v.task(id, kind, u)
	tt, c, err := v.journey.TaskToAnswer(v.ctx, u, t.ID)
	v.must(err)
	_, err = v.journey.Decide(v.ctx, u, tt, c, a)
	v.must(err)
}

// items returns the co-op's checklist.
func (v *env) items(id string) []*pathway.ChecklistItem {
	v.t.Helper()
	items, err := v.store.ListChecklist(v.ctx, id)
	v.must(err)
	return items
}

// markDone has the founder mark an item done.
func (v *env) markDone(id, item string) {
	v.t.Helper()
	_, err := v.journey.MarkDone(v.ctx, user(founderID), id, item, journey.ItemUpdate{Status: pathway.ItemDone,
		Evidence: "Agreed at the committee meeting; saved in the shared drive.", Link: "https://example.org/evidence"})
	v.must(err)
}

// verify has the agency accept or return an item.
func (v *env) verify(id, item, outcome, comment string) {
	v.t.Helper()
	_, err := v.journey.Verify(v.ctx, user(officerID), id, item, journey.Verification{Outcome: outcome, Comment: comment})
	v.must(err)
}

// completeChecklist marks and verifies every item, so the co-op is ready
// to apply to CQC.
func (v *env) completeChecklist(id string) {
	v.t.Helper()
	for _, it := range v.items(id) {
		v.markDone(id, it.ID)
		v.verify(id, it.ID, journey.VerifyAccepted, "")
	}
	v.waitStage(id, pathway.StageCQCReady)
}

// cookie returns a session cookie for the user, as the dev sign-in sets it.
func (v *env) cookie(userID string) *http.Cookie {
	token, _ := v.auth.Token(userID)
	return &http.Cookie{Name: devauth.CookieName, Value: token}
}
