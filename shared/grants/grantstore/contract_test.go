package grantstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/oklog/ulid/v2"
)

// run runs the contract suite as subtests, one after another; open
// returns a fresh, empty table.
func run(t *testing.T, open func(t *testing.T) table.Table) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, tb table.Table, s *grantstore.Store)
	}{
		{"Programmes", testProgrammes},
		{"ProgrammeLists", testProgrammeLists},
		{"CreateApplicationIdempotent", testCreateApplication},
		{"CreateApplicationWithItsStart", testCreateApplicationStart},
		{"UpdateApplication", testUpdateApplication},
		{"ListApplications", testListApplications},
		{"ListCoopApplications", testListCoopApplications},
		{"DeclarationsAndReviews", testDeclarationsAndReviews},
		{"AwardDeclinePay", testAwardDeclinePay},
		{"ConcurrentAwardsNeverOverspend", testConcurrentAwards},
		{"ConcurrentRetriedAwardCountsOnce", testConcurrentRetriedAward},
		{"ConcurrentUpdatesNeverLost", testConcurrentUpdates},
		{"CoopFactsKeptWithEachChange", testCoopFacts},
		{"CoopFactsConcurrent", testCoopFactsConcurrent},
		{"AttachFile", testAttachFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := open(t)
			tc.fn(t, tb, grantstore.New(tb))
		})
	}
}

var ctx = context.Background()

// base carries nanoseconds, so a store that rounds times fails.
var base = time.Date(2027, 6, 1, 9, 15, 0, 123456789, time.UTC)

func at(n int) time.Time { return base.Add(time.Duration(n) * time.Minute) }

func programme(id, funder string) *grants.Programme {
	return &grants.Programme{
		ID: id, Name: "Start-up Grant " + id, Purpose: "Helps care co-ops reach CQC registration.",
		Funder: funder, Budget: 10_000_000, MinAward: 100_000, MaxAward: 1_000_000,
		OpensOn: "2027-04-01", ClosesOn: "2027-09-30",
		Criteria: []grants.Criterion{{ID: "need", Name: "Need", Weight: 60}, {ID: "plan", Name: "Plan", Weight: 40}},
		Scale:    grants.DefaultScale, ReviewersPerApplication: 2,
		Schedule: []grants.ScheduleShare{{Share: 50, Trigger: "agreement"}, {Share: 50, Trigger: "cqc-registered"}},
	}
}

func application(id, prog, coop string, created time.Time) *grants.Application {
	return &grants.Application{
		ID: id, Programme: prog, Funder: "org-example-fund", Coop: coop, Applicant: "user-founder",
		Title: "Training " + id, Purpose: "Pay for training.", Amount: 500_000,
		Budget: []grants.BudgetLine{{Item: "Training", Amount: 500_000}},
		Status: grants.StatusSubmitted, Attempt: 1, CreatedAt: created, UpdatedAt: created, SubmittedAt: created,
	}
}

func event(app, action string) *pathway.Event {
	return &pathway.Event{ID: ulid.Make().String(), Subject: grants.Subject(app), Coop: "coop-1", At: base,
		Actor: "user-1", Action: action, Summary: "Something happened to the application."}
}

// seed stores a programme and an application awaiting decision.
func seed(t *testing.T, s *grantstore.Store, prog, app string) (*grants.Programme, *grants.Application) {
	t.Helper()
	p := programme(prog, "org-example-fund")
	if _, err := s.GetProgramme(ctx, prog); err != nil {
		must(t, s.PutProgramme(ctx, p, base))
	}
	a := application(app, prog, "coop-"+app, base)
	a.Status = grants.StatusAwaitingDecision
	must(t, s.CreateApplication(ctx, a, nil))
	return p, a
}

// award moves a to awarded with one tranche of amount.
func award(t *testing.T, a *grants.Application, amount int64) {
	t.Helper()
	must(t, grants.Move(a, grants.StatusAwarded, at(5)))
	a.Award = &grants.Award{Amount: amount, DecidedBy: "lead-1", DecidedAt: at(5),
		Tranches: []grants.Tranche{{ID: "t1", Amount: amount, Trigger: grants.TriggerAgreement, Status: grants.TrancheOpen}}}
}

