package market_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/insight/market"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct{ form, want string }{
		{pathway.FormCooperativeSociety, market.KindCoop},
		{pathway.FormCommunityBenefit, market.KindVCSE},
		{pathway.FormCommunityInterest, market.KindVCSE},
		{pathway.FormGuarantee, market.KindVCSE},
		{pathway.FormPrivateCompany, market.KindOther},
		{pathway.FormNotYetIncorporated, market.KindOther},
		{"", market.KindOther},
	} {
		if got := market.Classify(tc.form); got != tc.want {
			t.Errorf("Classify(%q) = %q, want %q", tc.form, got, tc.want)
		}
	}
}

// fakeTenders and fakeCoops hold the seeded records.
type fakeTenders struct {
	tenders map[string]*tenders.Tender
	bids    map[string][]*tenders.Bid
}

func (f *fakeTenders) GetTender(_ context.Context, id string) (*tenders.Tender, error) {
	t, ok := f.tenders[id]
	if !ok {
		return nil, pathway.NotFound("tender")
	}
	return t, nil
}

func (f *fakeTenders) ListBids(_ context.Context, id string) ([]*tenders.Bid, error) {
	return f.bids[id], nil
}

type fakeCoops map[string]string // ID → legal form

func (f fakeCoops) GetCoop(_ context.Context, id string) (*pathway.Coop, error) {
	form, ok := f[id]
	if !ok {
		return nil, pathway.NotFound("co-op")
	}
	return &pathway.Coop{ID: id, LegalForm: form}, nil
}

const (
	councilA = "org-council-a"
	councilB = "org-council-b"
)

// now is 10 July 2027, 13:00 in the UK.
var now = time.Date(2027, 7, 10, 12, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return d.Add(11 * time.Hour)
}

// seed returns the hand-worked market: council A has eight tenders, council
// B one (which must never show in A's figures).
func seed() (*fakeTenders, fakeCoops) {
	coops := fakeCoops{
		"c1": pathway.FormCooperativeSociety, "c2": pathway.FormCommunityBenefit, "c3": pathway.FormCommunityInterest,
		"c4": pathway.FormPrivateCompany, "c5": pathway.FormCooperativeSociety, "c6": pathway.FormGuarantee,
	}
	ft := &fakeTenders{tenders: map[string]*tenders.Tender{}, bids: map[string][]*tenders.Bid{}}
	add := func(t *tenders.Tender, bidders ...string) {
		for i, c := range bidders {
			st := tenders.BidSubmitted
			if strings.HasPrefix(c, "-") { // withdrawn
				c, st = c[1:], tenders.BidWithdrawn
			} else {
				t.Bids++
			}
			ft.bids[t.ID] = append(ft.bids[t.ID], &tenders.Bid{ID: t.ID + "-b" + string(rune('0'+i)), Tender: t.ID, Coop: c, Status: st})
		}
		ft.tenders[t.ID] = t
	}
	ukp := func(pounds int64) int64 { return pounds * 100 }
	add(&tenders.Tender{ID: "t1", Council: councilA, Title: "Home care north", Status: tenders.StatusOpen, Value: ukp(100_000), TendersCloseAt: day("2027-07-20")}, "c1", "c2", "-c3")
	add(&tenders.Tender{ID: "t2", Council: councilA, Title: "Reablement", Status: tenders.StatusEvaluation, Value: ukp(200_000), TendersCloseAt: day("2027-07-01")}, "c1", "c3", "c4")
	add(&tenders.Tender{ID: "t3", Council: councilA, Title: "Day care", Status: tenders.StatusStandstill, Value: ukp(300_000), TendersCloseAt: day("2027-06-01"),
		Period: &tenders.StandstillPeriod{From: "2027-07-01", LastDay: "2027-07-12", EnterFrom: "2027-07-13"}}, "c5", "c6")
	add(&tenders.Tender{ID: "t4", Council: councilA, Title: "Meals", Status: tenders.StatusStandstill, Value: ukp(60_000), TendersCloseAt: day("2027-05-20"),
		Period: &tenders.StandstillPeriod{From: "2027-06-28", LastDay: "2027-07-09", EnterFrom: "2027-07-10"}}, "c1")
	add(&tenders.Tender{ID: "t5", Council: councilA, Title: "Supported living", Status: tenders.StatusContracted, Value: ukp(200_000), TendersCloseAt: day("2027-04-01"),
		Contract: &tenders.Contract{Lots: []tenders.ContractLot{{Lot: "l1", Coop: "c5", Value: ukp(150_000)}, {Lot: "l2", Coop: "c2", Value: ukp(50_000)}}},
		Notices:  []tenders.Notice{{Type: tenders.NoticeContractDetails, Due: "2027-07-25"}}}, "c5", "c2", "c4")
	add(&tenders.Tender{ID: "t6", Council: councilA, Title: "Carers' breaks", Status: tenders.StatusContracted, Value: ukp(80_000), Reserved: true, TendersCloseAt: day("2027-03-01"),
		Contract: &tenders.Contract{Lots: []tenders.ContractLot{{Lot: "l1", Coop: "c3", Value: ukp(80_000)}}},
		Notices:  []tenders.Notice{{Type: tenders.NoticeContractDetails, PublishedOn: "2027-04-02"}}}, "c3")
	add(&tenders.Tender{ID: "t7", Council: councilA, Title: "Telecare", Status: tenders.StatusContracted, Value: ukp(40_000), TendersCloseAt: day("2027-02-01"),
		Contract: &tenders.Contract{Lots: []tenders.ContractLot{{Lot: "l1", Coop: "c4", Value: ukp(40_000)}}},
		Notices:  []tenders.Notice{{Type: tenders.NoticeContractDetails, Due: "2027-07-05"}}}, "c4", "c1")
	add(&tenders.Tender{ID: "t8", Council: councilA, Title: "Advice", Status: tenders.StatusDraft, Value: ukp(10_000), TendersCloseAt: day("2027-08-01")})
	add(&tenders.Tender{ID: "t9", Council: councilB, Title: "Elsewhere", Status: tenders.StatusContracted, Value: ukp(999_000), TendersCloseAt: day("2027-01-01"),
		Contract: &tenders.Contract{Lots: []tenders.ContractLot{{Lot: "l1", Coop: "c1", Value: ukp(999_000)}}}}, "c1")
	return ft, coops
}

