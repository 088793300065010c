package backfill_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/insight/backfill"
	"github.com/coopcarepathway/pathway/shared/insight/funding"
	"github.com/coopcarepathway/pathway/shared/insight/funding/fundingtest"
	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/insight/market"
	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/insight/project"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// Invented council of the seeded tenders.
const council = "org-brackenby-council"

var councilLead = &pathway.User{ID: "user-brackenby-lead", Name: "Orla Example", Role: pathway.RoleCommissioner, Organisation: council, Lead: true, Email: "orla@example.org"}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func now() time.Time { return fundingtest.Today }

// engines runs f on the embedded store and on DynamoDB Local.
func engines(t *testing.T, f func(t *testing.T, newStore func(testing.TB) *store.Store)) {
	t.Run("embedded", func(t *testing.T) { f(t, testkit.Store) })
	t.Run("dynamodb", func(t *testing.T) { f(t, testkit.DynamoStore) })
}

// seed stores two co-ops with five grant applications (fundingtest.Seed)
// and a council's three tenders (a draft, one published and one published
// then cancelled), through the real services, leaving every insight
// delivery in the outbox unsent: as a deployment from before the
// aggregates holds them.
func seed(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	fundingtest.Seed(t, st, nil)
	testkit.Must(t, st.PutOrganisation(ctx, &pathway.Organisation{ID: council, Name: "Brackenby Council", Kind: pathway.OrgCouncil}))
	testkit.Must(t, st.PutUser(ctx, councilLead))
	start := time.Date(2027, 6, 1, 10, 0, 0, 0, time.UTC)
	ts := tenderstore.New(st.Table())
	svc := tenderservice.New(st, ts, &testkit.Workflows{}, func() time.Time { return start })
	for i, title := range []string{"Home care in Brackenby", "Night care in Brackenby", "Respite care in Brackenby"} {
		in := &tenderservice.TenderInput{Tender: tenders.Tender{
			Title: title, Description: "Care for adults in Brackenby.",
			Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare}, Areas: []string{"Leeds"},
			Value: 100_000_00, Lots: []tenders.Lot{{ID: "all", Name: "All areas", Value: 100_000_00}},
			Procedure: tenders.ProcedureOpen, LightTouch: true, PriceScoring: tenders.PriceLowestProportional,
			Criteria: []tenders.Criterion{
				{ID: "care", Name: "Quality of care", Kind: tenders.KindQuality, Weight: 50},
				{ID: "price", Name: "Price", Kind: tenders.KindPrice, Weight: 30},
				{ID: "local", Name: "Local jobs", Kind: tenders.KindSocialValue, Weight: 20},
			},
			Term:             tenders.Term{Start: "2027-09-01", End: "2029-08-31"},
			QuestionsCloseAt: start.Add(5 * 24 * time.Hour), TendersCloseAt: start.Add(10 * 24 * time.Hour),
		}, Standstill: &tenders.Standstill{Applies: true, WorkingDays: 8}}
		tv, err := svc.CreateTender(ctx, councilLead, in)
		testkit.Must(t, err)
		if i == 0 {
			continue
		}
		_, err = svc.Publish(ctx, councilLead, tv.ID)
		testkit.Must(t, err)
		if i == 2 {
			td, err := ts.GetTender(ctx, tv.ID)
			testkit.Must(t, err)
			testkit.Must(t, tenders.Move(td, tenders.StatusCancelled, start))
			ev := &pathway.Event{ID: "ev-cancel-" + tv.ID, Subject: tenders.Subject(tv.ID), At: start, Actor: "workflow", Action: "tender.cancelled", Summary: "Cancelled."}
			testkit.Must(t, ts.UpdateTender(ctx, td, ev))
		}
	}
}

var tenderIDs = regexp.MustCompile(`"id":"td-[0-9a-z]+"`)

// dashboards are the three dashboards' reports, as JSON to compare.
type dashboards struct{ agency, funder, council string }

func read(t *testing.T, st *store.Store) dashboards {
	t.Helper()
	ctx := context.Background()
	proj := insightwire.New(st)
	a, err := pipeline.NewService(proj, st, now).Report(ctx, fundingtest.AgencyStaff, pipeline.Filter{})
	testkit.Must(t, err)
	f, err := funding.NewService(proj, grantstore.New(st.Table()), now).Report(ctx, fundingtest.Staff, fundingtest.Funder)
	testkit.Must(t, err)
	c, err := market.NewService(proj, now).Report(ctx, councilLead, council, "")
	testkit.Must(t, err)
	// The two tables' tenders have IDs of their own (ULIDs).
	return dashboards{jsonOf(t, a), jsonOf(t, f), tenderIDs.ReplaceAllString(jsonOf(t, c), `"id":"td-…"`)}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	testkit.Must(t, err)
	return string(b)
}

// sweep sends every pending insight delivery, as the outbox does.
func sweep(t *testing.T, st *store.Store) {
	t.Helper()
	ob := outbox.New(st, &testkit.Workflows{}, now, quiet).WithInsight(insightwire.New(st))
	for range 50 {
		n, err := ob.SweepInsight(context.Background())
		testkit.Must(t, err)
		if n == 0 {
			return
		}
	}
	t.Fatal("the insight outbox did not empty")
}

// counting counts the transactions that reach the table.
type counting struct {
	table.Table
	writes atomic.Int64
}

