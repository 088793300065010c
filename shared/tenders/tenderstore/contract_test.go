package tenderstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/oklog/ulid/v2"
)

// run runs the contract suite as subtests, one after another; open
// returns a fresh, empty table.
func run(t *testing.T, open func(t *testing.T) table.Table) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, tb table.Table, s *tenderstore.Store)
	}{
		{"CreateTenderIdempotent", testCreateTender},
		{"UpdateTender", testUpdateTender},
		{"PublishWithItsStart", testPublishWithStart},
		{"TenderLists", testTenderLists},
		{"CreateBid", testCreateBid},
		{"BidsOnlyWhileOpen", testBidsOnlyWhileOpen},
		{"UpdateAndWithdrawBid", testUpdateAndWithdrawBid},
		{"ListBids", testListBids},
		{"ConcurrentBidsNeverLoseACount", testConcurrentBids},
		{"DeclarationsAndEvaluations", testEvaluations},
		{"Questions", testQuestions},
		{"Summaries", testSummaries},
		{"ConcurrentTenderUpdatesNeverLost", testConcurrentTenderUpdates},
		{"ContractRefreshesItsCoops", testContractRefreshesItsCoops},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := open(t)
			tc.fn(t, tb, tenderstore.New(tb))
		})
	}
}

var ctx = context.Background()

// base carries nanoseconds, so a store that rounds times fails.
var base = time.Date(2027, 3, 1, 9, 15, 0, 123456789, time.UTC)

func at(n int) time.Time { return base.Add(time.Duration(n) * time.Minute) }

// deadline is the tenders' deadline for bids, a week after base.
var deadline = base.Add(7 * 24 * time.Hour)

func tender(id, council string) *tenders.Tender {
	return &tenders.Tender{
		ID: id, Council: council, Title: "Home care in Exampleshire " + id,
		Description: "Home care for adults in the north of the county.",
		Services:    []string{"home-care"}, RegulatedActivities: []string{"personal-care"},
		Areas: []string{"Exampleshire"}, Value: 50_000_000,
		Lots:      []tenders.Lot{{ID: "north", Name: "North", Value: 30_000_000}, {ID: "south", Name: "South", Value: 20_000_000}},
		Procedure: tenders.ProcedureOpen, LightTouch: true,
		Criteria: []tenders.Criterion{
			{ID: "quality", Name: "Quality of care", Kind: tenders.KindQuality, Weight: 60},
			{ID: "price", Name: "Price", Kind: tenders.KindPrice, Weight: 30},
			{ID: "social", Name: "Social value", Kind: tenders.KindSocialValue, Weight: 10},
		},
		Term:             tenders.Term{Start: "2027-06-01", End: "2030-05-31"},
		QuestionsCloseAt: base.Add(3 * 24 * time.Hour), TendersCloseAt: deadline,
		Standstill: tenders.Standstill{Applies: true, WorkingDays: 8},
		Evaluators: []string{"user-eva", "user-evan"},
		Status:     tenders.StatusDraft, CreatedBy: "user-lead", CreatedAt: base, UpdatedAt: base,
	}
}

// openTender stores a tender open for bids.
func openTender(t *testing.T, s *tenderstore.Store, id string) *tenders.Tender {
	t.Helper()
	tn := tender(id, "org-council")
	tn.Status, tn.PublishedAt = tenders.StatusOpen, base
	must(t, s.CreateTender(ctx, tn, nil))
	return tn
}

func bid(id, tenderID, coop string, created time.Time) *tenders.Bid {
	return &tenders.Bid{
		ID: id, Tender: tenderID, Council: "org-council", Coop: coop, Bidder: "user-founder",
		Lots:      []tenders.LotPrice{{Lot: "north", Price: 29_000_000}},
		Responses: map[string]string{"quality": "We train every carer.", "social": "We hire locally."},
		Status:    tenders.BidSubmitted, CreatedAt: created, UpdatedAt: created,
	}
}

func event(sub pathway.Subject, action string) *pathway.Event {
	return &pathway.Event{ID: ulid.Make().String(), Subject: sub, At: base,
		Actor: "user-1", Action: action, Summary: "Something happened."}
}

// events counts the subject's audit trail, as shared/store reads it.
func events(t *testing.T, tb table.Table, sub pathway.Subject) []string {
	t.Helper()
	page, err := store.New(tb).ListEvents(ctx, sub, "", 100)
	must(t, err)
	var out []string
	for _, e := range page.Events {
		out = append(out, e.Action)
	}
	return out
}

func getTender(t *testing.T, s *tenderstore.Store, id string) *tenders.Tender {
	t.Helper()
	got, err := s.GetTender(ctx, id)
	must(t, err)
	return got
}

