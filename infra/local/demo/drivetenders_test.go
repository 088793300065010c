package demo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/ocds"
	"github.com/coopcarepathway/pathway/shared/ocds/ocdsschema"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// driveTenders is the tenders' part of one `--demo` start, over the
// engine, after Seed.
func driveTenders(t *testing.T, st *testStore, e *states.Engine) *tenderstore.Store {
	t.Helper()
	ts := tenderstore.New(st.table)
	if err := demo.DriveTenders(t.Context(), st, ts, localsfn.New(e)); err != nil {
		t.Fatal(err)
	}
	e.WaitIdle()
	return ts
}

// seedAndDriveTenders is a `--demo` start of the seeding and the tenders
// (the tenders need no live co-op).
func seedAndDriveTenders(t *testing.T, st *testStore, e *states.Engine) *tenderstore.Store {
	t.Helper()
	if err := demo.Seed(t.Context(), st, time.Now()); err != nil {
		t.Fatal(err)
	}
	return driveTenders(t, st, e)
}

// tenderSnapshot writes what the demo's tenders are: status, version,
// bids, evaluations, summaries and open tasks.
func tenderSnapshot(t *testing.T, st *testStore, ts *tenderstore.Store) string {
	t.Helper()
	ctx := t.Context()
	var b strings.Builder
	for _, l := range demo.LiveTenders(time.Now()) {
		td, err := ts.GetTender(ctx, l.Tender.ID)
		if err != nil {
			t.Fatalf("%s: %v", l.Tender.Title, err)
		}
		fmt.Fprintf(&b, "%s %s v%d bids %d notices %d\n", td.ID, td.Status, td.Version, td.Bids, len(td.Notices))
		open, err := st.ListTasks(ctx, pathway.TaskFilter{Subject: tenders.Subject(td.ID)})
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range open {
			fmt.Fprintf(&b, "  task %s %s\n", task.ID, task.Kind)
		}
		bids, err := ts.ListBids(ctx, td.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, bid := range bids {
			evs, _ := ts.Evaluations(ctx, bid.ID)
			fmt.Fprintf(&b, "  bid %s %s v%d, %d evaluations\n", bid.ID, bid.Status, bid.Version, len(evs))
		}
	}
	return b.String()
}

// TestDemoTenders drives the demo council's tenders through the tenders
// service and the real tender workflow and checks each is as the demo
// tells it: one open for bids that a demo co-op can bid for (and one
// cannot, saying why); one awarded and in standstill to a day in the
// future; one whose contract is entered into, its winner contracted and
// the contract details notice due in 120 days; that the contracted one's
// OCDS package validates against the official schema; and that a second
// start changes nothing.
func TestDemoTenders(t *testing.T) {
	st := openStore(t)
	e := startEngine(t, st, nil)
	ts := seedAndDriveTenders(t, st, e)
	ctx := t.Context()
	svc := tenderservice.New(st, ts, localsfn.New(e), time.Now)
	today := pathway.UKToday(time.Now()).Format(time.DateOnly)

	got := map[string]*tenders.Tender{}
	for _, l := range demo.LiveTenders(time.Now()) {
		td, err := ts.GetTender(ctx, l.Tender.ID)
		if err != nil {
			t.Fatal(err)
		}
		if td.Status != l.Target || td.Council != demo.OrgTenderCouncil {
			t.Errorf("%s is %s of %s, want %s of %s", td.Title, td.Status, td.Council, l.Target, demo.OrgTenderCouncil)
		}
		if n, ok := td.NoticeOf(tenders.NoticeTender); !ok || n.PublishedOn == "" {
			t.Errorf("%s has no tender notice (UK4): %+v", td.Title, td.Notices)
		}
		got[td.ID] = td
	}

	t.Run("open", func(t *testing.T) {
		td := got[demo.TenderOpen]
		if weeks := time.Until(td.TendersCloseAt); weeks < 3*7*24*time.Hour {
			t.Errorf("bids close %v, want weeks ahead", td.TendersCloseAt)
		}
		can := canBid(t, svc, demo.UserFounderMendip, demo.CoopMendip)
		if !can.CanBid {
			t.Errorf("Mendip cannot bid for the open tender: %+v", can.Reasons)
		}
		// Nell's seeded co-op, declined by the panel and never registered
		// with CQC, cannot, and she is told why.
		cannot := canBid(t, svc, demo.UserFounderCalder, "coop-riverside-companions")
		if cannot.CanBid || !slices.ContainsFunc(cannot.Reasons, func(r pathway.Reason) bool { return r.Field == "regulatedActivities" }) {
			t.Errorf("Riverside Companions, not registered with CQC, can bid: %+v", cannot)
		}
	})

	t.Run("standstill", func(t *testing.T) {
		td := got[demo.TenderStandstill]
		if td.Period == nil || td.Period.From != today || td.Period.LastDay <= today || td.Period.EnterFrom <= td.Period.LastDay {
			t.Errorf("standstill %+v, want from today to a day in the future", td.Period)
		}
		if n, ok := td.NoticeOf(tenders.NoticeAward); !ok || n.PublishedOn != today {
			t.Errorf("award notice (UK6) %+v, want published today", n)
		}
		if td.Award == nil || td.Award.SummariesSentAt.IsZero() {
			t.Errorf("award %+v, want the assessment summaries sent", td.Award)
		}
		checkBids(t, ts, td, demo.CoopBlackdown)
		for _, c := range []string{demo.CoopBlackdown, demo.CoopMendip} {
			if stage := coopStage(t, st, c); stage != pathway.StageCQCRegistered {
				t.Errorf("%s is %s during standstill, want still cqc-registered", c, stage)
			}
		}
	})

	t.Run("contracted", func(t *testing.T) {
		td := got[demo.TenderContracted]
		if td.Period != nil || td.Contract == nil || td.Contract.SignedOn != today {
			t.Fatalf("period %+v contract %+v, want no standstill and a contract signed today", td.Period, td.Contract)
		}
		checkBids(t, ts, td, demo.CoopBrue)
		if stage := coopStage(t, st, demo.CoopBrue); stage != pathway.StageContracted {
			t.Errorf("the winner is %s, want contracted", stage)
		}
		if stage := coopStage(t, st, demo.CoopBlackdown); stage != pathway.StageCQCRegistered {
			t.Errorf("the losing co-op is %s, want cqc-registered", stage)
		}
		// Light touch: the contract details notice (UK7) within 120 days
		// beginning with the day the contract was entered into.
		due := pathway.UKToday(time.Now()).AddDate(0, 0, 119).Format(time.DateOnly)
		open, err := st.ListTasks(ctx, pathway.TaskFilter{Subject: tenders.Subject(td.ID)})
		if err != nil {
			t.Fatal(err)
		}
		if len(open) != 1 || open[0].Kind != tenders.TaskContractNotice || open[0].Due.In(pathway.UKTime).Format(time.DateOnly) != due ||
			td.Contract.NoticeDue != due || open[0].Organisation != demo.OrgTenderCouncil {
			t.Errorf("open tasks %+v, notice due %s: want one UK7 task due %s", open, td.Contract.NoticeDue, due)
		}
		var moved bool
		for _, e := range events(t, st, demo.CoopBrue) {
			moved = moved || e.To == pathway.StageContracted
		}
		if !moved {
			t.Errorf("no event moves the winner to contracted")
		}
	})

	t.Run("ocds", func(t *testing.T) {
		pkg, err := svc.OCDS(ctx, user(demo.UserCouncilStaff), demo.TenderContracted, "https://pathway.example.org/api/tenders/"+demo.TenderContracted+"/ocds.json")
		if err != nil {
			t.Fatal(err)
		}
		data, err := ocds.Marshal(pkg)
		if err != nil {
			t.Fatal(err)
		}
		if err := ocdsschema.Validate(data); err != nil {
			t.Errorf("the demo's OCDS package does not validate: %v\n%s", err, data)
		}
		var tags []string
		for _, r := range pkg.Releases {
			tags = append(tags, r.Tag...)
			if !strings.HasPrefix(r.OCID, demo.TenderOCIDPrefix+"-") {
				t.Errorf("ocid %s, want the council's prefix %s", r.OCID, demo.TenderOCIDPrefix)
			}
		}
		for _, want := range []string{"tender", "award", "contract"} {
			if !slices.Contains(tags, want) {
				t.Errorf("releases tagged %v, want a %s release", tags, want)
			}
		}
	})

	before := tenderSnapshot(t, st, ts)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	again := startEngine(t, st, nil)
	seedAndDriveTenders(t, st, again)
	if after := tenderSnapshot(t, st, ts); after != before {
		t.Errorf("a second --demo start changed the tenders:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if exs, err := again.ListExecutions(ctx, pathway.WorkflowTender, ""); err != nil || len(exs) != len(got) {
		t.Errorf("%d tender executions (%v) after a second start, want one per tender", len(exs), err)
	}
}

// canBid returns whether the founder's co-op can bid for the open tender,
// as the founder is told.
func canBid(t *testing.T, svc *tenderservice.Service, founder, coop string) tenderservice.CoopBidding {
	t.Helper()
	v, err := svc.Tender(t.Context(), user(founder), demo.TenderOpen)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range v.Coops {
		if c.Coop == coop {
			return c
		}
	}
	t.Fatalf("%s's co-ops %+v do not include %s", founder, v.Coops, coop)
	return tenderservice.CoopBidding{}
}

// checkBids checks the tender's two bids were evaluated by both
// evaluators, moderated, and that the winner won and the other lost, each
// with an assessment summary.
func checkBids(t *testing.T, ts *tenderstore.Store, td *tenders.Tender, winner string) {
	t.Helper()
	ctx := t.Context()
	bids, err := ts.ListBids(ctx, td.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(bids) != 2 {
		t.Fatalf("%s has %d bids, want 2", td.Title, len(bids))
	}
	for _, b := range bids {
		want := tenders.BidLost
		if b.Coop == winner {
			want = tenders.BidWon
		}
		if b.Status != want || b.Agreed == nil || !b.CreatedAt.Before(td.TendersCloseAt) {
			t.Errorf("%s's bid is %s (agreed %v, sent %v), want %s, moderated, sent before the deadline %v", b.Coop, b.Status, b.Agreed, b.CreatedAt, want, td.TendersCloseAt)
		}
		evs, err := ts.Evaluations(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 {
			t.Errorf("%s's bid has %d evaluations, want one per evaluator", b.Coop, len(evs))
		}
		if sum, err := ts.GetSummary(ctx, b.ID); err != nil || sum.Coop != b.Coop {
			t.Errorf("%s's assessment summary: %+v, %v", b.Coop, sum, err)
		}
	}
}

func coopStage(t *testing.T, st pathway.Store, id string) string {
	t.Helper()
	c, err := st.GetCoop(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Stage
}

// noTenderStarts is the engine refusing to start tender workflows: a
// `--demo` start stopped after publishing and bidding.
type noTenderStarts struct{ pathway.Workflows }

func (w noTenderStarts) StartExecution(ctx context.Context, machine, name string, input json.RawMessage) error {
	if machine == pathway.WorkflowTender {
		return errors.New("connection refused")
	}
	return w.Workflows.StartExecution(ctx, machine, name, input)
}

// TestDriveTendersResumes: a drive whose tender workflows could not start
// leaves the tenders published with their bids in; the next drive starts
// them and carries each to its target, bidding nothing twice.
func TestDriveTendersResumes(t *testing.T) {
	st := openStore(t)
	e := startEngine(t, st, nil)
	if err := demo.Seed(t.Context(), st, time.Now()); err != nil {
		t.Fatal(err)
	}
	ts := tenderstore.New(st.table)
	if err := demo.DriveTenders(t.Context(), st, ts, noTenderStarts{localsfn.New(e)}); err == nil {
		t.Fatal("the drive whose workflows could not start reported success")
	}
	e.WaitIdle()
	for _, l := range demo.LiveTenders(time.Now()) {
		td, err := ts.GetTender(t.Context(), l.Tender.ID)
		if err != nil || td.Status != tenders.StatusOpen || td.Bids != len(l.Bids) {
			t.Fatalf("%s after the cut drive: %+v %v, want open with its %d bids", l.Tender.Title, td, err, len(l.Bids))
		}
	}
	driveTenders(t, st, e)
	for _, l := range demo.LiveTenders(time.Now()) {
		td, err := ts.GetTender(t.Context(), l.Tender.ID)
		if err != nil || td.Status != l.Target || td.Bids != len(l.Bids) {
			t.Errorf("%s after the resumed drive: %s with %d bids (%v), want %s with %d", l.Tender.Title, td.Status, td.Bids, err, l.Target, len(l.Bids))
		}
	}
}

// TestDemoCouncil: the demo council has a registered-looking ocid prefix,
// a lead, at least two evaluators and one more member of staff, each an
// invented person at an example.test address; every demo tender is
// evaluated by two of its staff who are not the lead, and serves a real
// English council area.
func TestDemoCouncil(t *testing.T) {
	var council *pathway.Organisation
	for _, o := range demo.Organisations {
		if o.ID == demo.OrgTenderCouncil {
			council = o
		}
	}
	if council == nil || council.Kind != pathway.OrgCouncil || ocds.CheckPrefix(council.OCIDPrefix) != "" {
		t.Fatalf("demo council %+v, want a council with a valid ocid prefix", council)
	}
	staff := map[string]*pathway.User{}
	leads := 0
	for _, u := range demo.Users {
		if u.Organisation != council.ID {
			continue
		}
		staff[u.ID] = u
		if u.Lead {
			leads++
		}
		if u.Role != pathway.RoleCommissioner || !strings.HasSuffix(u.Email, "@example.test") {
			t.Errorf("council user %+v, want a commissioner at example.test", u)
		}
	}
	if leads != 1 || len(staff) < 4 || !staff[demo.UserCouncilLead].Lead {
		t.Errorf("%d staff with %d leads, want a lead, two evaluators and one more", len(staff), leads)
	}
	for _, l := range demo.LiveTenders(time.Now()) {
		ev := l.Tender.Evaluators
		if len(ev) < 2 {
			t.Errorf("%s has %d evaluators, want at least 2", l.Tender.Title, len(ev))
		}
		for _, id := range ev {
			if u := staff[id]; u == nil || u.Lead {
				t.Errorf("%s: evaluator %s is not the council's staff, or is its lead", l.Tender.Title, id)
			}
		}
		for _, a := range l.Tender.Areas {
			if _, ok := pathway.EnglishLocalAuthority(a); !ok {
				t.Errorf("%s: area %q is not an English council area", l.Tender.Title, a)
			}
		}
	}
}