func testProgrammes(t *testing.T, _ table.Table, s *grantstore.Store) {
	p := programme("bright-ideas", "org-example-fund")
	must(t, s.PutProgramme(ctx, p, base))
	if p.Version != 1 || !p.CreatedAt.Equal(base) {
		t.Fatalf("created: version %d at %v", p.Version, p.CreatedAt)
	}
	got, err := s.GetProgramme(ctx, "bright-ideas")
	must(t, err)
	if got.Name != p.Name || got.Version != 1 || !got.UpdatedAt.Equal(base) || len(got.Criteria) != 2 {
		t.Fatalf("got %+v", got)
	}
	wantCode(t, s.PutProgramme(ctx, programme("bright-ideas", "org-other"), base), pathway.ECONFLICT)

	got.Budget = 20_000_000
	must(t, s.PutProgramme(ctx, got, at(1)))
	if got.Version != 2 || !got.CreatedAt.Equal(base) || !got.UpdatedAt.Equal(at(1)) {
		t.Fatalf("updated: %+v", got)
	}
	b, err := s.Budget(ctx, "bright-ideas")
	must(t, err)
	if b != (grants.Budget{Budget: 20_000_000, Remaining: 20_000_000}) {
		t.Errorf("budget after update = %+v", b)
	}
	stale := *p // version 1
	wantCode(t, s.PutProgramme(ctx, &stale, at(2)), pathway.ECONFLICT)

	bad := programme("bad", "org-example-fund")
	bad.Criteria[0].Weight = 10
	wantCode(t, s.PutProgramme(ctx, bad, base), pathway.EINVALID)
	_, err = s.GetProgramme(ctx, "bad")
	wantCode(t, err, pathway.ENOTFOUND)

	// A budget cut below what is awarded is refused.
	_, a := seed(t, s, "bright-ideas", "app-1")
	award(t, a, 1_000_000)
	must(t, s.Award(ctx, a, nil))
	cur, _ := s.GetProgramme(ctx, "bright-ideas")
	cur.Budget, cur.MaxAward = 999_999, 999_999
	err = s.PutProgramme(ctx, cur, at(3))
	wantCode(t, err, pathway.EINVALID)
	if msg := pathway.ErrorFields(err)["budget"]; !strings.Contains(msg, "£10,000 already") {
		t.Errorf("message = %q", msg)
	}
}

func testProgrammeLists(t *testing.T, _ table.Table, s *grantstore.Store) {
	now := time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
	mk := func(id, funder, opens, closes string) {
		p := programme(id, funder)
		p.OpensOn, p.ClosesOn = opens, closes
		must(t, s.PutProgramme(ctx, p, base))
	}
	mk("open-late", "org-a", "2027-01-01", "2027-12-31")
	mk("open-soon-closing", "org-b", "2027-05-01", "2027-06-01")
	mk("closed", "org-a", "2027-01-01", "2027-05-31")
	mk("not-yet", "org-a", "2027-06-02", "2027-12-31")
	ids := func(ps []*grants.Programme) string {
		var out []string
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return strings.Join(out, ",")
	}
	eventually(t, "funder's programmes", func() bool {
		ps, err := s.ListProgrammes(ctx, "org-a")
		must(t, err)
		return ids(ps) == "closed,not-yet,open-late"
	})
	eventually(t, "open programmes", func() bool {
		ps, err := s.ListOpenProgrammes(ctx, now)
		must(t, err)
		return ids(ps) == "open-soon-closing,open-late"
	})
	ps, err := s.ListProgrammes(ctx, "org-nobody")
	must(t, err)
	if len(ps) != 0 {
		t.Errorf("unknown funder: %v", ps)
	}
}