func testCreateTender(t *testing.T, tb table.Table, s *tenderstore.Store) {
	tn := tender("t-1", "org-council")
	must(t, s.CreateTender(ctx, tn, event(tenders.Subject("t-1"), "tender.created")))
	if tn.Version != 1 {
		t.Fatalf("version = %d", tn.Version)
	}
	got := getTender(t, s, "t-1")
	if got.Title != tn.Title || !got.CreatedAt.Equal(base) || !got.TendersCloseAt.Equal(deadline) || len(got.Lots) != 2 || got.Version != 1 {
		t.Fatalf("got %+v", got)
	}
	retry := tender("t-1", "org-council")
	retry.Title = "A retry with other words"
	must(t, s.CreateTender(ctx, retry, event(tenders.Subject("t-1"), "tender.created")))
	if retry.Title != tn.Title || retry.Version != 1 {
		t.Fatalf("retry returned %+v, want the first", retry)
	}
	wantCode(t, s.CreateTender(ctx, tender("t-1", "org-other-council"), nil), pathway.ECONFLICT)
	if ev := events(t, tb, tenders.Subject("t-1")); len(ev) != 1 || ev[0] != "tender.created" {
		t.Errorf("events = %v", ev)
	}

	bad := tender("t-2", "org-council")
	bad.Procedure = "restricted"
	wantCode(t, s.CreateTender(ctx, bad, nil), pathway.EINVALID)
	wrongTrail := tender("t-3", "org-council")
	wantCode(t, s.CreateTender(ctx, wrongTrail, event(tenders.Subject("t-other"), "tender.created")), pathway.EINVALID)
	hash := tender("t#4", "org-council")
	wantCode(t, s.CreateTender(ctx, hash, nil), pathway.EINVALID)
	for _, id := range []string{"t-2", "t-3", "t#4"} {
		_, err := s.GetTender(ctx, id)
		wantCode(t, err, pathway.ENOTFOUND)
	}
}

func testUpdateTender(t *testing.T, tb table.Table, s *tenderstore.Store) {
	tn := tender("t-1", "org-council")
	must(t, s.CreateTender(ctx, tn, nil))
	stale := *tn
	tn.Title = "Home care, north and south"
	must(t, s.UpdateTender(ctx, tn, event(tenders.Subject("t-1"), "tender.changed")))
	if tn.Version != 2 {
		t.Fatalf("version = %d", tn.Version)
	}
	stale.Description = "Lost"
	wantCode(t, s.UpdateTender(ctx, &stale, event(tenders.Subject("t-1"), "tender.lost")), pathway.ECONFLICT)

	counted := *tn
	counted.Bids = 3 // counts move only with bids
	wantCode(t, s.UpdateTender(ctx, &counted, nil), pathway.EINTERNAL)
	moved := *tn
	moved.Council = "org-other"
	wantCode(t, s.UpdateTender(ctx, &moved, nil), pathway.EINTERNAL)

	got := getTender(t, s, "t-1")
	if got.Title != "Home care, north and south" || got.Description == "Lost" || got.Version != 2 || got.Bids != 0 {
		t.Errorf("stored %+v", got)
	}
	if ev := events(t, tb, tenders.Subject("t-1")); len(ev) != 1 || ev[0] != "tender.changed" {
		t.Errorf("events = %v, want only the change stored", ev)
	}
	wantCode(t, s.UpdateTender(ctx, tender("t-none", "org-council"), nil), pathway.ENOTFOUND)
}

// testPublishWithStart: publishing stores the workflow's start with the
// tender, where shared/store's outbox finds it; a refused update stores
// none.
func testPublishWithStart(t *testing.T, tb table.Table, s *tenderstore.Store) {
	st := store.New(tb)
	start := func() *pathway.Delivery {
		return &pathway.Delivery{ID: ulid.Make().String(), Kind: pathway.DeliverStart, Subject: tenders.Subject("t-1"),
			StateMachine: pathway.WorkflowTender, Name: "tender-t-1", Payload: json.RawMessage(`{"tender":"t-1"}`), By: "user-lead", CreatedAt: base}
	}
	tn := tender("t-1", "org-council")
	must(t, s.CreateTender(ctx, tn, nil))
	stale := *tn
	tn.Status, tn.PublishedAt = tenders.StatusOpen, at(1) // tenders.Move is the caller's
	tn.Notices = []tenders.Notice{{Type: tenders.NoticeTender, PublishedOn: "2027-03-01"}}
	must(t, s.UpdateTender(ctx, tn, event(tenders.Subject("t-1"), "tender.published"), tenderstore.WithDelivery(start())))
	pending, err := st.PendingDeliveries(ctx, 10)
	must(t, err)
	if len(pending) != 1 || pending[0].StateMachine != pathway.WorkflowTender || pending[0].Name != "tender-t-1" {
		t.Fatalf("pending = %+v", pending)
	}
	must(t, st.FinishDelivery(ctx, pending[0], nil))
	stale.Status = tenders.StatusOpen
	wantCode(t, s.UpdateTender(ctx, &stale, nil, tenderstore.WithDelivery(start())), pathway.ECONFLICT)
	if pending, _ = st.PendingDeliveries(ctx, 10); len(pending) != 0 {
		t.Errorf("a refused publish stored a start: %+v", pending)
	}
	if got := getTender(t, s, "t-1"); got.Status != tenders.StatusOpen || len(got.Notices) != 1 || !got.PublishedAt.Equal(at(1)) {
		t.Errorf("stored %+v", got)
	}
}

