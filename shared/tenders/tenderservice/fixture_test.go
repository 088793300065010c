package tenderservice_test

import (
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/oklog/ulid/v2"
)

// Invented fixtures: a council with a lead and two evaluators, another
// council, an agency, three co-ops (two registered with CQC for personal
// care, one not) with a founder each.
const (
	council      = "org-westmoor-council"
	otherCouncil = "org-eastfold-council"
	agency       = "org-fellgate-cda"
	devProg      = "prog-fellgate-start"
	coopA        = "coop-alder-care"
	coopB        = "coop-birch-care"
	coopC        = "coop-cedar-care"
)

// start is 1 June 2027, 11:00 in the UK.
var start = time.Date(2027, 6, 1, 10, 0, 0, 0, time.UTC)

var users = map[string]*pathway.User{
	"founderA": {ID: "user-founder-aurelie", Name: "Aurelie Fenwright", Role: pathway.RoleFounder},
	"founderB": {ID: "user-founder-bastian", Name: "Bastian Quarrie", Role: pathway.RoleFounder},
	"founderC": {ID: "user-founder-cosima", Name: "Cosima Dray", Role: pathway.RoleFounder},
	"lead":     {ID: "user-council-lead-kezia", Name: "Kezia Brand", Role: pathway.RoleCommissioner, Organisation: council, Lead: true},
	"eval1":    {ID: "user-council-lorcan", Name: "Lorcan Abery", Role: pathway.RoleCommissioner, Organisation: council},
	"eval2":    {ID: "user-council-maren", Name: "Maren Tolley", Role: pathway.RoleCommissioner, Organisation: council},
	"staff":    {ID: "user-council-nye", Name: "Nye Orrell", Role: pathway.RoleCommissioner, Organisation: council},
	"other":    {ID: "user-council-lead-ottilie", Name: "Ottilie Pask", Role: pathway.RoleCommissioner, Organisation: otherCouncil, Lead: true},
	"agency":   {ID: "user-agency-cressida", Name: "Cressida Holm", Role: pathway.RoleAgency, Organisation: agency},
}

// clock is the fixture's time, which tests move on.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

