package pages_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localfiles"
	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/web"
	"github.com/oklog/ulid/v2"
)

// Invented tender records: a council with a lead, and three co-ops of the
// Moorside programme: two registered with CQC for personal care (founders
// Ash and Bea), one still preparing (Ash's too).
const (
	councilOrg  = "org-westmoor-council"
	councilLead = "user-council-lead-kezia"
	coopAlder   = "coop-alder-care"
	coopBirch   = "coop-birch-care"
	coopCedar   = "coop-cedar-care"
)

// tenderClock is the tests' time, which they move past deadlines.
type tenderClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *tenderClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *tenderClock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// tenderEnv is env with the tenders service, on a clock of its own.
type tenderEnv struct {
	*env
	ts    *tenderstore.Store
	svc   *tenderservice.Service
	clock *tenderClock
}

// founderTenderPages serves the pages plus, for the tests only, the shared
// GET /tenders and GET /tenders/{id} as the founders' handlers (the
// council's pages' handlers call them for founders once merged).
type founderTenderPages struct {
	*pages.Handler
	mux   *http.ServeMux
	extra []string
}

func (p *founderTenderPages) Patterns() []string { return append(p.Handler.Patterns(), p.extra...) }

func (p *founderTenderPages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pat := p.mux.Handler(r); pat != "" {
		p.mux.ServeHTTP(w, r)
		return
	}
	p.Handler.ServeHTTP(w, r)
}