func testCreateApplication(t *testing.T, tb table.Table, s *grantstore.Store) {
	a := application("app-1", "prog", "coop-1", base)
	must(t, s.CreateApplication(ctx, a, event("app-1", "grant.submitted")))
	if a.Version != 1 {
		t.Fatalf("version = %d", a.Version)
	}
	retry := application("app-1", "prog", "coop-1", at(1))
	retry.Title = "A retry with other words"
	must(t, s.CreateApplication(ctx, retry, event("app-1", "grant.submitted")))
	if retry.Title != a.Title || !retry.CreatedAt.Equal(base) || retry.Version != 1 {
		t.Fatalf("retry returned %+v, want the first", retry)
	}
	other := application("app-1", "prog", "coop-2", base)
	wantCode(t, s.CreateApplication(ctx, other, nil), pathway.ECONFLICT)

	got, err := s.GetApplication(ctx, "app-1")
	must(t, err)
	if got.Title != a.Title || !got.SubmittedAt.Equal(base) || got.Status != grants.StatusSubmitted {
		t.Errorf("got %+v", got)
	}
	// The event is in the subject's trail, where shared/store reads it.
	page, err := store.New(tb).ListEvents(ctx, grants.Subject("app-1"), "", 10)
	must(t, err)
	if len(page.Events) != 1 || page.Events[0].Action != "grant.submitted" {
		t.Errorf("events = %+v", page.Events)
	}

	bad := application("app-2", "prog", "coop-1", base)
	bad.Amount = 1
	wantCode(t, s.CreateApplication(ctx, bad, nil), pathway.EINVALID)
	_, err = s.GetApplication(ctx, "app-2")
	wantCode(t, err, pathway.ENOTFOUND)
	wrong := application("app-3", "prog", "coop-1", base)
	e := event("app-other", "grant.submitted")
	wantCode(t, s.CreateApplication(ctx, wrong, e), pathway.EINVALID)
	_, err = s.GetApplication(ctx, "app-3")
	wantCode(t, err, pathway.ENOTFOUND)
}

func testUpdateApplication(t *testing.T, tb table.Table, s *grantstore.Store) {
	a := application("app-1", "prog", "coop-1", base)
	must(t, s.CreateApplication(ctx, a, nil))
	stale := *a
	must(t, grants.Move(a, grants.StatusInReview, at(1)))
	must(t, s.UpdateApplication(ctx, a, event("app-1", "grant.in-review")))
	if a.Version != 2 {
		t.Fatalf("version = %d", a.Version)
	}
	stale.Title = "Lost"
	wantCode(t, s.UpdateApplication(ctx, &stale, nil), pathway.ECONFLICT)

	skip := *a
	skip.Status = grants.StatusActive // not a move the table allows
	wantCode(t, s.UpdateApplication(ctx, &skip, nil), pathway.ECONFLICT)

	must(t, grants.Move(a, grants.StatusAwaitingDecision, at(2)))
	must(t, s.UpdateApplication(ctx, a, nil))
	award(t, a, 500_000)
	wantCode(t, s.UpdateApplication(ctx, a, nil), pathway.EINTERNAL)

	got, err := s.GetApplication(ctx, "app-1")
	must(t, err)
	if got.Status != grants.StatusAwaitingDecision || got.Version != 3 || got.Title == "Lost" {
		t.Errorf("stored %+v", got)
	}
	page, err := store.New(tb).ListEvents(ctx, grants.Subject("app-1"), "", 10)
	must(t, err)
	if len(page.Events) != 1 {
		t.Errorf("events = %d, want 1", len(page.Events))
	}
	wantCode(t, s.UpdateApplication(ctx, application("app-none", "prog", "coop-1", base), nil), pathway.ENOTFOUND)
}

func testListApplications(t *testing.T, _ table.Table, s *grantstore.Store) {
	for i := 5; i >= 1; i-- { // stored out of order; listed by time sent
		a := application(fmt.Sprintf("app-%d", i), "prog", "coop-1", at(i))
		must(t, s.CreateApplication(ctx, a, nil))
	}
	must(t, s.CreateApplication(ctx, application("app-x", "prog-other", "coop-1", base), nil))
	list := func() []string {
		var ids []string
		cursor := ""
		for {
			p, err := s.ListApplications(ctx, "prog", grants.StatusSubmitted, cursor, 2)
			must(t, err)
			if len(p.Applications) > 2 {
				t.Fatalf("page of %d", len(p.Applications))
			}
			for _, a := range p.Applications {
				ids = append(ids, a.ID)
			}
			if cursor = p.Next; cursor == "" {
				return ids
			}
		}
	}
	eventually(t, "applications by status", func() bool {
		return strings.Join(list(), ",") == "app-1,app-2,app-3,app-4,app-5"
	})
	a, err := s.GetApplication(ctx, "app-3")
	must(t, err)
	must(t, grants.Move(a, grants.StatusInReview, at(9)))
	must(t, s.UpdateApplication(ctx, a, nil))
	eventually(t, "a status change moves lists", func() bool {
		p, err := s.ListApplications(ctx, "prog", grants.StatusInReview, "", 0)
		must(t, err)
		return strings.Join(list(), ",") == "app-1,app-2,app-4,app-5" && len(p.Applications) == 1 && p.Applications[0].ID == "app-3"
	})
	_, err = s.ListApplications(ctx, "prog", "pending", "", 0)
	wantCode(t, err, pathway.EINVALID)
	_, err = s.ListApplications(ctx, "prog", grants.StatusSubmitted, "not-a-cursor", 2)
	wantCode(t, err, pathway.EINVALID)
	_, err = s.ListApplications(ctx, "prog", grants.StatusSubmitted, "", -1)
	wantCode(t, err, pathway.EINVALID)
}