type fixture struct {
	st    *store.Store
	ts    *tenderstore.Store
	wf    *testkit.Workflows
	svc   *tenderservice.Service
	clock *clock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := testkit.Store(t)
	ctx := t.Context()
	f := &fixture{st: st, ts: tenderstore.New(st.Table()), wf: &testkit.Workflows{}, clock: &clock{t: start}}
	f.svc = tenderservice.New(st, f.ts, f.wf, f.clock.now)
	must(t, st.PutOrganisation(ctx, &pathway.Organisation{ID: council, Name: "Westmoor Council", Kind: pathway.OrgCouncil}))
	must(t, st.PutOrganisation(ctx, &pathway.Organisation{ID: otherCouncil, Name: "Eastfold Council", Kind: pathway.OrgCouncil}))
	must(t, st.PutOrganisation(ctx, &pathway.Organisation{ID: agency, Name: "Fellgate Co-op Development", Kind: pathway.OrgAgency}))
	must(t, st.PutProgramme(ctx, &pathway.Programme{ID: devProg, Name: "Fellgate Start-up", Agency: agency, Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	for _, u := range users {
		must(t, st.PutUser(ctx, u))
	}
	for _, c := range []struct{ id, name, founder, stage string }{
		{coopA, "Alder Care Co-operative", users["founderA"].ID, pathway.StageCQCRegistered},
		{coopB, "Birch Care Co-operative", users["founderB"].ID, pathway.StageCQCRegistered},
		{coopC, "Cedar Care Co-operative", users["founderC"].ID, pathway.StageCQCPreparing},
	} {
		co := &pathway.Coop{
			ID: c.id, Name: c.name, Programme: devProg, LegalForm: pathway.FormCooperativeSociety,
			Origin: pathway.OriginNewStart, LocalAuthority: "Leeds", Services: []string{"home-care"},
			RegulatedActivities: []string{pathway.ActivityPersonalCare}, RegisterNumber: "7654R",
			Members:  []pathway.Member{{Name: "Ysolde Brackenridge", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
			Founders: []string{c.founder}, Stage: c.stage, StageEnteredAt: start, CreatedAt: start, UpdatedAt: start,
		}
		ev := &pathway.Event{ID: ulid.Make().String(), Coop: c.id, At: start, Actor: c.founder, Action: "application.submitted", Summary: "Applied.", To: c.stage}
		must(t, st.CreateCoop(ctx, co, ev, nil))
	}
	return f
}

// input is a valid light-touch tender with two lots, closing for
// questions in 5 days and for tenders in 10.
func input() *tenderservice.TenderInput {
	return &tenderservice.TenderInput{Tender: tenders.Tender{
		Title: "Home care in the north and south", Description: "Home care for adults in two areas of the council.",
		Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare}, Areas: []string{"Leeds"},
		Value: 100_000_00, Lots: []tenders.Lot{{ID: "north", Name: "North", Value: 60_000_00}, {ID: "south", Name: "South", Value: 40_000_00}},
		Procedure: tenders.ProcedureOpen, LightTouch: true,
		Criteria: []tenders.Criterion{
			{ID: "care", Name: "Quality of care", Kind: tenders.KindQuality, Weight: 50},
			{ID: "price", Name: "Price", Kind: tenders.KindPrice, Weight: 30},
			{ID: "local", Name: "Local jobs", Kind: tenders.KindSocialValue, Weight: 20},
		},
		Term:             tenders.Term{Start: "2027-09-01", End: "2029-08-31"},
		QuestionsCloseAt: start.Add(5 * 24 * time.Hour), TendersCloseAt: start.Add(10 * 24 * time.Hour),
		Evaluators: []string{users["eval1"].ID, users["eval2"].ID},
	}}
}

// published creates and publishes a tender as the lead, returning its ID.
func (f *fixture) published(t *testing.T) string {
	t.Helper()
	v, err := f.svc.CreateTender(t.Context(), users["lead"], input())
	must(t, err)
	_, err = f.svc.Publish(t.Context(), users["lead"], v.ID)
	must(t, err)
	return v.ID
}

// bidInput is a valid bid of the co-op for the north lot.
func bidInput(tender, coop string, price int64) tenderservice.BidInput {
	return tenderservice.BidInput{
		Tender: tender, Coop: coop, Lots: []tenders.LotPrice{{Lot: "north", Price: price}},
		Responses: map[string]string{"care": "Our carers stay with the same people.", "local": "We hire in the area."},
	}
}

// bid sends the co-op's bid as its founder, returning its ID.
func (f *fixture) bid(t *testing.T, founder, tender, coop string, price int64) string {
	t.Helper()
	v, err := f.svc.Submit(t.Context(), users[founder], tenderservice.BidID(users[founder].ID, ""), bidInput(tender, coop, price))
	must(t, err)
	return v.ID
}

// closeTenders moves the clock past the deadline and the tender to
// evaluation, as the workflow would.
func (f *fixture) closeTenders(t *testing.T, id string) {
	t.Helper()
	f.clock.set(start.Add(11 * 24 * time.Hour))
	f.moveTo(t, id, tenders.StatusEvaluation)
}

// moveTo moves the tender through the status table, as the workflow would.
func (f *fixture) moveTo(t *testing.T, id string, path ...string) {
	t.Helper()
	for _, to := range path {
		td, err := f.ts.GetTender(t.Context(), id)
		must(t, err)
		must(t, tenders.Move(td, to, f.clock.now()))
		must(t, f.ts.UpdateTender(t.Context(), td, nil))
	}
}

// task opens a task as the workflow would.
func (f *fixture) task(t *testing.T, subject pathway.Subject, id, kind, role, user string) *pathway.Task {
	t.Helper()
	tk, err := f.st.PutTask(t.Context(), &pathway.Task{
		ID: id, Kind: kind, Subject: subject, Organisation: council, Role: role, User: user,
		Title: "Task " + kind, Due: f.clock.now().Add(72 * time.Hour), Token: "token-" + id, Status: pathway.TaskOpen, CreatedAt: f.clock.now(),
	})
	must(t, err)
	return tk
}

// answer answers the task as u would through the API.
func (f *fixture) answer(t *testing.T, u *pathway.User, id string, ans any) error {
	t.Helper()
	tk, tg, err := f.svc.TaskToAnswer(t.Context(), u, id)
	if err != nil {
		return err
	}
	_, err = f.svc.Answer(t.Context(), u, tk, tg, ans)
	return err
}

// Shared assertions (shared/testkit).
var (
	must     = testkit.Must
	wantCode = testkit.WantCode
)