func ids(ts []*tenders.Tender) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return strings.Join(out, ",")
}

func testTenderLists(t *testing.T, _ table.Table, s *tenderstore.Store) {
	mk := func(id, council, status string, created time.Time, closes time.Time) {
		tn := tender(id, council)
		tn.Status, tn.CreatedAt, tn.TendersCloseAt = status, created, closes
		must(t, s.CreateTender(ctx, tn, nil))
	}
	mk("t-a", "org-council", tenders.StatusOpen, at(1), deadline.Add(3*time.Hour))
	mk("t-b", "org-council", tenders.StatusDraft, at(2), deadline)
	mk("t-c", "org-council", tenders.StatusOpen, at(3), deadline.Add(time.Hour))
	mk("t-d", "org-other", tenders.StatusOpen, at(4), deadline.Add(2*time.Hour))
	mk("t-e", "org-council", tenders.StatusEvaluation, at(5), deadline)
	all := func(list func(cursor string) (*tenderstore.TenderPage, error)) string {
		var out []*tenders.Tender
		cursor := ""
		for {
			p, err := list(cursor)
			must(t, err)
			if len(p.Tenders) > 2 {
				t.Fatalf("page of %d", len(p.Tenders))
			}
			out = append(out, p.Tenders...)
			if cursor = p.Next; cursor == "" {
				return ids(out)
			}
		}
	}
	council := func(cursor string) (*tenderstore.TenderPage, error) {
		return s.ListCouncilTenders(ctx, "org-council", cursor, 2)
	}
	open := func(cursor string) (*tenderstore.TenderPage, error) { return s.ListOpenTenders(ctx, cursor, 2) }
	eventually(t, "council's tenders, newest first", func() bool { return all(council) == "t-e,t-c,t-b,t-a" })
	eventually(t, "open tenders, closing soonest first", func() bool { return all(open) == "t-c,t-d,t-a" })

	c := getTender(t, s, "t-c")
	c.Status = tenders.StatusEvaluation
	must(t, s.UpdateTender(ctx, c, nil))
	eventually(t, "a status change moves lists", func() bool {
		p, err := s.ListTendersByStatus(ctx, tenders.StatusEvaluation, "", 0)
		must(t, err)
		return all(open) == "t-d,t-a" && ids(p.Tenders) == "t-e,t-c"
	})
	_, err := s.ListTendersByStatus(ctx, "pending", "", 0)
	wantCode(t, err, pathway.EINVALID)
	_, err = s.ListOpenTenders(ctx, "not-a-cursor", 2)
	wantCode(t, err, pathway.EINVALID)
	_, err = s.ListCouncilTenders(ctx, "org-council", "", -1)
	wantCode(t, err, pathway.EINVALID)
	p, err := s.ListCouncilTenders(ctx, "org-nobody", "", 0)
	must(t, err)
	if len(p.Tenders) != 0 || p.Next != "" {
		t.Errorf("unknown council: %+v", p)
	}
}