func testListCoopApplications(t *testing.T, _ table.Table, s *grantstore.Store) {
	must(t, s.CreateApplication(ctx, application("app-a", "prog", "coop-1", at(1)), nil))
	must(t, s.CreateApplication(ctx, application("app-b", "prog-2", "coop-1", at(2)), nil))
	must(t, s.CreateApplication(ctx, application("app-c", "prog", "coop-2", at(3)), nil))
	got, err := s.ListCoopApplications(ctx, "coop-1") // no wait: read from the table
	must(t, err)
	if len(got) != 2 || got[0].ID != "app-b" || got[1].ID != "app-a" {
		t.Fatalf("co-op's applications = %v", got)
	}
	none, err := s.ListCoopApplications(ctx, "coop-none")
	must(t, err)
	if len(none) != 0 {
		t.Errorf("unknown co-op: %v", none)
	}
}

func testDeclarationsAndReviews(t *testing.T, tb table.Table, s *grantstore.Store) {
	must(t, s.CreateApplication(ctx, application("app-1", "prog", "coop-1", base), nil))
	decl := func(user string, conflict bool) *grants.Declaration {
		d := &grants.Declaration{Application: "app-1", Reviewer: user, Conflict: conflict, At: base}
		if conflict {
			d.Reason = "I advise this co-op"
		}
		got, err := s.Declare(ctx, d, event("app-1", "grant.declared"))
		must(t, err)
		return got
	}
	excluded := func(user string) bool {
		x, err := s.IsExcluded(ctx, "app-1", user)
		must(t, err)
		return x
	}
	review := func(user string, need int) *grants.Review {
		return &grants.Review{Application: "app-1", Reviewer: user, Scores: map[string]int{"need": need, "plan": 3},
			Recommendation: grants.RecommendAward, At: at(1)}
	}

	if excluded("ann") {
		t.Fatal("excluded before declaring")
	}
	_, err := s.PutReview(ctx, review("ann", 4), nil)
	wantCode(t, err, pathway.ECONFLICT) // must declare first

	if d := decl("ann", false); d.Conflict || excluded("ann") {
		t.Fatal("no conflict excluded")
	}
	if d := decl("bob", true); !d.Conflict || !excluded("bob") {
		t.Fatal("conflict not excluded")
	}
	if d := decl("bob", false); !d.Conflict || !excluded("bob") {
		t.Fatal("a conflict was undone by a later declaration")
	}
	if d := decl("ann", true); !d.Conflict || !excluded("ann") {
		t.Fatal("a conflict found later was not recorded")
	}
	if d := decl("cat", false); d.Conflict {
		t.Fatal("cat")
	}
	_, err = s.PutReview(ctx, review("bob", 4), nil)
	wantCode(t, err, pathway.ENOTFOUND) // excluded: the application is not found for them
	_, err = s.Declare(ctx, &grants.Declaration{Application: "app-none", Reviewer: "cat", At: base}, nil)
	wantCode(t, err, pathway.ENOTFOUND)

	r, err := s.PutReview(ctx, review("cat", 4), event("app-1", "grant.reviewed"))
	must(t, err)
	if r.Scores["need"] != 4 {
		t.Fatalf("review = %+v", r)
	}
	again, err := s.PutReview(ctx, review("cat", 1), event("app-1", "grant.reviewed"))
	must(t, err)
	if again.Scores["need"] != 4 {
		t.Errorf("a retried review replaced the first: %+v", again)
	}
	rs, err := s.Reviews(ctx, "app-1")
	must(t, err)
	if len(rs) != 1 || rs[0].Reviewer != "cat" || !rs[0].At.Equal(at(1)) {
		t.Errorf("reviews = %+v", rs)
	}
	ds, err := s.Declarations(ctx, "app-1")
	must(t, err)
	if len(ds) != 3 || ds[0].Reviewer != "ann" || !ds[0].Conflict || ds[1].Reviewer != "bob" || ds[2].Conflict {
		t.Errorf("declarations = %+v", ds)
	}
	// Events: ann, bob, ann's later conflict, cat, cat's review; not the refused or repeated ones.
	page, err := store.New(tb).ListEvents(ctx, grants.Subject("app-1"), "", 20)
	must(t, err)
	if len(page.Events) != 5 {
		t.Errorf("events = %d, want 5", len(page.Events))
	}
	_, err = s.Declare(ctx, &grants.Declaration{Application: "app-1", Reviewer: "dan", Conflict: true, At: base}, nil)
	wantCode(t, err, pathway.EINVALID)
}

