package grantservice_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/oklog/ulid/v2"
)

// Invented fixtures: a funder with a lead, two reviewers and a payments
// officer; another funder; an agency with a programme; two co-ops with a
// founder each; a commissioner.
const (
	fund       = "org-larkspur-fund"
	otherFund  = "org-thistle-trust"
	agency     = "org-fellgate-cda"
	otherAgcy  = "org-saltmarsh-cda"
	devProg    = "prog-fellgate-start"
	coopA      = "coop-alder-care"
	coopB      = "coop-birch-care"
	progOpen   = "gp-larkspur-start"
	progSmall  = "gp-larkspur-small"
	progClosed = "gp-larkspur-old"
)

// now is 1 June 2027, 11:00 in the UK.
var now = time.Date(2027, 6, 1, 10, 0, 0, 0, time.UTC)

var users = map[string]*pathway.User{
	"founderA":   {ID: "user-founder-aurelie", Name: "Aurelie Fenwright", Role: pathway.RoleFounder},
	"founderB":   {ID: "user-founder-bastian", Name: "Bastian Quarrie", Role: pathway.RoleFounder},
	"agency":     {ID: "user-agency-cressida", Name: "Cressida Holm", Role: pathway.RoleAgency, Organisation: agency},
	"otherAgcy":  {ID: "user-agency-dorian", Name: "Dorian Sallow", Role: pathway.RoleAgency, Organisation: otherAgcy},
	"lead":       {ID: "user-funder-lead-elspeth", Name: "Elspeth Marrable", Role: pathway.RoleFunder, Organisation: fund, Lead: true},
	"lead2":      {ID: "user-funder-lead-gideon", Name: "Gideon Pellow", Role: pathway.RoleFunder, Organisation: fund, Lead: true},
	"reviewer1":  {ID: "user-funder-fenella", Name: "Fenella Ashcombe", Role: pathway.RoleFunder, Organisation: fund},
	"reviewer2":  {ID: "user-funder-horace", Name: "Horace Wyndle", Role: pathway.RoleFunder, Organisation: fund},
	"staff":      {ID: "user-funder-imogen", Name: "Imogen Tarrant", Role: pathway.RoleFunder, Organisation: fund},
	"otherFund":  {ID: "user-funder-jago", Name: "Jago Penhallow", Role: pathway.RoleFunder, Organisation: otherFund, Lead: true},
	"commission": {ID: "user-council-kezia", Name: "Kezia Brand", Role: pathway.RoleCommissioner, Organisation: "org-westmoor-council"},
}