func testCreateBid(t *testing.T, tb table.Table, s *tenderstore.Store) {
	openTender(t, s, "t-1")
	b := bid("bid-1", "t-1", "coop-1", at(1))
	must(t, s.CreateBid(ctx, b, event(tenders.BidSubject("bid-1"), "bid.submitted")))
	if b.Version != 1 {
		t.Fatalf("version = %d", b.Version)
	}
	if tn := getTender(t, s, "t-1"); tn.Bids != 1 || tn.Version != 2 {
		t.Fatalf("tender after a bid: %d bids at version %d", tn.Bids, tn.Version)
	}
	got, err := s.GetBid(ctx, "bid-1")
	must(t, err)
	if got.Responses["quality"] != "We train every carer." || !got.CreatedAt.Equal(at(1)) || got.Lots[0].Price != 29_000_000 {
		t.Errorf("got %+v", got)
	}
	// A retry, even after the deadline, finds the first and counts nothing.
	retry := bid("bid-1", "t-1", "coop-1", deadline.Add(time.Hour))
	retry.Responses = map[string]string{"quality": "Other words"}
	must(t, s.CreateBid(ctx, retry, event(tenders.BidSubject("bid-1"), "bid.submitted")))
	if retry.Responses["quality"] != "We train every carer." || retry.Version != 1 {
		t.Fatalf("retry returned %+v, want the first", retry)
	}
	if tn := getTender(t, s, "t-1"); tn.Bids != 1 {
		t.Fatalf("a retried bid counted again: %d", tn.Bids)
	}
	wantCode(t, s.CreateBid(ctx, bid("bid-1", "t-1", "coop-2", at(2)), nil), pathway.ECONFLICT)
	// One bid in per co-op.
	wantCode(t, s.CreateBid(ctx, bid("bid-2", "t-1", "coop-1", at(2)), nil), pathway.ECONFLICT)
	if ev := events(t, tb, tenders.BidSubject("bid-1")); len(ev) != 1 || ev[0] != "bid.submitted" {
		t.Errorf("bid's events = %v", ev)
	}
	// The event may be on the tender's trail instead (a bid came in).
	must(t, s.CreateBid(ctx, bid("bid-3", "t-1", "coop-3", at(3)), event(tenders.Subject("t-1"), "tender.bid-received")))
	if ev := events(t, tb, tenders.Subject("t-1")); len(ev) != 1 || ev[0] != "tender.bid-received" {
		t.Errorf("tender's events = %v", ev)
	}
	wantCode(t, s.CreateBid(ctx, bid("bid-4", "t-1", "coop-4", at(4)), event(tenders.BidSubject("bid-9"), "bid.submitted")), pathway.EINVALID)
	noTime := bid("bid-5", "t-1", "coop-5", time.Time{})
	wantCode(t, s.CreateBid(ctx, noTime, nil), pathway.EINVALID)
	for _, id := range []string{"bid-2", "bid-4", "bid-5"} {
		_, err := s.GetBid(ctx, id)
		wantCode(t, err, pathway.ENOTFOUND)
	}
	if tn := getTender(t, s, "t-1"); tn.Bids != 2 {
		t.Errorf("bids = %d, want 2", tn.Bids)
	}
}

// testBidsOnlyWhileOpen: a bid for a tender not open, or after its
// deadline, or for another council is refused naming the field, and
// counts nothing.
func testBidsOnlyWhileOpen(t *testing.T, _ table.Table, s *tenderstore.Store) {
	tn := openTender(t, s, "t-1")
	must(t, s.CreateTender(ctx, tender("t-draft", "org-council"), nil))
	field := func(err error, name string) {
		t.Helper()
		wantCode(t, err, pathway.EINVALID)
		if pathway.ErrorFields(err)[name] == "" {
			t.Errorf("error %v does not name %s", err, name)
		}
	}
	field(s.CreateBid(ctx, bid("bid-d", "t-draft", "coop-1", at(1)), nil), "tender")
	field(s.CreateBid(ctx, bid("bid-late", "t-1", "coop-1", deadline), nil), "tender")
	field(s.CreateBid(ctx, bid("bid-none", "t-none", "coop-1", at(1)), nil), "tender")
	other := bid("bid-o", "t-1", "coop-1", at(1))
	other.Council = "org-other"
	field(s.CreateBid(ctx, other, nil), "council")

	// The workflow closes the tender (tenders.Move is the caller's; by hand here).
	tn.Status = tenders.StatusEvaluation
	must(t, s.UpdateTender(ctx, tn, nil))
	field(s.CreateBid(ctx, bid("bid-c", "t-1", "coop-1", at(2)), nil), "tender")
	if got := getTender(t, s, "t-1"); got.Bids != 0 {
		t.Errorf("refused bids counted: %d", got.Bids)
	}
	for _, id := range []string{"bid-d", "bid-late", "bid-o", "bid-c"} {
		_, err := s.GetBid(ctx, id)
		wantCode(t, err, pathway.ENOTFOUND)
	}
}

