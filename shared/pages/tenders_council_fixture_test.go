package pages_test

import (
	"context"
	"github.com/coopcarepathway/pathway/shared/insight/market"
	"github.com/coopcarepathway/pathway/shared/insight/project"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/web"
	"github.com/oklog/ulid/v2"
)

// Invented council records: a council with a lead, two evaluators and one
// more member of staff, and two co-ops registered with CQC that bid.
const (
	tcCouncil = "org-harrowdale-council"
	tcLead    = "user-council-lead-ysolde"
	tcEval1   = "user-council-tamsin"
	tcEval2   = "user-council-ulric"
	tcStaff   = "user-council-vesna"
	tcFounder = "user-founder-wystan"
	tcFound2  = "user-founder-xanthe"
	tcCoopA   = "coop-hazel-care"
	tcCoopB   = "coop-rowan-care"
)

var councilUsers = []*pathway.User{
	{ID: tcLead, Name: "Ysolde Example", Role: pathway.RoleCommissioner, Organisation: tcCouncil, Lead: true},
	{ID: tcEval1, Name: "Tamsin Example", Role: pathway.RoleCommissioner, Organisation: tcCouncil},
	{ID: tcEval2, Name: "Ulric Example", Role: pathway.RoleCommissioner, Organisation: tcCouncil},
	{ID: tcStaff, Name: "Vesna Example", Role: pathway.RoleCommissioner, Organisation: tcCouncil},
	{ID: tcFounder, Name: "Wystan Example", Role: pathway.RoleFounder},
	{ID: tcFound2, Name: "Xanthe Example", Role: pathway.RoleFounder},
}

// tcStart is 1 June 2027, 11:00 in the UK: the fixture's clock starts here.
var tcStart = time.Date(2027, 6, 1, 10, 0, 0, 0, time.UTC)

// councilTenderEnv is the site with the tenders service over a clock the tests
// move, and workflows that only record (the tests open tasks as the
// tender workflow would).
type councilTenderEnv struct {
	*env
	svc   *tenderservice.Service
	ts    *tenderstore.Store
	mu    sync.Mutex
	clock time.Time
}

func (v *councilTenderEnv) now() time.Time { v.mu.Lock(); defer v.mu.Unlock(); return v.clock }

func (v *councilTenderEnv) setNow(t time.Time) { v.mu.Lock(); defer v.mu.Unlock(); v.clock = t }