func testAwardDeclinePay(t *testing.T, tb table.Table, s *grantstore.Store) {
	_, a := seed(t, s, "prog", "app-1")
	_, b := seed(t, s, "prog", "app-2")
	budget := func() grants.Budget {
		got, err := s.Budget(ctx, "prog")
		must(t, err)
		return got
	}
	award(t, a, 600_000)
	must(t, s.Award(ctx, a, event("app-1", "grant.awarded")))
	if a.Version != 2 {
		t.Fatalf("version = %d", a.Version)
	}
	award(t, b, 400_000)
	must(t, s.Award(ctx, b, nil))
	if got := budget(); got != (grants.Budget{Budget: 10_000_000, Awarded: 1_000_000, Remaining: 9_000_000}) {
		t.Fatalf("budget = %+v", got)
	}
	// A retry of the award (the same version read) commits nothing more.
	retry, _ := s.GetApplication(ctx, "app-1")
	retry.Version = 1
	retry.Status = grants.StatusAwarded
	must(t, s.Award(ctx, retry, event("app-1", "grant.awarded")))
	if retry.Version != 2 || budget().Awarded != 1_000_000 {
		t.Fatalf("retry: version %d, budget %+v", retry.Version, budget())
	}

	// b declines: its commitment is released.
	must(t, grants.Move(b, grants.StatusDeclined, at(6)))
	retryDecline := *b
	must(t, s.Decline(ctx, b, event("app-2", "grant.declined")))
	if got := budget(); got.Awarded != 600_000 || got.Remaining != 9_400_000 {
		t.Fatalf("after decline: %+v", got)
	}
	// An application never awarded has nothing to decline.
	_, d := seed(t, s, "prog", "app-4")
	d.Status = grants.StatusDeclined
	wantCode(t, s.Decline(ctx, d, nil), pathway.ECONFLICT)
	stored, _ := s.GetApplication(ctx, "app-2")
	if stored.Status != grants.StatusDeclined {
		t.Errorf("declined stored as %s", stored.Status)
	}
	must(t, s.Decline(ctx, &retryDecline, nil)) // a retry releases nothing more
	if budget().Awarded != 600_000 || retryDecline.Version != b.Version {
		t.Errorf("decline counted twice: %+v", budget())
	}

	// a accepts, its first tranche is released and paid.
	must(t, grants.Move(a, grants.StatusActive, at(7)))
	grants.Release(a, grants.TriggerAgreement, "2027-06-01")
	must(t, s.UpdateApplication(ctx, a, nil))
	beforePay := *a
	must(t, grants.Pay(a, "t1", &grants.PaymentAnswer{PaidOn: "2027-06-03", Reference: "BACS-1"}))
	must(t, s.Pay(ctx, a, "t1", event("app-1", "grant.paid")))
	if got := budget(); got != (grants.Budget{Budget: 10_000_000, Awarded: 600_000, Paid: 600_000, Remaining: 9_400_000}) {
		t.Fatalf("after payment: %+v", got)
	}
	retryPay := beforePay
	retryPay.Award = &grants.Award{Amount: 600_000, Tranches: []grants.Tranche{{ID: "t1", Amount: 600_000, Trigger: "agreement", Status: "due"}}}
	must(t, grants.Pay(&retryPay, "t1", &grants.PaymentAnswer{PaidOn: "2027-06-03", Reference: "BACS-1"}))
	must(t, s.Pay(ctx, &retryPay, "t1", nil))
	if budget().Paid != 600_000 || retryPay.Version != a.Version {
		t.Errorf("payment counted twice: %+v", budget())
	}
	got, _ := s.GetApplication(ctx, "app-1")
	if tr := got.Tranche("t1"); tr.Status != grants.TranchePaid || tr.Reference != "BACS-1" {
		t.Errorf("tranche = %+v", tr)
	}
	page, err := store.New(tb).ListEvents(ctx, grants.Subject("app-1"), "", 20)
	must(t, err)
	if len(page.Events) != 2 {
		t.Errorf("events of app-1 = %d, want 2 (awarded, paid)", len(page.Events))
	}
	// A stale award is refused and commits nothing.
	_, c := seed(t, s, "prog", "app-3")
	stale := *c
	c.Title = "Changed"
	must(t, s.UpdateApplication(ctx, c, nil))
	award(t, &stale, 100_000)
	wantCode(t, s.Award(ctx, &stale, nil), pathway.ECONFLICT)
	if budget().Awarded != 600_000 {
		t.Errorf("a stale award committed: %+v", budget())
	}
}