func testUpdateAndWithdrawBid(t *testing.T, tb table.Table, s *tenderstore.Store) {
	openTender(t, s, "t-1")
	b := bid("bid-1", "t-1", "coop-1", at(1))
	must(t, s.CreateBid(ctx, b, nil))
	must(t, s.CreateBid(ctx, bid("bid-2", "t-1", "coop-2", at(2)), nil))
	stale := *b
	b.Lots[0].Price, b.UpdatedAt = 28_000_000, at(3)
	must(t, s.UpdateBid(ctx, b, event(tenders.BidSubject("bid-1"), "bid.changed")))
	if b.Version != 2 {
		t.Fatalf("version = %d", b.Version)
	}
	stale.Responses = map[string]string{"quality": "Lost"}
	wantCode(t, s.UpdateBid(ctx, &stale, nil), pathway.ECONFLICT)
	sneak := *b
	sneak.Status = tenders.BidWithdrawn // withdrawing moves the count: WithdrawBid
	wantCode(t, s.UpdateBid(ctx, &sneak, nil), pathway.EINTERNAL)
	moved := *b
	moved.Coop = "coop-9"
	wantCode(t, s.UpdateBid(ctx, &moved, nil), pathway.EINTERNAL)

	// Withdrawn (tenders.MoveBid is the caller's; by hand here).
	w := *b
	w.Status, w.UpdatedAt = tenders.BidWithdrawn, at(4)
	retry := w
	must(t, s.WithdrawBid(ctx, &w, event(tenders.BidSubject("bid-1"), "bid.withdrawn")))
	if w.Version != 3 {
		t.Fatalf("withdrawn at version %d", w.Version)
	}
	if tn := getTender(t, s, "t-1"); tn.Bids != 1 {
		t.Fatalf("bids after a withdrawal = %d, want 1", tn.Bids)
	}
	must(t, s.WithdrawBid(ctx, &retry, event(tenders.BidSubject("bid-1"), "bid.withdrawn")))
	if retry.Version != 3 || getTender(t, s, "t-1").Bids != 1 {
		t.Fatalf("a retried withdrawal counted again")
	}
	if _, err := s.CoopBid(ctx, "t-1", "coop-1"); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("a withdrawn bid is still the co-op's live bid: %v", err)
	}
	// The co-op may bid again.
	must(t, s.CreateBid(ctx, bid("bid-3", "t-1", "coop-1", at(5)), nil))
	live, err := s.CoopBid(ctx, "t-1", "coop-1")
	must(t, err)
	if live.ID != "bid-3" || getTender(t, s, "t-1").Bids != 2 {
		t.Errorf("live bid %s, bids %d", live.ID, getTender(t, s, "t-1").Bids)
	}
	if ev := events(t, tb, tenders.BidSubject("bid-1")); strings.Join(ev, ",") != "bid.changed,bid.withdrawn" {
		t.Errorf("events = %v", ev)
	}

	// After the deadline, or once closed, a bid cannot be withdrawn.
	b2, err := s.GetBid(ctx, "bid-2")
	must(t, err)
	late := *b2
	late.Status, late.UpdatedAt = tenders.BidWithdrawn, deadline
	wantCode(t, s.WithdrawBid(ctx, &late, nil), pathway.ECONFLICT)
	tn := getTender(t, s, "t-1")
	tn.Status = tenders.StatusEvaluation
	must(t, s.UpdateTender(ctx, tn, nil))
	closed := *b2
	closed.Status, closed.UpdatedAt = tenders.BidWithdrawn, at(6)
	wantCode(t, s.WithdrawBid(ctx, &closed, nil), pathway.ECONFLICT)
	if got := getTender(t, s, "t-1"); got.Bids != 2 {
		t.Errorf("bids = %d after refused withdrawals, want 2", got.Bids)
	}
	// The workflow's later changes of a bid are plain updates.
	b2.Status = tenders.BidAssessed
	b2.Agreed = &tenders.Moderation{Scores: map[string]int{"quality": 4, "social": 3}, Reasons: map[string]string{"quality": "Clear", "social": "Local"}}
	must(t, s.UpdateBid(ctx, b2, nil))
}

func testListBids(t *testing.T, _ table.Table, s *tenderstore.Store) {
	openTender(t, s, "t-1")
	openTender(t, s, "t-2")
	must(t, s.CreateBid(ctx, bid("bid-c", "t-1", "coop-1", at(3)), nil))
	must(t, s.CreateBid(ctx, bid("bid-a", "t-1", "coop-2", at(1)), nil))
	must(t, s.CreateBid(ctx, bid("bid-b", "t-1", "coop-3", at(2)), nil))
	must(t, s.CreateBid(ctx, bid("bid-x", "t-2", "coop-1", at(4)), nil))
	bidIDs := func(bs []*tenders.Bid, err error) string {
		t.Helper()
		must(t, err)
		var out []string
		for _, b := range bs {
			out = append(out, b.ID)
		}
		return strings.Join(out, ",")
	}
	// No wait: read from the table.
	if got := bidIDs(s.ListBids(ctx, "t-1")); got != "bid-a,bid-b,bid-c" {
		t.Errorf("tender's bids = %s", got)
	}
	if got := bidIDs(s.ListCoopBids(ctx, "coop-1")); got != "bid-x,bid-c" {
		t.Errorf("co-op's bids = %s", got)
	}
	if got := bidIDs(s.ListBids(ctx, "t-none")); got != "" {
		t.Errorf("unknown tender's bids = %s", got)
	}
	if got := bidIDs(s.ListCoopBids(ctx, "coop-none")); got != "" {
		t.Errorf("unknown co-op's bids = %s", got)
	}
}

