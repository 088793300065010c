package market_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/insight/market"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/oklog/ulid/v2"
)

// Invented records of the end-to-end market: Harrowdale Council's lead,
// and three co-ops of different legal forms with a founder each.
const (
	hdCouncil = "org-harrowdale-council"
	hdLead    = "user-hd-lead"
	hdOther   = "user-other-council-staff"
	coopSoc   = "coop-hazel" // co-operative society: a co-op
	coopCIC   = "coop-rowan" // community interest company: other VCSE
	coopPLC   = "coop-alder" // private company converting: other
)

var hdUsers = map[string]*pathway.User{
	hdLead:         {ID: hdLead, Name: "Ysolde Example", Role: pathway.RoleCommissioner, Organisation: hdCouncil, Lead: true},
	hdOther:        {ID: hdOther, Name: "Quill Example", Role: pathway.RoleCommissioner, Organisation: "org-elsewhere-council", Lead: true},
	"f-" + coopSoc: {ID: "f-" + coopSoc, Name: "Wystan Example", Role: pathway.RoleFounder},
	"f-" + coopCIC: {ID: "f-" + coopCIC, Name: "Xanthe Example", Role: pathway.RoleFounder},
	"f-" + coopPLC: {ID: "f-" + coopPLC, Name: "Yorick Example", Role: pathway.RoleFounder},
}

// hdStart is 1 June 2027, 11:00 in the UK.
var hdStart = time.Date(2027, 6, 1, 10, 0, 0, 0, time.UTC)

type marketEnv struct {
	t     *testing.T
	ctx   context.Context
	st    *store.Store
	ts    *tenderstore.Store
	svc   *tenderservice.Service
	ob    *outbox.Outbox
	dash  *market.Service
	mu    sync.Mutex
	clock time.Time
}

func (v *marketEnv) now() time.Time     { v.mu.Lock(); defer v.mu.Unlock(); return v.clock }
func (v *marketEnv) setNow(t time.Time) { v.mu.Lock(); defer v.mu.Unlock(); v.clock = t }

func newMarketEnv(t *testing.T) *marketEnv { return newMarketEnvOn(t, testkit.Store(t)) }