func (c *counting) Transact(ctx context.Context, w ...table.Write) error {
	c.writes.Add(int64(len(w)))
	return c.Table.Transact(ctx, w...)
}

func run(t *testing.T, st *store.Store, r backfill.Refresher) (backfill.Report, error) {
	return backfill.Run(context.Background(), backfill.Backfill{
		Coops: st, Applications: grantstore.New(st.Table()), Tenders: tenderstore.New(st.Table()),
		Refresher: r, Table: st.Table(), Now: now, Log: quiet,
	})
}

// The backfill gives the dashboards what refreshing after every change
// gives, on a table holding subjects the aggregates never heard of; a
// second run writes nothing; the outbox's late deliveries change nothing.
func TestBackfillEqualsIncremental(t *testing.T) {
	engines(t, func(t *testing.T, newStore func(testing.TB) *store.Store) {
		incremental := newStore(t)
		seed(t, incremental)
		empty := read(t, incremental)
		sweep(t, incremental)
		want := read(t, incremental)
		if want == empty {
			t.Fatal("the seed shows nothing on the dashboards even when refreshed: the test would prove nothing")
		}

		st := newStore(t)
		seed(t, st)
		if got := read(t, st); got != empty {
			t.Fatalf("before the backfill the dashboards show figures:\n%+v", got)
		}
		needed, err := backfill.Needed(context.Background(), st.Table())
		testkit.Must(t, err)
		if !needed {
			t.Fatal("Needed = false on a table never backfilled")
		}
		rep, err := run(t, st, insightwire.New(st))
		testkit.Must(t, err)
		if rep != (backfill.Report{Coops: 2, Applications: 5, Tenders: 3}) {
			t.Errorf("report = %+v, want 2 co-ops, 5 applications, 3 tenders", rep)
		}
		if got := read(t, st); got != want {
			t.Errorf("after the backfill:\n agency  %s\n funder  %s\n council %s\nwant (refreshed after every change):\n agency  %s\n funder  %s\n council %s",
				got.agency, got.funder, got.council, want.agency, want.funder, want.council)
		}
		needed, err = backfill.Needed(context.Background(), st.Table())
		testkit.Must(t, err)
		if needed {
			t.Error("Needed = true after a completed run")
		}

		ct := &counting{Table: st.Table()}
		rep, err = run(t, st, project.New(ct, insightwire.Sources(st)...))
		testkit.Must(t, err)
		if n := ct.writes.Load(); n != 0 || rep.Coops != 2 {
			t.Errorf("second run: %d writes by the projector (want none), report %+v", n, rep)
		}

		sweep(t, st)
		if got := read(t, st); got != want {
			t.Errorf("the outbox's deliveries after the backfill changed the dashboards:\n%+v\nwant\n%+v", got, want)
		}
	})
}

// flaky fails the refresh of one subject.
type flaky struct {
	backfill.Refresher
	bad  string
	seen []string
}

func (f *flaky) Refresh(ctx context.Context, kind, id string, at time.Time) error {
	f.seen = append(f.seen, kind+"/"+id)
	if id == f.bad {
		return errors.New("the table is having a bad day")
	}
	return f.Refresher.Refresh(ctx, kind, id, at)
}

// A subject that fails is counted and named, the others are refreshed,
// and no marker is written, so the next run tries again.
func TestFailureGoesOn(t *testing.T) {
	st := testkit.Store(t)
	seed(t, st)
	f := &flaky{Refresher: insightwire.New(st), bad: fundingtest.CoopA}
	rep, err := run(t, st, f)
	if err == nil || !strings.Contains(err.Error(), fundingtest.CoopA) {
		t.Fatalf("err = %v, want one naming %s", err, fundingtest.CoopA)
	}
	if rep != (backfill.Report{Coops: 1, Applications: 5, Tenders: 3, Failed: 1}) {
		t.Errorf("report = %+v", rep)
	}
	if len(f.seen) != 10 {
		t.Errorf("refreshed %d subjects, want 10: %v", len(f.seen), f.seen)
	}
	needed, err := backfill.Needed(context.Background(), st.Table())
	testkit.Must(t, err)
	if !needed {
		t.Error("a run with a failure wrote the marker")
	}
	rep, err = run(t, st, insightwire.New(st))
	testkit.Must(t, err)
	if rep.Failed != 0 || rep.Coops != 2 {
		t.Errorf("second run: %+v", rep)
	}
}

// A marker of an older version, or none, asks for a run.
func TestNeededByVersion(t *testing.T) {
	tbl := testkit.Store(t).Table()
	ctx := context.Background()
	for _, tc := range []struct {
		body string
		want bool
	}{
		{`{"version":0}`, true},
		{`{"version":` + itoa(backfill.Version) + `}`, false},
		{`{"version":` + itoa(backfill.Version+1) + `}`, false},
		{`not json`, true},
	} {
		testkit.Must(t, tbl.Transact(ctx, table.Put(table.Item{PK: backfill.MarkerPK, SK: backfill.MarkerSK, Body: []byte(tc.body)}, table.Cond{})))
		got, err := backfill.Needed(ctx, tbl)
		testkit.Must(t, err)
		if got != tc.want {
			t.Errorf("marker %s: Needed = %v, want %v", tc.body, got, tc.want)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