// memReader is an insight.Reader that keeps every subject's facts and
// sums their contributions, as the projector's cells hold them.
type memReader struct {
	src   *market.Source
	facts map[string]json.RawMessage
}

func project(t *testing.T, src *market.Source, ids ...string) *memReader {
	t.Helper()
	m := &memReader{src: src, facts: map[string]json.RawMessage{}}
	for _, id := range ids {
		f, err := src.Next(context.Background(), id, nil, now)
		if err != nil {
			t.Fatal(err)
		}
		m.facts[id] = f
	}
	return m
}

func (m *memReader) Cells(_ context.Context, scope string, keys ...string) (map[string]insight.Counters, error) {
	sum := insight.Contribution{}
	for _, f := range m.facts {
		c, err := m.src.Contribute(f)
		if err != nil {
			return nil, err
		}
		for cell, cs := range c {
			for n, v := range cs {
				sum.Add(cell, n, v)
			}
		}
	}
	out := map[string]insight.Counters{}
	for _, k := range keys {
		if cs, ok := sum[insight.Cell{Scope: scope, Key: k}]; ok {
			out[k] = cs
		}
	}
	return out, nil
}

func (m *memReader) Facts(_ context.Context, _, id string) (json.RawMessage, error) {
	return m.facts[id], nil
}

func (m *memReader) List(_ context.Context, q insight.ListQuery) (*insight.FactPage, error) {
	type kv struct {
		sk string
		f  json.RawMessage
	}
	var all []kv
	for _, f := range m.facts {
		ix := m.src.Index(f)
		if ix.GSI1PK == q.PK {
			all = append(all, kv{ix.GSI1SK, f})
		}
	}
	slices.SortFunc(all, func(a, b kv) int { return strings.Compare(b.sk, a.sk) })
	p := &insight.FactPage{}
	for _, e := range all {
		p.Facts = append(p.Facts, e.f)
	}
	return p, nil
}

var allIDs = []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "missing"}