func newMarketEnvOn(t *testing.T, st *store.Store) *marketEnv {
	v := &marketEnv{t: t, ctx: context.Background(), st: st, clock: hdStart}
	wf := &testkit.Workflows{}
	v.ts = tenderstore.New(st.Table())
	v.svc = tenderservice.New(st, v.ts, wf, v.now)
	proj := insightwire.New(st)
	v.ob = outbox.New(st, wf, v.now, slog.New(slog.NewTextHandler(io.Discard, nil))).WithInsight(proj)
	v.dash = market.NewService(proj, v.now)
	testkit.Must(t, st.PutOrganisation(v.ctx, &pathway.Organisation{ID: hdCouncil, Name: "Harrowdale Council", Kind: pathway.OrgCouncil}))
	for _, u := range hdUsers {
		testkit.Must(t, st.PutUser(v.ctx, u))
	}
	for id, form := range map[string]string{coopSoc: pathway.FormCooperativeSociety, coopCIC: pathway.FormCommunityInterest, coopPLC: pathway.FormPrivateCompany} {
		origin := pathway.OriginNewStart
		if form == pathway.FormPrivateCompany {
			origin = pathway.OriginConversion
		}
		co := &pathway.Coop{ID: id, Name: "Care Co-op " + id, Programme: "prog-x", LegalForm: form, Origin: origin,
			LocalAuthority: "Leeds", Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
			RegisterNumber: "7655R", Members: []pathway.Member{{Name: "Zephyr Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
			Founders: []string{"f-" + id}, Stage: pathway.StageCQCRegistered, StageEnteredAt: hdStart, CreatedAt: hdStart, UpdatedAt: hdStart}
		ev := &pathway.Event{ID: ulid.Make().String(), Coop: id, At: hdStart, Actor: "f-" + id, Action: "application.submitted", Summary: "Applied.", To: co.Stage}
		testkit.Must(t, st.CreateCoop(v.ctx, co, ev, nil))
	}
	return v
}

// tender creates a tender as the lead (£100,000, two lots of £60,000 and
// £40,000, closing on 11 June 2027), and publishes it unless draft.
func (v *marketEnv) tender(title string, draft bool) string {
	v.t.Helper()
	in := &tenderservice.TenderInput{Tender: tenders.Tender{
		Title: title, Description: "Care for adults in Harrowdale.",
		Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare}, Areas: []string{"Leeds"},
		Value: 100_000_00, Lots: []tenders.Lot{{ID: "north", Name: "North", Value: 60_000_00}, {ID: "south", Name: "South", Value: 40_000_00}},
		Procedure: tenders.ProcedureOpen, LightTouch: true, PriceScoring: tenders.PriceLowestProportional,
		Criteria: []tenders.Criterion{
			{ID: "care", Name: "Quality of care", Kind: tenders.KindQuality, Weight: 50},
			{ID: "price", Name: "Price", Kind: tenders.KindPrice, Weight: 30},
			{ID: "local", Name: "Local jobs", Kind: tenders.KindSocialValue, Weight: 20},
		},
		Term:             tenders.Term{Start: "2027-09-01", End: "2029-08-31"},
		QuestionsCloseAt: hdStart.Add(5 * 24 * time.Hour), TendersCloseAt: hdStart.Add(10 * 24 * time.Hour),
	}, Standstill: &tenders.Standstill{Applies: true, WorkingDays: 8}}
	tv, err := v.svc.CreateTender(v.ctx, hdUsers[hdLead], in)
	testkit.Must(v.t, err)
	if !draft {
		_, err = v.svc.Publish(v.ctx, hdUsers[hdLead], tv.ID)
		testkit.Must(v.t, err)
	}
	return tv.ID
}

// bid sends the co-op's bid for both lots, as its founder.
func (v *marketEnv) bid(tender, coop string) string {
	v.t.Helper()
	b, err := v.svc.Submit(v.ctx, hdUsers["f-"+coop], tenderservice.BidID("f-"+coop, ""), tenderservice.BidInput{
		Tender: tender, Coop: coop, Lots: []tenders.LotPrice{{Lot: "north", Price: 50_000_00}, {Lot: "south", Price: 30_000_00}},
		Responses: map[string]string{"care": "The same carers each week.", "local": "We hire in Harrowdale."}})
	testkit.Must(v.t, err)
	return b.ID
}

// change changes the stored tender as the workflow would, with an event
// on its trail (which asks for its refresh).
func (v *marketEnv) change(id string, fn func(t *tenders.Tender)) {
	v.t.Helper()
	td, err := v.ts.GetTender(v.ctx, id)
	testkit.Must(v.t, err)
	fn(td)
	ev := &pathway.Event{ID: ulid.Make().String(), Subject: tenders.Subject(id), At: v.now(), Actor: "workflow", Action: "tender.test", Summary: "Moved on."}
	testkit.Must(v.t, v.ts.UpdateTender(v.ctx, td, ev))
}

func (v *marketEnv) move(id string, path ...string) {
	v.t.Helper()
	for _, to := range path {
		v.change(id, func(t *tenders.Tender) { testkit.Must(v.t, tenders.Move(t, to, v.now())) })
	}
}

// sweep sends the insight deliveries, as the outbox does every few seconds.
func (v *marketEnv) sweep() {
	v.t.Helper()
	if _, err := v.ob.SweepInsight(v.ctx); err != nil {
		v.t.Fatal(err)
	}
}

func (v *marketEnv) report(u string) (*market.Report, error) {
	return v.dash.Report(v.ctx, hdUsers[u], hdCouncil, "")
}

// TestDashboardThroughTheProjector seeds five tenders and eight bids with
// known dates through the tenders service, refreshes them through the
// outbox and the projector, and checks every figure against the sums
// worked out by hand in the comments.
func TestDashboardThroughTheProjector(t *testing.T) {
	t.Run("embedded", func(t *testing.T) { dashboardThroughTheProjector(t, newMarketEnv(t)) })
	t.Run("dynamodb", func(t *testing.T) { dashboardThroughTheProjector(t, newMarketEnvOn(t, testkit.DynamoStore(t))) })
}

func dashboardThroughTheProjector(t *testing.T, v *marketEnv) {
	// T1 open: three bids, the private company withdraws → 2 bids, sealed.
	t1 := v.tender("Home care north", false)
	v.bid(t1, coopSoc)
	v.bid(t1, coopCIC)
	wd := v.bid(t1, coopPLC)
	// T2 evaluation: a bid from each kind.
	t2 := v.tender("Reablement", false)
	v.bid(t2, coopSoc)
	v.bid(t2, coopCIC)
	v.bid(t2, coopPLC)
	// T3 standstill to 24 June: the co-op alone.
	t3 := v.tender("Day care", false)
	b3 := v.bid(t3, coopSoc)
	// T4 contracted: north to the co-op (£60,000), south to the CIC (£40,000).
	t4 := v.tender("Supported living", false)
	b4a := v.bid(t4, coopSoc)
	b4b := v.bid(t4, coopCIC)
	// T5 a draft.
	v.tender("Advice and brokerage", true)
	v.sweep()

	// Before the deadline: 7 bids in T1 + T2 + T3 + T4 + a withdrawn one,
	// all sealed; nothing by kind.
	rep, err := v.report(hdLead)
	testkit.Must(t, err)
	if rep.Bids != (market.BidFigures{Total: 9, Sealed: 9}) || rep.Tenders != 5 {
		t.Fatalf("before the deadline: %d tenders, bids %+v; want 5 and 9 sealed", rep.Tenders, rep.Bids)
	}
	// The withdrawal is a bid's change: it must refresh its tender.
	_, err = v.svc.WithdrawBid(v.ctx, hdUsers["f-"+coopPLC], wd, "")
	testkit.Must(t, err)
	v.sweep()
	if rep, _ = v.report(hdLead); rep.Bids.Total != 8 {
		t.Fatalf("after a withdrawal: %d bids, want 8", rep.Bids.Total)
	}

	// 12 June: the deadline has passed for T2-T4.
	v.setNow(time.Date(2027, 6, 12, 9, 0, 0, 0, time.UTC))
	v.move(t2, tenders.StatusEvaluation)
	v.move(t3, tenders.StatusEvaluation, tenders.StatusModeration, tenders.StatusAward)
	v.change(t3, func(t *tenders.Tender) {
		t.Award = &tenders.Award{Lots: []tenders.LotAward{{Lot: "north", Bid: b3, Coop: coopSoc, TopRanked: true}}}
		t.Period = &tenders.StandstillPeriod{From: "2027-06-14", LastDay: "2027-06-24", EnterFrom: "2027-06-25"}
		testkit.Must(v.t, tenders.Move(t, tenders.StatusStandstill, v.now()))
	})
	v.move(t4, tenders.StatusEvaluation, tenders.StatusModeration, tenders.StatusAward, tenders.StatusContracting)
	v.change(t4, func(t *tenders.Tender) {
		t.Contract = &tenders.Contract{SignedOn: "2027-06-11", Start: "2027-09-01", End: "2029-08-31", NoticeDue: "2027-07-10",
			Lots: []tenders.ContractLot{{Lot: "north", Coop: coopSoc, Bid: b4a, Value: 60_000_00}, {Lot: "south", Coop: coopCIC, Bid: b4b, Value: 40_000_00}}}
		t.Notices = append(t.Notices, tenders.Notice{Type: tenders.NoticeContractDetails, Due: "2027-07-10"})
		testkit.Must(v.t, tenders.Move(t, tenders.StatusContracted, v.now()))
	})
	// T1 is still open (its deadline passed too, but the workflow has
	// not moved it): its 2 bids stay sealed.
	v.sweep()
	rep, err = v.report(hdLead)
	testkit.Must(t, err)

	if rep.Today != "2027-06-12" || rep.Tenders != 5 || rep.Value != 500_000_00 {
		t.Errorf("today %s, %d tenders worth %d; want 2027-06-12, 5, 50000000", rep.Today, rep.Tenders, rep.Value)
	}
	got := map[string]int64{}
	for _, s := range rep.ByStatus {
		got[s.Status] = s.Count
	}
	for st, n := range map[string]int64{"draft": 1, "open": 1, "evaluation": 1, "moderation": 0, "award": 0, "standstill": 1, "contracting": 0, "contracted": 1, "no-bids": 0, "cancelled": 0} {
		if got[st] != n {
			t.Errorf("%s: %d tenders, want %d", st, got[st], n)
		}
	}
	// Bids: T1 2 (sealed); T2 co-op, CIC, company; T3 co-op; T4 co-op, CIC.
	if want := (market.BidFigures{Total: 8, Sealed: 2, Coops: 3, OtherVCSE: 2, Others: 1}); rep.Bids != want {
		t.Errorf("bids %+v, want %+v", rep.Bids, want)
	}
	// T4's contract: £100,000, of which £60,000 to the co-op (60%).
	if want := (market.ContractFigures{Count: 1, Value: 100_000_00, CoopsAndMutual: 60_000_00, Percent: 60}); rep.Contracts != want {
		t.Errorf("contracts %+v, want %+v", rep.Contracts, want)
	}
	if want := []market.DayFigure{{Day: "2027-06-24", Count: 1}}; !slices.Equal(rep.Standstills, want) {
		t.Errorf("standstills %+v, want %+v", rep.Standstills, want)
	}
	if want := []market.DayFigure{{Day: "2027-07-10", Count: 1}}; !slices.Equal(rep.NoticesDue, want) {
		t.Errorf("notices due %+v, want %+v", rep.NoticesDue, want)
	}
	rows := map[string]market.TenderRow{}
	for _, r := range rep.TenderRows {
		rows[r.Title] = r
	}
	if r := rows["Home care north"]; !r.Sealed || r.Bids != 2 || r.Coops != nil {
		t.Errorf("T1 row %+v: want sealed, 2 bids, no kinds", r)
	}
	if r := rows["Reablement"]; r.Sealed || r.Bids != 3 || *r.Coops != 1 || *r.OtherVCSE != 1 || *r.Others != 1 {
		t.Errorf("T2 row %+v: want 1 of each kind", r)
	}
	if len(rep.TenderRows) != 5 || rep.NextPage != "" {
		t.Errorf("%d rows, next %q; want the 5 tenders on one page", len(rep.TenderRows), rep.NextPage)
	}

	// The standstill's last day passes and the notice is overdue on 11 July.
	v.setNow(time.Date(2027, 7, 11, 9, 0, 0, 0, time.UTC))
	rep, _ = v.report(hdLead)
	if len(rep.Standstills) != 0 || !slices.Equal(rep.NoticesDue, []market.DayFigure{{Day: "2027-07-10", Count: 1, Overdue: true}}) {
		t.Errorf("on 11 July: standstills %+v, notices %+v; want none running and one overdue", rep.Standstills, rep.NoticesDue)
	}
	// Publishing the notice takes it off; a repeated sweep adds nothing.
	v.change(t4, func(t *tenders.Tender) { t.Notices[len(t.Notices)-1].PublishedOn = "2027-07-11" })
	v.sweep()
	v.sweep()
	rep, _ = v.report(hdLead)
	if len(rep.NoticesDue) != 0 || rep.Tenders != 5 || rep.Bids.Total != 8 {
		t.Errorf("after publishing UK7: notices %+v, tenders %d, bids %d", rep.NoticesDue, rep.Tenders, rep.Bids.Total)
	}

	// Another council's staff may not read it.
	if _, err := v.report(hdOther); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
		t.Errorf("another council's lead: %v, want forbidden", err)
	}
	if _, err := v.report("f-" + coopSoc); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
		t.Errorf("a founder: %v, want forbidden", err)
	}
}

