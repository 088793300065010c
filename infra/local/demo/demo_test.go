package demo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/embedded"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/workflowsteps"
)

// testStore is the demo's store and the table under it, whose file the
// engine shares, as in the local server.
type testStore struct {
	*store.Store
	table *embedded.Table
}

func openStore(t *testing.T) *testStore {
	t.Helper()
	st, tbl := testkit.Open(t, testkit.IndexLag)
	return &testStore{Store: st, table: tbl}
}

// startEngine runs template.yaml's state machines over the store's DB with
// the real step handlers, as the local server does (infra/local/engine.go),
// resuming what an earlier engine on the same DB left. override replaces
// some handlers.
func startEngine(t *testing.T, st *testStore, override map[string]states.Handler) *states.Engine {
	t.Helper()
	e, err := states.New(states.Options{DB: st.table.DB()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	for id, fn := range workflowsteps.Handlers(st.Store, st.Store.Table(), time.Now) {
		e.RegisterHandler(id, states.TypedHandler(fn))
	}
	for id, h := range override {
		e.RegisterHandler(id, h)
	}
	if err := e.LoadTemplate(filepath.Join("..", "..", "..", "template.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := e.Resume(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e
}

// seedAndDrive is one `--demo` start: seed, then drive over the engine,
// then wait until the engine has nothing left to run.
func seedAndDrive(t *testing.T, st pathway.Store, e *states.Engine) {
	t.Helper()
	if err := demo.Seed(t.Context(), st, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := demo.Drive(t.Context(), journey.New(st, localsfn.New(e), time.Now), st); err != nil {
		t.Fatal(err)
	}
	e.WaitIdle()
}

func TestSeedIsIdempotent(t *testing.T) {
	st := openStore(t)
	ctx := t.Context()
	now := time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)
	if err := demo.Seed(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	// A change made after seeding survives a second seeding.
	first, err := st.GetCoop(ctx, demo.Coops[0].Coop.ID)
	if err != nil {
		t.Fatal(err)
	}
	first.Name = "Renamed by a test"
	if err := st.UpdateCoop(ctx, first, nil); err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, st, now.Add(48*time.Hour)); err != nil {
		t.Fatalf("second seeding: %v", err)
	}

	users, err := st.ListUsers(ctx)
	if err != nil || len(users) != len(demo.Users) {
		t.Fatalf("%d users (%v), want %d", len(users), err, len(demo.Users))
	}
	for _, sc := range demo.Coops {
		c, err := st.GetCoop(ctx, sc.Coop.ID)
		if err != nil {
			t.Fatalf("%s: %v", sc.Coop.ID, err)
		}
		if n := len(events(t, st, c.ID)); n != len(sc.History) {
			t.Errorf("%s has %d events, want %d (one per history step, never repeated)", c.ID, n, len(sc.History))
		}
		if want := now.Add(-time.Duration(sc.History[0].DaysAgo) * 24 * time.Hour); !c.CreatedAt.Equal(want) {
			t.Errorf("%s created %v, want %v (from the first seeding)", c.ID, c.CreatedAt, want)
		}
	}
	again, _ := st.GetCoop(ctx, first.ID)
	if again.Name != "Renamed by a test" {
		t.Errorf("second seeding reset a changed co-op: %q", again.Name)
	}
	// Seeding alone starts no journey: the live co-ops need the workflows.
	for _, l := range demo.Live {
		if _, err := st.GetCoop(ctx, l.ID()); pathway.ErrorCode(err) != pathway.ENOTFOUND {
			t.Errorf("Seed stored live co-op %s (%v); only Drive may create it", l.Application.Name, err)
		}
	}
}

// TestSampleData checks the sample data tells a coherent story: every
// stage is reached, every founder and programme exists, each co-op is
// visible to its founders and its agency, and every role has a user.
func TestSampleData(t *testing.T) {
	users := map[string]*pathway.User{}
	roles := map[string]bool{}
	for _, u := range demo.Users {
		if err := u.Validate(); err != nil {
			t.Errorf("user %s: %v", u.ID, err)
		}
		users[u.ID] = u
		roles[u.Role] = true
		if u.Lead {
			roles[pathway.RoleAgencyLead] = true
		}
	}
	for _, r := range []string{pathway.RoleFounder, pathway.RoleAgency, pathway.RoleAgencyLead, pathway.RoleFunder, pathway.RoleCommissioner} {
		if !roles[r] {
			t.Errorf("no demo user for role %s", r)
		}
	}
	orgs := map[string]*pathway.Organisation{}
	for _, o := range demo.Organisations {
		if err := o.Validate(); err != nil {
			t.Errorf("organisation %s: %v", o.ID, err)
		}
		orgs[o.ID] = o
	}
	progs := map[string]*pathway.Programme{}
	for _, p := range demo.Programmes {
		if err := p.Validate(); err != nil {
			t.Errorf("programme %s: %v", p.ID, err)
		}
		if o := orgs[p.Agency]; o == nil || o.Kind != pathway.OrgAgency {
			t.Errorf("programme %s is run by %q, not a demo agency", p.ID, p.Agency)
		}
		progs[p.ID] = p
	}
	stages := map[string]bool{}
	for _, sc := range demo.Coops {
		c := sc.Coop
		stages[c.Stage] = true
		var reached string
		for _, st := range sc.History {
			if st.To != "" {
				reached = st.To
			}
			if st.Actor != pathway.ActorSystem && users[st.Actor] == nil {
				t.Errorf("%s: step %q by unknown user %q", c.ID, st.Action, st.Actor)
			}
		}
		if reached != c.Stage || sc.History[0].To != pathway.StageApplied {
			t.Errorf("%s: history starts at %q and reaches %q, co-op is in %q", c.ID, sc.History[0].To, reached, c.Stage)
		}
		if !slices.IsSortedFunc(sc.History, func(a, b demo.Step) int { return b.DaysAgo - a.DaysAgo }) {
			t.Errorf("%s: history is not oldest first", c.ID)
		}
		p := progs[c.Programme]
		if p == nil {
			t.Fatalf("%s: unknown programme %q", c.ID, c.Programme)
		}
		for _, f := range c.Founders {
			if u := users[f]; u == nil || !u.CanSeeCoop(c, p) {
				t.Errorf("%s: founder %q missing or cannot see it", c.ID, f)
			}
		}
	}
	keys := map[string]bool{}
	for _, l := range demo.Live {
		stages[l.Target] = true
		if keys[l.ID()] {
			t.Errorf("%s: two live co-ops have the ID %s", l.Application.Name, l.ID())
		}
		keys[l.ID()] = true
		if f := users[l.Founder]; f == nil || f.Role != pathway.RoleFounder {
			t.Errorf("%s: founder %q is not a demo founder", l.Application.Name, l.Founder)
		}
		p := progs[l.Application.Programme]
		if a := users[l.Agency]; p == nil || a == nil || a.Role != pathway.RoleAgency || a.Organisation != p.Agency {
			t.Errorf("%s: %q is not staff of the agency running %q", l.Application.Name, l.Agency, l.Application.Programme)
		}
	}
	// A co-op is contracted by winning a demo tender whose contract is
	// entered into: a seeded co-op registered with CQC, bid for by its
	// founder.
	seeded := map[string]*pathway.Coop{}
	for _, sc := range demo.Coops {
		seeded[sc.Coop.ID] = sc.Coop
	}
	for _, l := range demo.LiveTenders(time.Now()) {
		for _, b := range l.Bids {
			c := seeded[b.Coop]
			if c == nil || c.Stage != pathway.StageCQCRegistered || !slices.Contains(c.Founders, b.Founder) {
				t.Errorf("%s: bid by %s for %q, not a founder of a seeded co-op registered with CQC", l.Tender.Title, b.Founder, b.Coop)
			}
		}
		if l.Target == tenders.StatusContracted && len(l.Bids) > 0 {
			stages[pathway.StageContracted] = true
		}
	}
	for _, s := range pathway.Stages {
		if !stages[s] {
			t.Errorf("no demo co-op is meant to be in the %s stage", s)
		}
	}
}

// TestNamesAreInvented checks the data holds no contact details: people
// are named only, with invented names, and web links use example.org.
func TestNamesAreInvented(t *testing.T) {
	contact := regexp.MustCompile(`@|\+44|\b0\d{4} ?\d{6}\b|https?://`)
	check := func(where, s string) {
		if contact.MatchString(s) {
			t.Errorf("%s %q looks like contact details", where, s)
		}
	}
	names := map[string]bool{}
	for _, u := range demo.Users {
		check("user", u.Name)
		names[u.Name] = true
	}
	members := func(co string, ms []journey.Member) {
		for _, m := range ms {
			check(co, m.Name)
			if len(strings.Fields(m.Name)) < 2 {
				t.Errorf("%s: member %q needs a full invented name", co, m.Name)
			}
		}
	}
	for _, l := range demo.Live {
		check("co-op", l.Application.Name)
		members(l.Application.Name, l.Application.Members)
		if !names[l.Application.Members[0].Name] {
			t.Errorf("%s: the founder who applies should be its first member", l.Application.Name)
		}
		for _, s := range l.Checklist {
			check(l.Application.Name, s.Comment)
		}
	}
	for _, sc := range demo.Coops {
		var ms []journey.Member
		for _, m := range sc.Coop.Members {
			ms = append(ms, journey.Member{Name: m.Name})
		}
		members(sc.Coop.Name, ms)
	}
}

// expectedTasks are the open tasks a live co-op has at its target: kind
// and the role that acts.
var expectedTasks = map[string][][2]string{
	pathway.StageIneligible:          nil,
	pathway.StageAwaitingPanel:       {{pathway.TaskPanelDecision, pathway.RoleAgency}},
	pathway.StageCQCPreparing:        {{pathway.TaskChecklist, pathway.RoleFounder}},
	pathway.StageCQCReady:            {{pathway.TaskCQCSubmission, pathway.RoleFounder}},
	pathway.StageCQCSubmitted:        {{pathway.TaskCQCDecision, pathway.RoleAgency}, {pathway.TaskCQCDecision, pathway.RoleFounder}},
	pathway.StageCQCProposalToRefuse: {{pathway.TaskCQCDecision, pathway.RoleAgency}, {pathway.TaskCQCDecision, pathway.RoleFounder}},
}

// TestDriveReachesEveryStage runs a `--demo` start over the real engine:
// together with the seeded history, co-ops are in every stage for both
// agencies, and each live co-op has exactly the open tasks its stage
// needs, which its founder or agency user may answer.
func TestDriveReachesEveryStage(t *testing.T) {
	st := openStore(t)
	e := startEngine(t, st, nil)
	seedAndDrive(t, st, e)
	driveTenders(t, st, e)           // a contract entered into: its winner is contracted
	time.Sleep(2 * testkit.IndexLag) // the pipeline's index lags writes
	ctx := t.Context()

	perStage := map[string]int{}
	for _, p := range demo.Programmes {
		counts, err := st.CountStages(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) < 6 {
			t.Errorf("%s's pipeline has co-ops in %d stages (%v), want at least 6", p.ID, len(counts), counts)
		}
		for s, n := range counts {
			perStage[s] += n
		}
	}
	for _, s := range pathway.Stages {
		if perStage[s] == 0 {
			t.Errorf("no co-op in the %s stage: %v", s, perStage)
		}
	}
	for _, l := range demo.Live {
		checkLive(t, st, l)
	}

	running := map[string]bool{}
	for _, wf := range []string{pathway.WorkflowApplication, pathway.WorkflowRegistration} {
		exs, err := e.ListExecutions(ctx, wf, states.ExecRunning)
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range exs {
			running[wf+"/"+ex.Name] = true
		}
	}
	for _, l := range demo.Live {
		want := pathway.WorkflowRegistration
		switch l.Target {
		case pathway.StageIneligible:
			continue // its application workflow has ended
		case pathway.StageAwaitingPanel:
			want = pathway.WorkflowApplication
		}
		if !running[want+"/"+l.ID()] {
			t.Errorf("%s: no running %s execution waits for its task", l.Application.Name, want)
		}
	}
}

// checkLive checks a live co-op is at its target with the open tasks, events
// and checklist a person acting on it expects.
func checkLive(t *testing.T, st pathway.Store, l demo.LiveCoop) {
	t.Helper()
	ctx := t.Context()
	c, err := st.GetCoop(ctx, l.ID())
	if err != nil {
		t.Fatalf("%s: %v", l.Application.Name, err)
	}
	if c.Stage != l.Target || c.Failure != "" {
		t.Errorf("%s is at %s (failure %q), want %s", c.Name, c.Stage, c.Failure, l.Target)
	}
	p := programme(l.Application.Programme)
	open, err := st.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]string
	for _, task := range open {
		got = append(got, [2]string{task.Kind, task.Role})
		who := user(l.Founder)
		if task.Role != pathway.RoleFounder {
			who = user(l.Agency)
			if task.Organisation != p.Agency {
				t.Errorf("%s: %s task for organisation %q, want %q", c.Name, task.Kind, task.Organisation, p.Agency)
			}
		}
		if !who.CanActOn(task, c) {
			t.Errorf("%s: %s cannot answer its %s task", c.Name, who.Name, task.Kind)
		}
	}
	slices.SortFunc(got, func(a, b [2]string) int { return strings.Compare(a[0]+a[1], b[0]+b[1]) })
	want := expectedTasks[l.Target]
	items, err := st.ListChecklist(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := pathway.WaitingItems(items); n > 0 {
		// Items marked done wait for the agency's check: its work queue.
		want = append([][2]string{{pathway.TaskChecklistVerification, pathway.RoleAgency}}, want...)
		slices.SortFunc(want, func(a, b [2]string) int { return strings.Compare(a[0]+a[1], b[0]+b[1]) })
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s has open tasks %v, want %v", c.Name, got, want)
	}

	evs := events(t, st, c.ID)
	actions := map[string]int{}
	for _, e := range evs {
		actions[e.Action]++
		if e.Action == "application.submitted" && e.Actor != l.Founder {
			t.Errorf("%s: applied by %s, want %s", c.Name, e.Actor, l.Founder)
		}
	}
	if actions["application.submitted"] != 1 {
		t.Errorf("%s: %d applications, want one", c.Name, actions["application.submitted"])
	}
	if l.DeferPanel && actions["panel.deferred"] != 1 {
		t.Errorf("%s: deferred %d times, want once", c.Name, actions["panel.deferred"])
	}
	if l.Target == pathway.StageIneligible && actions["application.ineligible"] != 1 {
		t.Errorf("%s: %d ineligible events, want 1 with the reasons", c.Name, actions["application.ineligible"])
	}
	if l.Target == pathway.StageCQCProposalToRefuse && actions["cqc.proposal-to-refuse"] != 1 {
		t.Errorf("%s: %d notices of proposal to refuse, want 1", c.Name, actions["cqc.proposal-to-refuse"])
	}
	checkChecklist(t, st, l, c)
}

// checkChecklist checks the items are where the drive leaves them: every
// required item verified once the co-op is past preparing, and the
// scripted items of a co-op still preparing, each done at most as often as
// the script needs.
func checkChecklist(t *testing.T, st pathway.Store, l demo.LiveCoop, c *pathway.Coop) {
	t.Helper()
	items, err := st.ListChecklist(t.Context(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*pathway.ChecklistItem{}
	for _, it := range items {
		byID[it.ID] = it
	}
	past := slices.Contains([]string{pathway.StageCQCReady, pathway.StageCQCSubmitted, pathway.StageCQCProposalToRefuse}, l.Target)
	for _, it := range items {
		if past && it.Required && it.Status != pathway.ItemVerified {
			t.Errorf("%s: required item %s is %s after the checklist was complete", c.Name, it.ID, it.Status)
		}
		if !past && !slices.ContainsFunc(l.Checklist, func(s demo.ItemScript) bool { return s.Item == it.ID }) && it.Status != pathway.ItemNotStarted {
			t.Errorf("%s: unscripted item %s is %s", c.Name, it.ID, it.Status)
		}
	}
	for _, s := range l.Checklist {
		it := byID[s.Item]
		if it == nil {
			t.Errorf("%s: no checklist item %s", c.Name, s.Item)
			continue
		}
		if it.Status != s.Status || it.Comment != s.Comment {
			t.Errorf("%s: item %s is %s with comment %q, want %s with %q", c.Name, s.Item, it.Status, it.Comment, s.Status, s.Comment)
		}
		if it.Version != map[string]int{pathway.ItemDone: 2, pathway.ItemVerified: 3, pathway.ItemReturned: 3}[s.Status] {
			t.Errorf("%s: item %s changed %d times, want each step of its script once", c.Name, s.Item, it.Version-1)
		}
	}
}

// snapshot lists everything Drive and the workflows write for every
// co-op: stage, version, events, open tasks and checklist versions.
func snapshot(t *testing.T, st pathway.Store) string {
	t.Helper()
	// The pipeline is an index, which lags writes (as DynamoDB's do): let
	// it catch up with the drive before reading it.
	time.Sleep(2 * testkit.IndexLag)
	ctx := t.Context()
	var b strings.Builder
	users, err := st.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "users %d\n", len(users))
	for _, p := range demo.Programmes {
		for _, s := range pathway.Stages {
			page, err := st.ListCoops(ctx, pathway.CoopFilter{Programme: p.ID, Stage: s, Limit: pathway.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range page.Coops {
				fmt.Fprintf(&b, "%s %s v%d %s\n", c.ID, c.Stage, c.Version, c.StageEnteredAt)
				for _, e := range events(t, st, c.ID) {
					fmt.Fprintf(&b, "  event %s %s\n", e.ID, e.Action)
				}
				open, _ := st.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID})
				for _, task := range open {
					fmt.Fprintf(&b, "  task %s\n", task.ID)
				}
				items, _ := st.ListChecklist(ctx, c.ID)
				for _, it := range items {
					fmt.Fprintf(&b, "  item %s %s v%d\n", it.ID, it.Status, it.Version)
				}
			}
		}
	}
	return b.String()
}

// TestDemoTwiceChangesNothing starts `--demo` twice over the same store,
// the second time with a new engine resuming the first one's executions,
// as a restart of the local server does.
func TestDemoTwiceChangesNothing(t *testing.T) {
	st := openStore(t)
	e := startEngine(t, st, nil)
	seedAndDrive(t, st, e)
	before := snapshot(t, st)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}

	seedAndDrive(t, st, startEngine(t, st, nil))
	if after := snapshot(t, st); after != before {
		t.Errorf("a second --demo start changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// downWorkflows is a workflow service that is not answering.
type downWorkflows struct{ pathway.Workflows }

func (downWorkflows) StartExecution(context.Context, string, string, json.RawMessage) error {
	return errors.New("connection refused")
}

// cancelAfter is a store that cancels a context after its nth checklist
// update: a `--demo` start killed part way through a checklist.
type cancelAfter struct {
	pathway.Store
	n      int32
	cancel context.CancelFunc
}

func (s *cancelAfter) UpdateChecklistItem(ctx context.Context, it *pathway.ChecklistItem, e *pathway.Event) error {
	err := s.Store.UpdateChecklistItem(ctx, it, e)
	if atomic.AddInt32(&s.n, -1) == 0 {
		s.cancel()
	}
	return err
}

// TestDriveResumes stops a drive part way, twice over: one co-op was
// stored by an application whose workflow never started, and a drive is
// cut off in the middle of a checklist. The next drive finishes every
// co-op from where it is, repeating nothing.
func TestDriveResumes(t *testing.T) {
	st := openStore(t)
	e := startEngine(t, st, nil)
	if err := demo.Seed(t.Context(), st, time.Now()); err != nil {
		t.Fatal(err)
	}
	late := demo.Live[slices.IndexFunc(demo.Live, func(l demo.LiveCoop) bool { return l.Target == pathway.StageCQCProposalToRefuse })]
	if _, err := journey.New(st, downWorkflows{}, time.Now).Apply(t.Context(), user(late.Founder), late.ID(), late.Application); err != nil {
		t.Fatalf("an application whose workflow could not start yet: %v", err)
	}
	if c, err := st.GetCoop(t.Context(), late.ID()); err != nil || c.Stage != pathway.StageApplied {
		t.Fatalf("the application was not stored at the applied stage: %v %v", c, err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cut := &cancelAfter{Store: st, n: 20, cancel: cancel}
	if err := demo.Drive(ctx, journey.New(cut, localsfn.New(e), time.Now), cut); err == nil {
		t.Fatal("the cut-off drive reported success")
	}
	e.WaitIdle()

	if err := demo.Drive(t.Context(), journey.New(st, localsfn.New(e), time.Now), st); err != nil {
		t.Fatalf("resumed drive: %v", err)
	}
	e.WaitIdle()
	for _, l := range demo.Live {
		checkLive(t, st, l)
		counts := map[string]int{}
		for _, ev := range events(t, st, l.ID()) {
			if item := ev.Data["item"]; item != "" {
				counts[ev.Action+" "+item]++
			}
		}
		for k, n := range counts {
			if n > 1 {
				t.Errorf("%s: %q happened %d times", l.Application.Name, k, n)
			}
		}
	}
}

// TestDriveLeavesWhatPeopleDid: after a demo user answers a task or redoes
// a returned item, the next `--demo` start leaves the co-op as they left it.
func TestDriveLeavesWhatPeopleDid(t *testing.T) {
	st := openStore(t)
	e := startEngine(t, st, nil)
	seedAndDrive(t, st, e)
	ctx := t.Context()
	svc := journey.New(st, localsfn.New(e), time.Now)

	var brook, calder demo.LiveCoop
	for _, l := range demo.Live {
		switch {
		case l.Target == pathway.StageAwaitingPanel && !l.DeferPanel:
			brook = l
		case l.Target == pathway.StageCQCPreparing:
			calder = l
		}
	}
	agency := user(brook.Agency)
	inbox, err := svc.Inbox(ctx, agency)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(inbox, func(v journey.TaskView) bool { return v.Coop == brook.ID() })
	if i < 0 {
		t.Fatalf("%s has no panel task in %s's inbox", brook.Application.Name, agency.Name)
	}
	task, c, err := svc.TaskToAnswer(ctx, agency, inbox[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Decide(ctx, agency, task, c, &journey.PanelAnswer{Outcome: "decline", Notes: "Not this round."}); err != nil {
		t.Fatal(err)
	}
	var returned string
	for _, s := range calder.Checklist {
		if s.Status == pathway.ItemReturned {
			returned = s.Item
		}
	}
	up := journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "The enhanced DBS certificate, countersigned."}
	if _, err := svc.MarkDone(ctx, user(calder.Founder), calder.ID(), returned, up); err != nil {
		t.Fatal(err)
	}
	e.WaitIdle()

	seedAndDrive(t, st, e)
	if c, _ := st.GetCoop(ctx, brook.ID()); c.Stage != pathway.StageDeclined {
		t.Errorf("%s is at %s after a second start, want declined as the panel left it", brook.Application.Name, c.Stage)
	}
	if it, _ := st.GetChecklistItem(ctx, calder.ID(), returned); it.Status != pathway.ItemDone || it.Evidence != up.Evidence {
		t.Errorf("%s's item %s is %s (%q) after a second start, want done as the founder left it", calder.Application.Name, returned, it.Status, it.Evidence)
	}
}

// TestDriveReportsAStoppedWorkflow: when a step fails and the workflow
// records the failure, Drive says so in plain English, naming the co-op,
// instead of waiting.
func TestDriveReportsAStoppedWorkflow(t *testing.T) {
	st := openStore(t)
	app := steps.Application.Handler(steps.New(st, time.Now))
	broken := states.TypedHandler(func(ctx context.Context, payload json.RawMessage) (any, error) {
		var p struct {
			Step string `json:"step"`
		}
		if err := json.Unmarshal(payload, &p); err == nil && p.Step == "validate-application" {
			return nil, messages.InvokeResponse_Error{Type: "Pathway.Invalid", Message: "The programme's settings could not be read."}
		}
		return app(ctx, payload)
	})
	e := startEngine(t, st, map[string]states.Handler{"ApplicationFunction": broken})
	if err := demo.Seed(t.Context(), st, time.Now()); err != nil {
		t.Fatal(err)
	}
	err := demo.Drive(t.Context(), journey.New(st, localsfn.New(e), time.Now), st)
	if err == nil {
		t.Fatal("Drive succeeded with a failing workflow step")
	}
	for _, l := range demo.Live {
		if !strings.Contains(err.Error(), l.Application.Name) {
			t.Errorf("the error does not name %s: %v", l.Application.Name, err)
		}
	}
	if !strings.Contains(err.Error(), "workflow stopped at the applied stage") {
		t.Errorf("the error does not say where the workflow stopped: %v", err)
	}
}

func events(t *testing.T, st pathway.Store, coop string) []*pathway.Event {
	t.Helper()
	var all []*pathway.Event
	cursor := ""
	for {
		page, err := st.ListEvents(t.Context(), pathway.CoopSubject(coop), cursor, pathway.MaxPageSize)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Events...)
		if cursor = page.Next; cursor == "" {
			return all
		}
	}
}

func user(id string) *pathway.User {
	for _, u := range demo.Users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

func programme(id string) *pathway.Programme {
	for _, p := range demo.Programmes {
		if p.ID == id {
			return p
		}
	}
	return nil
}