// testConcurrentBids: ten co-ops bid at once, then five withdraw at once
// while five more bid: the count is exact, as are the versions and
// events.
func testConcurrentBids(t *testing.T, tb table.Table, s *tenderstore.Store) {
	openTender(t, s, "t-1")
	all := func(n int, fn func(i int) error) {
		t.Helper()
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = fn(i)
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
		}
	}
	all(10, func(i int) error {
		id := fmt.Sprintf("bid-%02d", i)
		return s.CreateBid(ctx, bid(id, "t-1", fmt.Sprintf("coop-%02d", i), at(i)), event(tenders.BidSubject(id), "bid.submitted"))
	})
	tn := getTender(t, s, "t-1")
	if tn.Bids != 10 || tn.Version != 11 {
		t.Fatalf("%d bids at version %d, want 10 at 11: a count was lost", tn.Bids, tn.Version)
	}
	all(10, func(i int) error {
		if i < 5 {
			b, err := s.GetBid(ctx, fmt.Sprintf("bid-%02d", i))
			if err != nil {
				return err
			}
			b.Status, b.UpdatedAt = tenders.BidWithdrawn, at(20)
			return s.WithdrawBid(ctx, b, nil)
		}
		return s.CreateBid(ctx, bid(fmt.Sprintf("bid-%02d", i+10), "t-1", fmt.Sprintf("coop-%02d", i+10), at(20+i)), nil)
	})
	bids, err := s.ListBids(ctx, "t-1")
	must(t, err)
	total := len(bids)
	in := slices.DeleteFunc(bids, func(b *tenders.Bid) bool { return b.Status == tenders.BidWithdrawn })
	if tn := getTender(t, s, "t-1"); tn.Bids != 10 || len(in) != 10 || total != 15 || tn.Version != 21 {
		t.Fatalf("%d bids counted, %d in of %d, at version %d; want 10, 10 of 15, 21", tn.Bids, len(in), total, tn.Version)
	}
	for i := range 10 {
		if ev := events(t, tb, tenders.BidSubject(fmt.Sprintf("bid-%02d", i))); len(ev) != 1 {
			t.Errorf("bid %d has %d events", i, len(ev))
		}
	}
}

func testEvaluations(t *testing.T, tb table.Table, s *tenderstore.Store) {
	openTender(t, s, "t-1")
	must(t, s.CreateBid(ctx, bid("bid-1", "t-1", "coop-1", at(1)), nil))
	declare := func(user string, conflict bool) *tenders.Evaluation {
		t.Helper()
		e := &tenders.Evaluation{Bid: "bid-1", Tender: "t-1", Evaluator: user, Conflict: conflict, Declared: at(10)}
		if conflict {
			e.Reason = "I chair the co-op's board"
		}
		got, err := s.Declare(ctx, e, event(tenders.BidSubject("bid-1"), "bid.declared"))
		must(t, err)
		return got
	}
	excluded := func(user string) bool {
		t.Helper()
		x, err := s.IsExcluded(ctx, "bid-1", user)
		must(t, err)
		return x
	}
	scores := func(user string, q int) *tenders.Evaluation {
		return &tenders.Evaluation{Bid: "bid-1", Tender: "t-1", Evaluator: user,
			Scores: map[string]int{"quality": q, "social": 3}, Reasons: map[string]string{"quality": "Well trained", "social": "Hires locally"}, ScoredAt: at(11)}
	}
	if excluded("ann") {
		t.Fatal("excluded before declaring")
	}
	_, err := s.PutEvaluation(ctx, scores("ann", 4), nil)
	wantCode(t, err, pathway.ECONFLICT) // must declare first

	if d := declare("ann", false); d.Conflict || excluded("ann") {
		t.Fatal("no conflict excluded")
	}
	if d := declare("bob", true); !d.Conflict || !excluded("bob") {
		t.Fatal("conflict not excluded")
	}
	if d := declare("bob", false); !d.Conflict || !excluded("bob") {
		t.Fatal("a conflict was undone by a later declaration")
	}
	_, err = s.PutEvaluation(ctx, scores("bob", 4), nil)
	wantCode(t, err, pathway.ENOTFOUND) // excluded: the bid is not found for them

	e, err := s.PutEvaluation(ctx, scores("ann", 4), event(tenders.BidSubject("bid-1"), "bid.evaluated"))
	must(t, err)
	if e.Scores["quality"] != 4 || e.Conflict || !e.Declared.Equal(at(10)) || !e.ScoredAt.Equal(at(11)) {
		t.Fatalf("evaluation = %+v", e)
	}
	again, err := s.PutEvaluation(ctx, scores("ann", 1), event(tenders.BidSubject("bid-1"), "bid.evaluated"))
	must(t, err)
	if again.Scores["quality"] != 4 {
		t.Errorf("a retried evaluation replaced the first: %+v", again)
	}
	// cat scores, then finds a conflict: excluded for good, scores dropped.
	declare("cat", false)
	_, err = s.PutEvaluation(ctx, scores("cat", 5), nil)
	must(t, err)
	if d := declare("cat", true); !d.Conflict || len(d.Scores) != 0 || !excluded("cat") {
		t.Fatalf("a conflict found later: %+v", d)
	}
	es, err := s.Evaluations(ctx, "bid-1")
	must(t, err)
	if len(es) != 3 || es[0].Evaluator != "ann" || es[0].Scores["quality"] != 4 || !es[1].Conflict || !es[2].Conflict || es[2].Scores != nil {
		t.Errorf("evaluations = %+v", es)
	}
	if _, err := s.GetEvaluation(ctx, "bid-1", "dan"); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("dan's evaluation: %v", err)
	}
	// Events: ann, bob, ann's scores, cat's declarations; not the refused or repeated ones.
	if ev := events(t, tb, tenders.BidSubject("bid-1")); len(ev) != 5 {
		t.Errorf("events = %v, want 5", ev)
	}
	_, err = s.Declare(ctx, &tenders.Evaluation{Bid: "bid-1", Tender: "t-1", Evaluator: "dan", Conflict: true}, nil)
	wantCode(t, err, pathway.EINVALID) // a conflict needs its reason
	_, err = s.Declare(ctx, &tenders.Evaluation{Bid: "bid-1", Tender: "t-2", Evaluator: "dan"}, nil)
	wantCode(t, err, pathway.EINVALID)
	_, err = s.Declare(ctx, &tenders.Evaluation{Bid: "bid-none", Tender: "t-1", Evaluator: "dan"}, nil)
	wantCode(t, err, pathway.ENOTFOUND)
}

