// Package fundingtest seeds a funder's grant applications with known
// dates through the real grants service, so the funder dashboard's
// tests (service, API, page, browser) check its figures against the same
// numbers, worked out by hand in Expected.
package fundingtest

import (
	"context"
	"sync"
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

// Invented records of the seeded funder.
const (
	Funder      = "org-kestrel-fund"
	OtherFunder = "org-wagtail-trust"
	Agency      = "org-kestrel-cda"
	DevProg     = "prog-kestrel-start"
	Start       = "gp-kestrel-start"  // budget £100,000, opens 1 April 2027
	Growth      = "gp-kestrel-growth" // budget £50,000, opens 1 May 2027
	CoopA       = "coop-kestrel-alder"
	CoopB       = "coop-kestrel-birch"
)

// Users of the seeded records.
var (
	Lead        = &pathway.User{ID: "user-kestrel-lead-ione", Name: "Ione Example", Role: pathway.RoleFunder, Organisation: Funder, Lead: true, Email: "ione@example.org"}
	Staff       = &pathway.User{ID: "user-kestrel-staff-jory", Name: "Jory Example", Role: pathway.RoleFunder, Organisation: Funder, Email: "jory@example.org"}
	OtherStaff  = &pathway.User{ID: "user-wagtail-kit", Name: "Kit Example", Role: pathway.RoleFunder, Organisation: OtherFunder, Lead: true, Email: "kit@example.org"}
	FounderA    = &pathway.User{ID: "user-kestrel-founder-lark", Name: "Lark Example", Role: pathway.RoleFounder, Email: "lark@example.org"}
	FounderB    = &pathway.User{ID: "user-kestrel-founder-moss", Name: "Moss Example", Role: pathway.RoleFounder, Email: "moss@example.org"}
	AgencyStaff = &pathway.User{ID: "user-kestrel-agency-nell", Name: "Nell Example", Role: pathway.RoleAgency, Organisation: Agency, Email: "nell@example.org"}
)

// Today is when the seeded figures are read: 15 June 2027, 13:00 in the UK.
var Today = time.Date(2027, 6, 15, 12, 0, 0, 0, time.UTC)

// Refresher refreshes a subject's aggregates (insight/project's Projector).
type Refresher interface {
	Refresh(ctx context.Context, kind, id string, at time.Time) error
}

// Clock is a settable now.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Set moves the clock.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Seeded names the applications made.
type Seeded struct {
	// Apps are the application IDs, e1 to e5 as Seed describes them.
	Apps map[string]string
}

// Seed stores the funder, its staff, two programmes, two co-ops and five
// applications, moving each through the grants service at known times
// and refreshing it through r after every change, as the outbox would
// (r nil leaves the refreshes to the outbox: every change writes its
// event, and so its insight delivery, as the workflow's steps do):
//
//	e1 co-op A (Leeds, co-operative society, new start) to Start: sent
//	   6 April, awarded £4,000 on 20 April (14 days) in two tranches, with
//	   reports due 1 June and 1 September; accepted; £2,000 paid 3 May
//	e2 co-op B (Calderdale, community benefit society, conversion) to
//	   Start: sent 00:30 BST 11 April, not funded on 11 May (30 days)
//	e3 co-op B to Start: sent 4 May, awarded £5,000 on 24 May (20 days),
//	   report due 10 June; not accepted yet
//	e4 co-op A to Growth: sent 5 May, being reviewed
//	e5 co-op A to Growth: sent 6 May, awarded £3,000 on 16 May (10 days),
//	   declined by the co-op
func Seed(tb testing.TB, st *store.Store, r Refresher) *Seeded {
	tb.Helper()
	ctx := context.Background()
	must := func(err error) {
		tb.Helper()
		testkit.Must(tb, err)
	}
	clock := &Clock{t: time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)}
	gs := grantstore.New(st.Table())
	svc := grantservice.New(st, gs, &testkit.Workflows{}, clock.Now)
	must(st.PutOrganisation(ctx, &pathway.Organisation{ID: Funder, Name: "Kestrel Care Fund", Kind: pathway.OrgFunder}))
	must(st.PutOrganisation(ctx, &pathway.Organisation{ID: OtherFunder, Name: "Wagtail Trust", Kind: pathway.OrgFunder}))
	must(st.PutOrganisation(ctx, &pathway.Organisation{ID: Agency, Name: "Kestrel Co-op Development", Kind: pathway.OrgAgency}))
	must(st.PutProgramme(ctx, &pathway.Programme{ID: DevProg, Name: "Kestrel Start-up", Agency: Agency, Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	for _, u := range []*pathway.User{Lead, Staff, OtherStaff, FounderA, FounderB, AgencyStaff} {
		must(st.PutUser(ctx, u))
	}
	now := clock.Now()
	for _, c := range []struct{ id, founder, area, form, origin string }{
		{CoopA, FounderA.ID, "Leeds", pathway.FormCooperativeSociety, pathway.OriginNewStart},
		{CoopB, FounderB.ID, "Calderdale", pathway.FormCommunityBenefit, pathway.OriginConversion},
	} {
		co := &pathway.Coop{
			ID: c.id, Name: "Co-op " + c.id, Programme: DevProg, LegalForm: c.form, Origin: c.origin, LocalAuthority: c.area,
			Services: []string{"home-care"},
			Members:  []pathway.Member{{Name: "Ora Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
			Founders: []string{c.founder}, Stage: pathway.StageCQCPreparing, StageEnteredAt: now, CreatedAt: now, UpdatedAt: now,
		}
		must(st.CreateCoop(ctx, co, &pathway.Event{ID: ulid.Make().String(), Coop: c.id, At: now, Actor: c.founder, Action: "application.submitted", Summary: "Applied.", To: co.Stage}, nil))
	}
	for _, p := range []struct {
		id, name, opens string
		budget          int64
	}{{Start, "Kestrel Start-up Grants", "2027-04-01", 10_000_000}, {Growth, "Kestrel Growth Grants", "2027-05-01", 5_000_000}} {
		must(gs.PutProgramme(ctx, &grants.Programme{
			ID: p.id, Name: p.name, Purpose: "Helps care co-ops start.", Funder: Funder,
			Budget: p.budget, MinAward: 200_000, MaxAward: 600_000, OpensOn: p.opens, ClosesOn: "2027-09-30",
			Criteria: []grants.Criterion{{ID: "need", Name: "Need in the area", Weight: 60}, {ID: "team", Name: "The team", Weight: 40}},
			Scale:    grants.DefaultScale, ReviewersPerApplication: 1,
			Schedule: []grants.ScheduleShare{{Share: 50, Trigger: grants.TriggerAgreement}, {Share: 50, Trigger: grants.TriggerCQCRegistered}},
		}, now))
	}
	s := &seeder{tb: tb, ctx: ctx, st: st, gs: gs, svc: svc, clock: clock, r: r}
	out := &Seeded{Apps: map[string]string{}}

	e1 := s.apply(FounderA, CoopA, Start, "e1", "2027-04-06T10:00:00Z")
	s.toDecision(e1)
	s.decide(e1, "2027-04-20T10:00:00Z", awardOf(400_000, "2027-06-01", "2027-09-01"))
	s.agree(e1, FounderA, grants.AgreementAccept)
	s.pay(e1, "t1", "2027-05-03T10:00:00Z", "2027-05-03")
	out.Apps["e1"] = e1

	e2 := s.apply(FounderB, CoopB, Start, "e2", "2027-04-10T23:30:00Z")
	s.toDecision(e2)
	s.decide(e2, "2027-05-11T09:00:00Z", &grants.DecisionAnswer{Outcome: grants.OutcomeReject, Feedback: "Not this round."})
	out.Apps["e2"] = e2

	e3 := s.apply(FounderB, CoopB, Start, "e3", "2027-05-04T09:00:00Z")
	s.toDecision(e3)
	s.decide(e3, "2027-05-24T09:00:00Z", awardOf(500_000, "2027-06-10"))
	out.Apps["e3"] = e3

	e4 := s.apply(FounderA, CoopA, Growth, "e4", "2027-05-05T09:00:00Z")
	s.move(e4, grants.StatusInReview)
	out.Apps["e4"] = e4

	e5 := s.apply(FounderA, CoopA, Growth, "e5", "2027-05-06T09:00:00Z")
	s.toDecision(e5)
	s.decide(e5, "2027-05-16T09:00:00Z", awardOf(300_000))
	s.agree(e5, FounderA, grants.AgreementDecline)
	out.Apps["e5"] = e5
	return out
}

// awardOf is an award of amount in two halves, with reports due on the days.
func awardOf(amount int64, reports ...string) *grants.DecisionAnswer {
	return &grants.DecisionAnswer{Outcome: grants.OutcomeAward, Amount: amount, Feedback: "A strong plan.", Reports: reports,
		Tranches: []grants.TrancheAnswer{{Amount: amount / 2, Trigger: grants.TriggerAgreement}, {Amount: amount - amount/2, Trigger: grants.TriggerCQCRegistered}}}
}

type seeder struct {
	tb    testing.TB
	ctx   context.Context
	st    *store.Store
	gs    *grantstore.Store
	svc   *grantservice.Service
	clock *Clock
	r     Refresher
}

func (s *seeder) must(err error) {
	s.tb.Helper()
	testkit.Must(s.tb, err)
}

// at moves the clock to an RFC 3339 time.
func (s *seeder) at(when string) {
	t, err := time.Parse(time.RFC3339, when)
	s.must(err)
	s.clock.Set(t)
}

// refresh refreshes the application's aggregates, as the outbox would
// after the change's event; with no refresher the outbox is left to.
func (s *seeder) refresh(id string) {
	s.tb.Helper()
	if s.r != nil {
		s.must(s.r.Refresh(s.ctx, pathway.SubjectGrantApplication, id, s.clock.Now()))
	}
}

// event is the workflow's event of a change to the application.
func (s *seeder) event(a *grants.Application, action, summary string) *pathway.Event {
	return &pathway.Event{ID: ulid.Make().String(), Subject: grants.Subject(a.ID), Coop: a.Coop, At: s.clock.Now(),
		Actor: pathway.ActorSystem, Action: action, Summary: summary}
}

func (s *seeder) apply(u *pathway.User, coop, prog, key, when string) string {
	s.tb.Helper()
	s.at(when)
	v, err := s.svc.Apply(s.ctx, u, grantservice.ApplicationID(u.ID, key), grantservice.ApplicationInput{
		Programme: prog, Coop: coop, Title: "Training our first carers", Purpose: "Pay for training and CQC preparation.",
		Amount: 600_000, Budget: []grants.BudgetLine{{Item: "Training", Amount: 400_000}, {Item: "Manager time", Amount: 200_000}},
		Timeline: "June to December 2027",
	})
	s.must(err)
	s.refresh(v.ID)
	return v.ID
}

// move moves the application through the status table, as the workflow would.
func (s *seeder) move(id string, path ...string) {
	s.tb.Helper()
	for _, to := range path {
		a, err := s.gs.GetApplication(s.ctx, id)
		s.must(err)
		s.must(grants.Move(a, to, s.clock.Now()))
		s.must(s.gs.UpdateApplication(s.ctx, a, s.event(a, "grant."+to, "The application moved on.")))
		s.refresh(id)
	}
}

func (s *seeder) toDecision(id string) {
	s.move(id, grants.StatusInReview, grants.StatusAwaitingDecision)
}

// task opens a task on the application, as the workflow would.
func (s *seeder) task(app, id, kind, role string) *pathway.Task {
	s.tb.Helper()
	org := Funder
	if role == pathway.RoleFounder {
		org = ""
	}
	a, err := s.gs.GetApplication(s.ctx, app)
	s.must(err)
	now := s.clock.Now()
	tk, err := s.st.PutTask(s.ctx, &pathway.Task{
		ID: id, Kind: kind, Subject: grants.Subject(app), Coop: a.Coop, Organisation: org, Role: role,
		Title: "Task " + kind, Due: now.Add(72 * time.Hour), Token: "token-" + id, Status: pathway.TaskOpen, CreatedAt: now,
	})
	s.must(err)
	return tk
}

func (s *seeder) answer(u *pathway.User, taskID, app string, ans any) {
	s.tb.Helper()
	tk, a, err := s.svc.TaskToAnswer(s.ctx, u, taskID)
	s.must(err)
	_, err = s.svc.Answer(s.ctx, u, tk, a, ans)
	s.must(err)
	s.refresh(app)
}

func (s *seeder) decide(id, when string, d *grants.DecisionAnswer) {
	s.tb.Helper()
	s.at(when)
	s.answer(Lead, s.task(id, "decision-"+id, grants.TaskDecision, pathway.RoleFunderLead).ID, id, d)
}

func (s *seeder) agree(id string, founder *pathway.User, outcome string) {
	s.tb.Helper()
	s.answer(founder, s.task(id, "agreement-"+id, grants.TaskAgreement, pathway.RoleFounder).ID, id, &grants.AgreementAnswer{Outcome: outcome})
}

// pay releases the tranche, as the workflow does, and records its
// payment on the day.
func (s *seeder) pay(id, tranche, when, day string) {
	s.tb.Helper()
	s.at(when)
	a, err := s.gs.GetApplication(s.ctx, id)
	s.must(err)
	grants.Release(a, grants.TriggerAgreement, day)
	s.must(s.gs.UpdateApplication(s.ctx, a, s.event(a, grants.ActionTrancheDue, "A tranche is due.")))
	s.answer(Staff, s.task(id, "payment-"+id+"-"+tranche, grants.TaskPayment, pathway.RoleFunder).ID, id, &grants.PaymentAnswer{PaidOn: day, Reference: "BACS-0001"})
}