// TestTendersTablePages: the "bids per tender" table pages through the
// council's tenders, the latest deadline first, PageSize at a time, and a
// cursor that is not one of its pages is refused naming the field.
func TestTendersTablePages(t *testing.T) {
	v := newMarketEnv(t)
	n := market.PageSize + 2
	for i := range n {
		// Drafts, each closing a day later than the one before.
		id := v.tender(fmt.Sprintf("Tender %02d", i), true)
		v.change(id, func(t *tenders.Tender) { t.TendersCloseAt = hdStart.Add(time.Duration(10+i) * 24 * time.Hour) })
	}
	v.sweep()
	first, err := v.report(hdLead)
	testkit.Must(t, err)
	if first.Tenders != int64(n) || len(first.TenderRows) != market.PageSize || first.NextPage == "" {
		t.Fatalf("first page: %d tenders, %d rows, next %q", first.Tenders, len(first.TenderRows), first.NextPage)
	}
	if first.TenderRows[0].Title != fmt.Sprintf("Tender %02d", n-1) {
		t.Errorf("first row %q, want the latest deadline first", first.TenderRows[0].Title)
	}
	second, err := v.dash.Report(v.ctx, hdUsers[hdLead], hdCouncil, first.NextPage)
	testkit.Must(t, err)
	if len(second.TenderRows) != 2 || second.NextPage != "" || second.TenderRows[1].Title != "Tender 00" {
		t.Errorf("second page: %+v, next %q", second.TenderRows, second.NextPage)
	}
	_, err = v.dash.Report(v.ctx, hdUsers[hdLead], hdCouncil, "not-a-cursor")
	if pathway.ErrorCode(err) != pathway.EINVALID || pathway.ErrorFields(err)["cursor"] == "" {
		t.Errorf("a bad cursor: %v, want invalid naming cursor", err)
	}
}