func TestReportFiguresWorkedByHand(t *testing.T) {
	ft, coops := seed()
	src := market.NewSource(ft, coops)
	svc := market.NewService(project(t, src, allIDs...), func() time.Time { return now })
	lead := &pathway.User{ID: "u-lead", Role: pathway.RoleCommissioner, Organisation: councilA, Lead: true}
	rep, err := svc.Report(context.Background(), lead, councilA, "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Today != "2027-07-10" || rep.Tenders != 8 || rep.Value != 990_000_00 {
		t.Errorf("today, tenders, value = %s, %d, %d; want 2027-07-10, 8, 99000000", rep.Today, rep.Tenders, rep.Value)
	}
	byStatus := map[string]int64{}
	for _, s := range rep.ByStatus {
		byStatus[s.Status] = s.Count
	}
	want := map[string]int64{"draft": 1, "open": 1, "evaluation": 1, "standstill": 2, "contracted": 3}
	for _, st := range tenders.Statuses {
		if byStatus[st.Code] != want[st.Code] {
			t.Errorf("status %s: %d tenders, want %d", st.Code, byStatus[st.Code], want[st.Code])
		}
	}
	if len(rep.ByStatus) != len(tenders.Statuses) {
		t.Errorf("%d statuses listed, want every one (%d)", len(rep.ByStatus), len(tenders.Statuses))
	}
	// 14 bids in: 2 sealed (t1 open), then by kind 5 co-ops, 4 other VCSE, 3 others.
	if got := (market.BidFigures{Total: 14, Sealed: 2, Coops: 5, OtherVCSE: 4, Others: 3}); rep.Bids != got {
		t.Errorf("bids = %+v, want %+v", rep.Bids, got)
	}
	// Contracts t5 (£200,000; £150,000 to co-op c5), t6 (reserved: £80,000
	// to a mutual) and t7 (£40,000 to a private company): 230/320 = 71%.
	if got := (market.ContractFigures{Count: 3, Value: 320_000_00, CoopsAndMutual: 230_000_00, Percent: 71}); rep.Contracts != got {
		t.Errorf("contracts = %+v, want %+v", rep.Contracts, got)
	}
	// t3's standstill runs to 12 July; t4's ended on 9 July.
	if want := []market.DayFigure{{Day: "2027-07-12", Count: 1}}; !slices.Equal(rep.Standstills, want) {
		t.Errorf("standstills = %+v, want %+v", rep.Standstills, want)
	}
	// UK7 for t7 was due 5 July (overdue), for t5 is due 25 July; t6's is published.
	if want := []market.DayFigure{{Day: "2027-07-05", Count: 1, Overdue: true}, {Day: "2027-07-25", Count: 1}}; !slices.Equal(rep.NoticesDue, want) {
		t.Errorf("notices due = %+v, want %+v", rep.NoticesDue, want)
	}
	if rep.StandstillsRunning != 1 || rep.NoticesDueCount != 2 || rep.NoticesOverdue != 1 {
		t.Errorf("standstills running %d, notices due %d (overdue %d); want 1, 2 (1)", rep.StandstillsRunning, rep.NoticesDueCount, rep.NoticesOverdue)
	}
	var order []string
	for _, r := range rep.TenderRows {
		order = append(order, r.ID)
	}
	if want := []string{"t8", "t1", "t2", "t3", "t4", "t5", "t6", "t7"}; !slices.Equal(order, want) {
		t.Errorf("rows = %v, want %v (latest deadline first, council A only)", order, want)
	}
}

func TestSealedRowsShowOnlyTheCount(t *testing.T) {
	ft, coops := seed()
	svc := market.NewService(project(t, market.NewSource(ft, coops), allIDs...), func() time.Time { return now })
	rep, err := svc.Report(context.Background(), &pathway.User{ID: "u", Role: pathway.RoleCommissioner, Organisation: councilA}, councilA, "")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]market.TenderRow{}
	for _, r := range rep.TenderRows {
		rows[r.ID] = r
	}
	t1 := rows["t1"]
	if !t1.Sealed || t1.Bids != 2 || t1.Coops != nil || t1.OtherVCSE != nil || t1.Others != nil {
		t.Errorf("open tender's row = %+v, want sealed with 2 bids and no kinds", t1)
	}
	b, _ := json.Marshal(t1)
	for _, leak := range []string{"coops", "otherVCSE", "others", "c1", "c2"} {
		if strings.Contains(string(b), `"`+leak+`"`) {
			t.Errorf("sealed row's JSON %s holds %q", b, leak)
		}
	}
	t2 := rows["t2"]
	if t2.Sealed || t2.Coops == nil || *t2.Coops != 1 || *t2.OtherVCSE != 1 || *t2.Others != 1 {
		t.Errorf("evaluated tender's row = %+v, want 1 co-op, 1 VCSE, 1 other", t2)
	}
	t5 := rows["t5"]
	if t5.Contracted != 200_000_00 || t5.ToCoopsMutuals != 150_000_00 || t5.UK7Due != "2027-07-25" {
		t.Errorf("t5 row = %+v", t5)
	}
	// Still open after its deadline (the workflow has not moved it yet): sealed.
	late := market.NewService(project(t, market.NewSource(ft, coops), "t1"), func() time.Time { return day("2027-07-21") })
	rep, err = late.Report(context.Background(), &pathway.User{ID: "u", Role: pathway.RoleCommissioner, Organisation: councilA}, councilA, "")
	if err != nil || !rep.TenderRows[0].Sealed || rep.Bids.Sealed != 2 {
		t.Errorf("open tender past its deadline: %+v, %v; want sealed", rep, err)
	}
}