type fixture struct {
	st  *store.Store
	gs  *grantstore.Store
	wf  *testkit.Workflows
	svc *grantservice.Service
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := testkit.Store(t)
	ctx := t.Context()
	f := &fixture{st: st, gs: grantstore.New(st.Table()), wf: &testkit.Workflows{}}
	f.svc = grantservice.New(st, f.gs, f.wf, func() time.Time { return now })
	must(t, st.PutOrganisation(ctx, &pathway.Organisation{ID: fund, Name: "Larkspur Care Fund", Kind: pathway.OrgFunder, GivingPrefix: "360G-larkspurfund", OrgID: "GB-CHC-999999902"}))
	must(t, st.PutOrganisation(ctx, &pathway.Organisation{ID: otherFund, Name: "Thistle Trust", Kind: pathway.OrgFunder}))
	must(t, st.PutOrganisation(ctx, &pathway.Organisation{ID: agency, Name: "Fellgate Co-op Development", Kind: pathway.OrgAgency}))
	must(t, st.PutProgramme(ctx, &pathway.Programme{ID: devProg, Name: "Fellgate Start-up", Agency: agency, Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	for _, u := range users {
		must(t, st.PutUser(ctx, u))
	}
	for _, c := range []struct {
		id, founder, stage, number string
	}{{coopA, users["founderA"].ID, pathway.StageCQCPreparing, "7654R"}, {coopB, users["founderB"].ID, pathway.StageApplied, ""}} {
		co := &pathway.Coop{
			ID: c.id, Name: "Co-op " + c.id, Programme: devProg, LegalForm: pathway.FormCooperativeSociety,
			Origin: pathway.OriginNewStart, LocalAuthority: "Leeds", Services: []string{"home-care"},
			Members: []pathway.Member{
				{Name: "Ysolde Brackenridge", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Tobiah Marchant", Class: pathway.ClassServiceUser, Role: pathway.MemberOrdinary},
			},
			Founders: []string{c.founder}, Stage: c.stage, StageEnteredAt: now, CreatedAt: now, UpdatedAt: now,
			RegisterNumber: c.number,
		}
		ev := &pathway.Event{ID: ulid.Make().String(), Coop: c.id, At: now, Actor: c.founder, Action: "application.submitted", Summary: "Applied.", To: c.stage}
		must(t, st.CreateCoop(ctx, co, ev, nil))
	}
	for _, p := range []*grants.Programme{
		programme(progOpen, fund, "2027-04-01", "2027-09-30", 10_000_000),
		programme(progSmall, fund, "2027-04-01", "2027-09-30", 700_000),
		programme(progClosed, fund, "2026-01-01", "2026-03-31", 10_000_000),
		programme("gp-thistle", otherFund, "2027-04-01", "2027-09-30", 10_000_000),
	} {
		must(t, f.gs.PutProgramme(ctx, p, now))
	}
	return f
}

// programme returns a valid programme of the funder open between the days.
func programme(id, funder, opens, closes string, budget int64) *grants.Programme {
	return &grants.Programme{
		ID: id, Name: "Programme " + id, Purpose: "Helps care co-ops start.", Funder: funder,
		Budget: budget, MinAward: 200_000, MaxAward: 600_000, OpensOn: opens, ClosesOn: closes,
		Criteria: []grants.Criterion{
			{ID: "need", Name: "Need in the area", Weight: 60},
			{ID: "team", Name: "The team", Weight: 40},
		},
		Scale: grants.DefaultScale, ReviewersPerApplication: 2,
		Schedule: []grants.ScheduleShare{{Share: 50, Trigger: grants.TriggerAgreement}, {Share: 50, Trigger: grants.TriggerCQCRegistered}},
	}
}

// input is a valid application of co-op A to the programme.
func input(prog string) grantservice.ApplicationInput {
	return grantservice.ApplicationInput{
		Programme: prog, Coop: coopA, Title: "Training our first carers", Purpose: "Pay for training and CQC preparation.",
		Amount: 500_000, Budget: []grants.BudgetLine{{Item: "Training", Amount: 300_000}, {Item: "Manager time", Amount: 200_000}},
		Timeline: "June to December 2027",
	}
}

// apply sends co-op A's application to prog and returns its ID.
func (f *fixture) apply(t *testing.T, prog string) string {
	t.Helper()
	v, err := f.svc.Apply(t.Context(), users["founderA"], grantservice.ApplicationID(users["founderA"].ID, ""), input(prog))
	must(t, err)
	return v.ID
}

// moveTo moves the application through the status table to status, as the
// workflow would.
func (f *fixture) moveTo(t *testing.T, id string, path ...string) {
	t.Helper()
	for _, to := range path {
		a, err := f.gs.GetApplication(t.Context(), id)
		must(t, err)
		must(t, grants.Move(a, to, now))
		must(t, f.gs.UpdateApplication(t.Context(), a, nil))
	}
}

// task opens a task of the kind on the application, as the workflow would.
func (f *fixture) task(t *testing.T, app, id, kind, role, user string) *pathway.Task {
	t.Helper()
	org := fund
	if role == pathway.RoleFounder {
		org = ""
	}
	tk, err := f.st.PutTask(t.Context(), &pathway.Task{
		ID: id, Kind: kind, Subject: grants.Subject(app), Coop: coopA, Organisation: org, Role: role, User: user,
		Title: "Task " + kind, Due: now.Add(72 * time.Hour), Token: "token-" + id, Status: pathway.TaskOpen, CreatedAt: now,
	})
	must(t, err)
	return tk
}

// answer answers the task as u would through the API.
func (f *fixture) answer(t *testing.T, u *pathway.User, id string, ans any) error {
	t.Helper()
	tk, a, err := f.svc.TaskToAnswer(t.Context(), u, id)
	if err != nil {
		return err
	}
	_, err = f.svc.Answer(t.Context(), u, tk, a, ans)
	return err
}

// Shared assertions (shared/testkit).
var (
	must     = testkit.Must
	wantCode = testkit.WantCode
)