// newCouncilTenderEnv starts the site with the council's records.
func newCouncilTenderEnv(t *testing.T) *councilTenderEnv {
	t.Helper()
	st, dir := openStore(t)
	auth, err := devauth.New(st, dir)
	if err != nil {
		t.Fatal(err)
	}
	wf := &testkit.Workflows{}
	v := &councilTenderEnv{env: &env{t: t, ctx: context.Background(), store: st, auth: auth}, clock: tcStart}
	v.ts = tenderstore.New(st.Table())
	v.svc = tenderservice.New(st, v.ts, wf, v.now)
	j := journey.New(st, wf, nil)
	// The grants pages are there as in production: /tasks/{id} asks them first.
	g := grantservice.New(st, grantstore.New(st.Table()), wf, nil)
	mk := market.NewService(project.New(st.Table()), v.now)
	p := pages.New(pages.Config{Journey: j, Logger: quietLogger(), Grants: g, Tenders: v.svc, Now: v.now, Market: mk})
	v.srv = httptest.NewServer(web.New(web.Config{Store: st, Workflows: wf, Journey: j, Grants: g, Tenders: v.svc, Pages: p, Auth: auth,
		Mount: auth.Routes(), SignInURL: "/auth/dev-users", SignOutURL: "/auth/dev-logout", Logger: quietLogger()}))
	t.Cleanup(v.srv.Close)
	v.must(st.PutOrganisation(v.ctx, &pathway.Organisation{ID: tcCouncil, Name: "Harrowdale Council", Kind: pathway.OrgCouncil}))
	v.must(st.PutOrganisation(v.ctx, &pathway.Organisation{ID: agencyID, Name: "Moorside Co-op Development", Kind: pathway.OrgAgency}))
	v.must(st.PutProgramme(v.ctx, &pathway.Programme{ID: programmeID, Name: "Moorside Care Co-op Start-up", Agency: agencyID,
		Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	for _, u := range councilUsers {
		v.must(st.PutUser(v.ctx, u))
	}
	for _, c := range []struct{ id, name, founder string }{{tcCoopA, "Hazel Care Co-operative", tcFounder}, {tcCoopB, "Rowan Care Co-operative", tcFound2}} {
		co := &pathway.Coop{ID: c.id, Name: c.name, Programme: programmeID, LegalForm: pathway.FormCooperativeSociety,
			Origin: pathway.OriginNewStart, LocalAuthority: "Leeds", Services: []string{"home-care"},
			RegulatedActivities: []string{pathway.ActivityPersonalCare}, RegisterNumber: "7655R",
			Members:  []pathway.Member{{Name: "Zephyr Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
			Founders: []string{c.founder}, Stage: pathway.StageCQCRegistered, StageEnteredAt: tcStart, CreatedAt: tcStart, UpdatedAt: tcStart}
		ev := &pathway.Event{ID: ulid.Make().String(), Coop: c.id, At: tcStart, Actor: c.founder, Action: "application.submitted", Summary: "Applied.", To: co.Stage}
		v.must(st.CreateCoop(v.ctx, co, ev, nil))
	}
	return v
}

// councilUser returns a council fixture user.
func councilUser(id string) *pathway.User {
	for _, u := range councilUsers {
		if u.ID == id {
			return u
		}
	}
	panic("no council user " + id)
}

// councilTenderInput is a valid light-touch tender with two lots and no
// standstill, closing for questions in 5 days and for tenders in 10.
func councilTenderInput() *tenderservice.TenderInput {
	return &tenderservice.TenderInput{Tender: tenders.Tender{
		Title: "Home care in Harrowdale", Description: "Home care for adults in two areas of the council.",
		Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare}, Areas: []string{"Leeds"},
		Value: 100_000_00, Lots: []tenders.Lot{{ID: "north", Name: "North", Value: 60_000_00}, {ID: "south", Name: "South", Value: 40_000_00}},
		Procedure: tenders.ProcedureOpen, LightTouch: true, PriceScoring: tenders.PriceLowestProportional,
		Criteria: []tenders.Criterion{
			{ID: "care", Name: "Quality of care", Kind: tenders.KindQuality, Weight: 50, Guide: "Continuity of carers and how you listen to people."},
			{ID: "price", Name: "Price", Kind: tenders.KindPrice, Weight: 30},
			{ID: "local", Name: "Local jobs", Kind: tenders.KindSocialValue, Weight: 20},
		},
		Term:             tenders.Term{Start: "2027-09-01", End: "2029-08-31"},
		QuestionsCloseAt: tcStart.Add(5 * 24 * time.Hour), TendersCloseAt: tcStart.Add(10 * 24 * time.Hour),
		Evaluators: []string{tcEval1, tcEval2},
	}, Standstill: &tenders.Standstill{Applies: false}}
}

// publishedTender creates and publishes a tender as the lead.
func (v *councilTenderEnv) publishedTender() string {
	v.t.Helper()
	tv, err := v.svc.CreateTender(v.ctx, councilUser(tcLead), councilTenderInput())
	v.must(err)
	_, err = v.svc.Publish(v.ctx, councilUser(tcLead), tv.ID)
	v.must(err)
	return tv.ID
}

// bid sends a co-op's bid for the north lot as its founder.
func (v *councilTenderEnv) bid(founder, tender, coop string, price int64, care string) string {
	v.t.Helper()
	b, err := v.svc.Submit(v.ctx, councilUser(founder), tenderservice.BidID(founder, ""), tenderservice.BidInput{
		Tender: tender, Coop: coop, Lots: []tenders.LotPrice{{Lot: "north", Price: price}},
		Responses: map[string]string{"care": care, "local": "We hire in Harrowdale."}})
	v.must(err)
	return b.ID
}

// closeTender moves the clock past the deadline and the tender on through
// the statuses, as the workflow would.
func (v *councilTenderEnv) closeTender(id string, path ...string) {
	v.t.Helper()
	v.setNow(tcStart.Add(11 * 24 * time.Hour))
	v.moveTo(id, append([]string{tenders.StatusEvaluation}, path...)...)
}

// moveTo moves the tender through the status table, as the workflow would.
func (v *councilTenderEnv) moveTo(id string, path ...string) {
	v.t.Helper()
	for _, to := range path {
		td, err := v.ts.GetTender(v.ctx, id)
		v.must(err)
		v.must(tenders.Move(td, to, v.now()))
		v.must(v.ts.UpdateTender(v.ctx, td, nil))
	}
}

// openTask opens a task as the tender workflow would.
func (v *councilTenderEnv) openTask(subject pathway.Subject, kind, role, userID string) *pathway.Task {
	v.t.Helper()
	id := "task-" + ulid.Make().String()
	tk, err := v.store.PutTask(v.ctx, &pathway.Task{ID: id, Kind: kind, Subject: subject, Organisation: tcCouncil, Role: role, User: userID,
		Title: map[string]string{tenders.TaskEvaluation: "Evaluate a bid", tenders.TaskModeration: "Moderate a bid's scores",
			tenders.TaskAward: "Decide the award", tenders.TaskContractEntry: "Record the contract", tenders.TaskContractNotice: "Record the contract details notice"}[kind],
		Due: v.now().Add(72 * time.Hour), Token: "token-" + id, Status: pathway.TaskOpen, CreatedAt: v.now()})
	v.must(err)
	return tk
}

// answer answers a task as the user, through the service.
func (v *councilTenderEnv) answer(userID, taskID string, ans any) {
	v.t.Helper()
	u := councilUser(userID)
	tk, tg, err := v.svc.TaskToAnswer(v.ctx, u, taskID)
	v.must(err)
	_, err = v.svc.Answer(v.ctx, u, tk, tg, ans)
	v.must(err)
}

// councilTenderPathID reads a tender's ID from its page's address.
func councilTenderPathID(t *testing.T, path string) string {
	t.Helper()
	m := regexp.MustCompile(`^/tenders/([^/?#]+)`).FindStringSubmatch(path)
	if m == nil || m[1] == "new" {
		t.Fatalf("not a tender's page: %s", path)
	}
	return m[1]
}

// standstillTender is a tender awarded to Hazel Care Co-operative with
// its contract award notice (UK6) published on 14 June 2027: standstill
// runs to 24 June, a challenge open, as the workflow would leave it.
func (v *councilTenderEnv) standstillTender() string {
	v.t.Helper()
	in := councilTenderInput()
	in.Standstill = &tenders.Standstill{Applies: true, WorkingDays: 8}
	tv, err := v.svc.CreateTender(v.ctx, councilUser(tcLead), in)
	v.must(err)
	_, err = v.svc.Publish(v.ctx, councilUser(tcLead), tv.ID)
	v.must(err)
	bidA := v.bid(tcFounder, tv.ID, tcCoopA, 50_000_00, "Hazel's carers stay with the same people.")
	v.closeTender(tv.ID, tenders.StatusModeration, tenders.StatusAward)
	td, err := v.ts.GetTender(v.ctx, tv.ID)
	v.must(err)
	td.Award = &tenders.Award{Lots: []tenders.LotAward{{Lot: "north", Bid: bidA, Coop: tcCoopA, TopRanked: true}}, DecidedBy: tcLead, DecidedAt: v.now()}
	td.Notices = append(td.Notices, tenders.Notice{Type: tenders.NoticeAward, PublishedOn: "2027-06-14"})
	td.Period = &tenders.StandstillPeriod{From: "2027-06-14", LastDay: "2027-06-24", EnterFrom: "2027-06-25"}
	td.Challenges = []tenders.Challenge{{ID: "ch-1", Received: "2027-06-15", From: "Rowan Care Co-operative", Summary: "The scores are wrong.",
		Status: tenders.ChallengeOpen, RecordedBy: tcLead, RecordedAt: v.now()}}
	v.must(tenders.Move(td, tenders.StatusStandstill, v.now()))
	v.must(v.ts.UpdateTender(v.ctx, td, nil))
	return tv.ID
}