func TestOnlyTheCouncilsStaff(t *testing.T) {
	ft, coops := seed()
	svc := market.NewService(project(t, market.NewSource(ft, coops), allIDs...), func() time.Time { return now })
	for _, u := range []*pathway.User{
		nil,
		{ID: "u-b", Role: pathway.RoleCommissioner, Organisation: councilB},
		{ID: "u-agency", Role: pathway.RoleAgency, Organisation: councilA},
		{ID: "u-founder", Role: pathway.RoleFounder},
	} {
		if _, err := svc.Report(context.Background(), u, councilA, ""); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
			t.Errorf("user %+v: err %v, want forbidden", u, err)
		}
	}
	rep, err := svc.Report(context.Background(), &pathway.User{ID: "u-b", Role: pathway.RoleCommissioner, Organisation: councilB}, councilB, "")
	if err != nil || rep.Tenders != 1 || rep.Contracts.CoopsAndMutual != 999_000_00 || len(rep.TenderRows) != 1 {
		t.Errorf("council B = %+v, %v; want its one tender, to a co-op", rep, err)
	}
}

func TestUnsealingAndWithdrawingMoveTheCells(t *testing.T) {
	ft, coops := seed()
	src := market.NewSource(ft, coops)
	ctx := context.Background()
	before, _ := src.Next(ctx, "t1", nil, now)
	// The deadline passes: the bids are opened for evaluation.
	ft.tenders["t1"].Status = tenders.StatusEvaluation
	after, _ := src.Next(ctx, "t1", before, now)
	cb, _ := src.Contribute(before)
	ca, _ := src.Contribute(after)
	d := insight.Diff(cb, ca)
	all := insight.Cell{Scope: councilA, Key: market.KeyAll}
	if got := d[all]; got[market.CountBidsCoop] != 1 || got[market.CountBidsVCSE] != 1 || got[market.CountBids] != 0 ||
		got[market.StatusCount("open")] != -1 || got[market.StatusCount("evaluation")] != 1 {
		t.Errorf("diff of * = %v", got)
	}
	if got := d[insight.Cell{Scope: councilA, Key: market.StatusKey("open")}]; got[market.CountTenders] != -1 || got[market.CountBids] != -2 {
		t.Errorf("diff of s=open = %v", got)
	}
	if again := insight.Diff(ca, ca); len(again) != 0 {
		t.Errorf("the same facts twice differ: %v", again)
	}
}

func TestNextOfAMissingTenderIsNothing(t *testing.T) {
	ft, coops := seed()
	src := market.NewSource(ft, coops)
	f, err := src.Next(context.Background(), "missing", nil, now)
	if err != nil || f != nil {
		t.Fatalf("Next(missing) = %s, %v", f, err)
	}
	c, err := src.Contribute(nil)
	if err != nil || len(c) != 0 {
		t.Errorf("Contribute(nil) = %v, %v", c, err)
	}
	if src.Kind() != pathway.SubjectTender {
		t.Errorf("Kind = %q", src.Kind())
	}
	if ix := src.Index(nil); ix != (insight.Index{}) {
		t.Errorf("Index(nil) = %+v", ix)
	}
}

// TestCancelledBeforeTheDeadlineStaysSealed: a tender cancelled while open
// never opened its bids, so the dashboard never tells who bid; one
// cancelled after its deadline (in evaluation) is open like the others.
func TestCancelledBeforeTheDeadlineStaysSealed(t *testing.T) {
	ft, coops := seed()
	src := market.NewSource(ft, coops)
	all := insight.Cell{Scope: councilA, Key: market.KeyAll}
	for _, tc := range []struct {
		tender string
		at     time.Time
		coops  int64
	}{
		{"t1", day("2027-07-15"), 0}, // deadline 20 July: sealed for good
		{"t2", day("2027-07-05"), 1}, // deadline 1 July: opened
	} {
		ft.tenders[tc.tender].Status = tenders.StatusCancelled
		ft.tenders[tc.tender].Cancellation = &tenders.Cancellation{Reason: "No longer needed.", At: tc.at}
		f, err := src.Next(context.Background(), tc.tender, nil, now)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := src.Contribute(f)
		if got := c[all][market.CountBidsCoop]; got != tc.coops {
			t.Errorf("%s cancelled on %s: %d co-op bids counted, want %d", tc.tender, tc.at.Format(time.DateOnly), got, tc.coops)
		}
		if c[all][market.CountBids] == 0 {
			t.Errorf("%s: its bids are not counted at all", tc.tender)
		}
	}
}