func testQuestions(t *testing.T, tb table.Table, s *tenderstore.Store) {
	openTender(t, s, "t-1")
	ask := func(id, coop, text string) *tenders.Question {
		return &tenders.Question{ID: id, Tender: "t-1", Asker: "user-" + coop, Coop: coop, Question: text, AskedAt: at(1)}
	}
	q1 := ask("01J0000000000000000000000A", "coop-1", "Is mileage paid?")
	must(t, s.PutQuestion(ctx, q1, event(tenders.Subject("t-1"), "tender.question")))
	retry := ask("01J0000000000000000000000A", "coop-1", "Other words")
	must(t, s.PutQuestion(ctx, retry, event(tenders.Subject("t-1"), "tender.question")))
	if retry.Question != "Is mileage paid?" {
		t.Errorf("retry returned %+v", retry)
	}
	wantCode(t, s.PutQuestion(ctx, ask("01J0000000000000000000000A", "coop-2", "Mine"), nil), pathway.ECONFLICT)
	must(t, s.PutQuestion(ctx, ask("01J0000000000000000000000B", "coop-2", "How many hours a week?"), nil))
	wantCode(t, s.PutQuestion(ctx, &tenders.Question{ID: "q", Tender: "t-none", Question: "Hello?", AskedAt: at(1)}, nil), pathway.ENOTFOUND)
	wantCode(t, s.PutQuestion(ctx, &tenders.Question{ID: "q", Tender: "t-1", AskedAt: at(1)}, nil), pathway.EINVALID)

	ans := &tenders.Question{ID: q1.ID, Tender: "t-1", Answer: "Yes, at 45p a mile.", AnsweredBy: "user-lead", AnsweredAt: at(2)}
	must(t, s.AnswerQuestion(ctx, ans, event(tenders.Subject("t-1"), "tender.answer")))
	if ans.Question != "Is mileage paid?" || ans.Asker != "user-coop-1" || !ans.AnsweredAt.Equal(at(2)) {
		t.Errorf("answered = %+v", ans)
	}
	again := &tenders.Question{ID: q1.ID, Tender: "t-1", Answer: "Yes, at 45p a mile.", AnsweredBy: "user-lead", AnsweredAt: at(3)}
	must(t, s.AnswerQuestion(ctx, again, event(tenders.Subject("t-1"), "tender.answer")))
	if !again.AnsweredAt.Equal(at(2)) {
		t.Errorf("a retried answer was written again: %+v", again)
	}
	wantCode(t, s.AnswerQuestion(ctx, &tenders.Question{ID: q1.ID, Tender: "t-1", Question: "x"}, nil), pathway.EINVALID)
	wantCode(t, s.AnswerQuestion(ctx, &tenders.Question{ID: q1.ID, Tender: "t-1", Answer: strings.Repeat("x", 10001)}, nil), pathway.EINVALID)
	wantCode(t, s.AnswerQuestion(ctx, &tenders.Question{ID: "none", Tender: "t-1", Answer: "Yes"}, nil), pathway.ENOTFOUND)

	qs, err := s.ListQuestions(ctx, "t-1")
	must(t, err)
	if len(qs) != 2 || qs[0].Answer != "Yes, at 45p a mile." || qs[1].Answer != "" || qs[1].Coop != "coop-2" {
		t.Errorf("questions = %+v", qs)
	}
	got, err := s.GetQuestion(ctx, "t-1", q1.ID)
	must(t, err)
	if got.Anonymous().Asker != "" || got.Asker == "" {
		t.Errorf("got %+v", got)
	}
	if ev := events(t, tb, tenders.Subject("t-1")); strings.Join(ev, ",") != "tender.question,tender.answer" {
		t.Errorf("events = %v", ev)
	}
}