// newTenderEnv starts the application with the tenders service, the
// council, its lead and the three co-ops.
func newTenderEnv(t *testing.T) *tenderEnv {
	t.Helper()
	v := newEnv(t)
	v.srv.Close()
	clock := &tenderClock{t: time.Now().Truncate(time.Minute)}
	ts := tenderstore.New(v.store.Table())
	wf := localsfn.New(v.engine)
	svc := tenderservice.New(v.store, ts, wf, clock.now)
	cfg := web.Config{Store: v.store, Workflows: wf, Auth: v.auth, Mount: v.auth.Routes(), Now: clock.now,
		SignInURL: "/auth/dev-users", SignOutURL: "/auth/dev-logout", Logger: quietLogger(), Tenders: svc}
	blobs, err := localfiles.New(t.TempDir())
	v.must(err)
	cfg.Journey = journey.New(cfg.Store, cfg.Workflows, cfg.Now).WithFiles(blobs)
	cfg.Grants = grantservice.New(cfg.Store, grantstore.New(v.store.Table()), cfg.Workflows, cfg.Now)
	h := pages.New(pages.Config{Journey: cfg.Journey, Now: cfg.Now, Logger: cfg.Logger, Grants: cfg.Grants, Tenders: svc})
	fp := &founderTenderPages{Handler: h, mux: http.NewServeMux()}
	for pattern, fn := range map[string]http.HandlerFunc{"GET /tenders": h.FounderTendersPage, "GET /tenders/{id}": h.FounderTenderPage} {
		if !slices.Contains(h.Patterns(), pattern) {
			fp.mux.HandleFunc(pattern, web.SignedIn(fn))
			fp.extra = append(fp.extra, pattern)
		}
	}
	cfg.Pages = fp
	mux := http.NewServeMux()
	mux.Handle("POST "+localfiles.UploadPath, blobs.Handler()) // the browser posts bids' files straight to storage
	mux.Handle("/", web.New(cfg))
	v.srv = httptest.NewServer(mux)
	t.Cleanup(v.srv.Close)

	te := &tenderEnv{env: v, ts: ts, svc: svc, clock: clock}
	v.must(v.store.PutOrganisation(v.ctx, &pathway.Organisation{ID: councilOrg, Name: "Westmoor Council", Kind: pathway.OrgCouncil}))
	v.must(v.store.PutUser(v.ctx, &pathway.User{ID: councilLead, Name: "Kezia Example", Role: pathway.RoleCommissioner, Organisation: councilOrg, Lead: true}))
	now := clock.now()
	for _, c := range []struct{ id, name, founder, stage string }{
		{coopAlder, "Alder Care Co-operative", founderID, pathway.StageCQCRegistered},
		{coopBirch, "Birch Care Co-operative", founder2ID, pathway.StageCQCRegistered},
		{coopCedar, "Cedar Care Co-operative", founderID, pathway.StageCQCPreparing},
	} {
		co := &pathway.Coop{ID: c.id, Name: c.name, Programme: programmeID, LegalForm: pathway.FormCooperativeSociety,
			Origin: pathway.OriginNewStart, LocalAuthority: "Calderdale", Services: []string{"home-care"},
			RegulatedActivities: []string{pathway.ActivityPersonalCare},
			Members:             []pathway.Member{{Name: "Ash Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
			Founders:            []string{c.founder}, Stage: c.stage, StageEnteredAt: now, CreatedAt: now, UpdatedAt: now}
		ev := &pathway.Event{ID: ulid.Make().String(), Coop: c.id, At: now, Actor: c.founder, Action: "application.submitted", Summary: "Applied.", To: c.stage}
		v.must(v.store.CreateCoop(v.ctx, co, ev, nil))
	}
	return te
}

// lead is the council's lead.
func (te *tenderEnv) lead() *pathway.User {
	return &pathway.User{ID: councilLead, Name: "Kezia Example", Role: pathway.RoleCommissioner, Organisation: councilOrg, Lead: true}
}

// openTender has the lead write a light-touch tender with two lots, then
// opens it as publishing would (status open; the workflow is the flow
// helper's), questions closing in 5 days and tenders in 10. reserved makes
// it a contract reserved for public service mutuals.
func (te *tenderEnv) openTender(title string, reserved bool) string {
	te.t.Helper()
	now := te.clock.now()
	proc := tenders.ProcedureOpen
	if reserved {
		proc = tenders.ProcedureCompetitiveFlexible
	}
	in := &tenderservice.TenderInput{Tender: tenders.Tender{
		Title: title, Description: "Home care for adults in the north and south of the council area.",
		Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare}, Areas: []string{"Calderdale"},
		Value: 100_000_00, Lots: []tenders.Lot{{ID: "north", Name: "North", Value: 60_000_00}, {ID: "south", Name: "South", Value: 40_000_00}},
		Procedure: proc, LightTouch: true, Reserved: reserved,
		Criteria: []tenders.Criterion{
			{ID: "care", Name: "Quality of care", Kind: tenders.KindQuality, Weight: 50, Guide: "How carers stay with the same people."},
			{ID: "price", Name: "Price", Kind: tenders.KindPrice, Weight: 30},
			{ID: "local", Name: "Local jobs", Kind: tenders.KindSocialValue, Weight: 20},
		},
		Term:             tenders.Term{Start: now.AddDate(0, 3, 0).Format(time.DateOnly), End: now.AddDate(2, 3, 0).Format(time.DateOnly)},
		QuestionsCloseAt: now.Add(5 * 24 * time.Hour), TendersCloseAt: now.Add(10 * 24 * time.Hour),
	}}
	v, err := te.svc.CreateTender(te.ctx, te.lead(), in)
	te.must(err)
	te.moveTo(v.ID, tenders.StatusOpen)
	return v.ID
}

// moveTo moves the tender through the status table, as the workflow would.
func (te *tenderEnv) moveTo(id string, path ...string) {
	te.t.Helper()
	for _, to := range path {
		td, err := te.ts.GetTender(te.ctx, id)
		te.must(err)
		te.must(tenders.Move(td, to, te.clock.now()))
		if to == tenders.StatusOpen {
			td.PublishedAt = te.clock.now()
		}
		te.must(te.ts.UpdateTender(te.ctx, td, nil))
	}
}

// award closes the tender and carries it to standstill as the workflow and
// the lead would: agreed scores for every bid (the winner's better), the
// ranking, the award of each lot to the top bid, the assessment summaries
// sent. It returns the tender.
func (te *tenderEnv) award(id string, scores map[string]map[string]int) *tenders.Tender {
	te.t.Helper()
	te.clock.set(te.clock.now().Add(11 * 24 * time.Hour))
	te.moveTo(id, tenders.StatusEvaluation, tenders.StatusModeration, tenders.StatusAward)
	td, err := te.ts.GetTender(te.ctx, id)
	te.must(err)
	bids, err := te.ts.ListBids(te.ctx, id)
	te.must(err)
	var in []*tenders.Bid
	for _, b := range bids {
		if b.Status != tenders.BidSubmitted {
			continue
		}
		s := scores[b.Coop]
		b.Agreed = &tenders.Moderation{Scores: s, Reasons: map[string]string{
			"care": "Care scored " + itoa(s["care"]) + ": the plan for continuity of carers.", "local": "Local jobs scored " + itoa(s["local"]) + ": hires in the area."},
			AgreedBy: councilLead, AgreedAt: te.clock.now()}
		in = append(in, b)
	}
	tenders.Rank(td, in)
	var ans tenders.AwardAnswer
	for _, l := range td.Lots {
		for _, b := range in {
			if r, ok := b.Result(l.ID); ok && r.Rank == 1 {
				ans.Lots = append(ans.Lots, tenders.AwardChoice{Lot: l.ID, Bid: b.ID})
			}
		}
	}
	lots, err := ans.Check(td, in)
	te.must(err)
	now := te.clock.now()
	td.Award = &tenders.Award{Lots: lots, DecidedBy: councilLead, DecidedAt: now, SummariesSentAt: now}
	for _, b := range in {
		if b.Status == tenders.BidAssessed {
			to := tenders.BidLost
			for _, l := range lots {
				if l.Bid == b.ID {
					to = tenders.BidWon
				}
			}
			te.must(tenders.MoveBid(b, to, now))
		}
		te.must(te.ts.UpdateBid(te.ctx, b, nil))
	}
	te.must(te.ts.PutSummaries(te.ctx, tenders.Summaries(td, in, now)))
	today := pathway.UKToday(now)
	td.Period = &tenders.StandstillPeriod{From: today.Format(time.DateOnly), LastDay: today.AddDate(0, 0, 11).Format(time.DateOnly),
		EnterFrom: today.AddDate(0, 0, 12).Format(time.DateOnly)}
	te.must(tenders.Move(td, tenders.StatusStandstill, now))
	te.must(te.ts.UpdateTender(te.ctx, td, nil))
	return td
}

// contract records the contract entered into with the winners, as the
// lead's contract-entry answer would.
func (te *tenderEnv) contract(id string) {
	te.t.Helper()
	td, err := te.ts.GetTender(te.ctx, id)
	te.must(err)
	now := te.clock.now()
	te.must(tenders.Move(td, tenders.StatusContracting, now))
	c := &tenders.Contract{SignedOn: td.Period.EnterFrom, Start: td.Term.Start, End: td.Term.End, RecordedBy: councilLead, RecordedAt: now}
	for _, l := range td.Award.Lots {
		c.Lots = append(c.Lots, tenders.ContractLot{Lot: l.Lot, Coop: l.Coop, Bid: l.Bid, Value: 55_000_00})
	}
	td.Contract = c
	te.must(tenders.Move(td, tenders.StatusContracted, now))
	te.must(te.ts.UpdateTender(te.ctx, td, nil))
}

func itoa(n int) string { return strconv.Itoa(n) }

var bidPagePath = regexp.MustCompile(`^/bids/([^/?#]+)/sent`)

// bidIDOf reads the bid's ID from its page's address.
func bidIDOf(t *testing.T, path string) string {
	t.Helper()
	m := bidPagePath.FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("not a bid's page: %s", path)
	}
	id, _ := url.PathUnescape(m[1])
	return id
}