// testConcurrentAwards: 20 awards of £1,000 at once against £10,500
// left: exactly 10 are made, and the 10 refused say why.
func testConcurrentAwards(t *testing.T, _ table.Table, s *grantstore.Store) {
	p := programme("prog", "org-example-fund")
	p.Budget, p.MinAward, p.MaxAward = 1_050_000, 100_000, 100_000
	must(t, s.PutProgramme(ctx, p, base))
	apps := make([]*grants.Application, 20)
	for i := range apps {
		_, apps[i] = seed(t, s, "prog", fmt.Sprintf("app-%02d", i))
		award(t, apps[i], 100_000)
	}
	errs := make([]error, len(apps))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = s.Award(ctx, apps[i], event(apps[i].ID, "grant.awarded"))
		}()
	}
	close(start)
	wg.Wait()
	made := 0
	for i, err := range errs {
		if err == nil {
			made++
			continue
		}
		const why = "The programme has £500 left; this award of £1,000 would overspend it."
		if pathway.ErrorCode(err) != pathway.ECONFLICT || pathway.ErrorMessage(err) != why {
			t.Errorf("award %d refused with %v, want %q", i, err, why)
		}
		stored, gerr := s.GetApplication(ctx, apps[i].ID)
		must(t, gerr)
		if stored.Status != grants.StatusAwaitingDecision || stored.Award != nil {
			t.Errorf("refused award %d stored as %s", i, stored.Status)
		}
	}
	b, err := s.Budget(ctx, "prog")
	must(t, err)
	if made != 10 || b.Awarded != 1_000_000 || b.Remaining != 50_000 {
		t.Fatalf("made %d awards, budget %+v; want 10 and £10,000 awarded", made, b)
	}
}

// testConcurrentRetriedAward: the same award sent five times at once
// (a retried request) commits once.
func testConcurrentRetriedAward(t *testing.T, _ table.Table, s *grantstore.Store) {
	_, a := seed(t, s, "prog", "app-1")
	award(t, a, 300_000)
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := *a
			errs[i] = s.Award(ctx, &c, nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("try %d: %v", i, err)
		}
	}
	b, err := s.Budget(ctx, "prog")
	must(t, err)
	if b.Awarded != 300_000 {
		t.Fatalf("awarded %d, want 300000 once", b.Awarded)
	}
}

// testConcurrentUpdates: ten writers each add a file with read, change,
// conditional write and retry on conflict; none is lost.
func testConcurrentUpdates(t *testing.T, tb table.Table, s *grantstore.Store) {
	must(t, s.CreateApplication(ctx, application("app-1", "prog", "coop-1", base), nil))
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				a, err := s.GetApplication(ctx, "app-1")
				if err != nil {
					t.Error(err)
					return
				}
				a.Files = append(a.Files, fmt.Sprintf("file-%d", i))
				err = s.UpdateApplication(ctx, a, event("app-1", "grant.file-added"))
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
	a, err := s.GetApplication(ctx, "app-1")
	must(t, err)
	slices.Sort(a.Files)
	if len(a.Files) != 10 || a.Version != 11 {
		t.Fatalf("files %v at version %d: an update was lost", a.Files, a.Version)
	}
	page, err := store.New(tb).ListEvents(ctx, grants.Subject("app-1"), "", 20)
	must(t, err)
	if len(page.Events) != 10 {
		t.Errorf("events = %d, want 10", len(page.Events))
	}
}

// Shared assertions (shared/testkit).
var (
	must       = testkit.Must
	wantCode   = testkit.WantCode
	eventually = testkit.Eventually
)