func testSummaries(t *testing.T, _ table.Table, s *tenderstore.Store) {
	sum := func(bid string, quality int) tenders.AssessmentSummary {
		return tenders.AssessmentSummary{Bid: bid, Tender: "t-1", Coop: "coop-" + bid,
			Scores: map[string]int{"quality": quality}, Reasons: map[string]string{"quality": "Clear plan"},
			Lots: []tenders.SummaryLot{{Lot: "north", Won: quality > 3, Why: "Scored highest."}}, SentAt: at(1)}
	}
	_, err := s.GetSummary(ctx, "bid-1")
	wantCode(t, err, pathway.ENOTFOUND)
	must(t, s.PutSummaries(ctx, []tenders.AssessmentSummary{sum("bid-1", 4), sum("bid-2", 2)}))
	// A retried step keeps the summaries first sent, and adds a new one.
	must(t, s.PutSummaries(ctx, []tenders.AssessmentSummary{sum("bid-1", 1), sum("bid-2", 1), sum("bid-3", 3)}))
	for bid, want := range map[string]int{"bid-1": 4, "bid-2": 2, "bid-3": 3} {
		got, err := s.GetSummary(ctx, bid)
		must(t, err)
		if got.Scores["quality"] != want || got.Coop != "coop-"+bid || !got.SentAt.Equal(at(1)) || got.Lots[0].Why != "Scored highest." {
			t.Errorf("summary of %s = %+v", bid, got)
		}
	}
	// More summaries than one transaction holds.
	many := make([]tenders.AssessmentSummary, 0, 120)
	for i := range 120 {
		many = append(many, sum(fmt.Sprintf("bid-m%03d", i), 3))
	}
	must(t, s.PutSummaries(ctx, many))
	if _, err := s.GetSummary(ctx, "bid-m119"); err != nil {
		t.Errorf("last of many: %v", err)
	}
	wantCode(t, s.PutSummaries(ctx, []tenders.AssessmentSummary{{Tender: "t-1"}}), pathway.EINVALID)
}

// testConcurrentTenderUpdates: ten writers each add an evaluator with
// read, change, conditional write and retry on conflict; none is lost.
func testConcurrentTenderUpdates(t *testing.T, tb table.Table, s *tenderstore.Store) {
	tn := tender("t-1", "org-council")
	tn.Evaluators = nil
	must(t, s.CreateTender(ctx, tn, nil))
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				cur, err := s.GetTender(ctx, "t-1")
				if err != nil {
					t.Error(err)
					return
				}
				cur.Evaluators = append(cur.Evaluators, fmt.Sprintf("user-%d", i))
				err = s.UpdateTender(ctx, cur, event(tenders.Subject("t-1"), "tender.evaluator-added"))
				if pathway.ErrorCode(err) == pathway.ECONFLICT {
					time.Sleep(time.Millisecond)
					continue
				}
				if err != nil {
					t.Error(err)
				}
				return
			}
		}()
	}
	wg.Wait()
	got := getTender(t, s, "t-1")
	if len(got.Evaluators) != 10 || got.Version != 11 {
		t.Fatalf("evaluators %v at version %d: an update was lost", got.Evaluators, got.Version)
	}
	if ev := events(t, tb, tenders.Subject("t-1")); len(ev) != 10 {
		t.Errorf("events = %d, want 10", len(ev))
	}
}

// Shared assertions (shared/testkit).
var (
	must       = testkit.Must
	wantCode   = testkit.WantCode
	eventually = testkit.Eventually
)
