package journey_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/oklog/ulid/v2"
)

// service is the journey service over a fresh store and the fake
// workflows, with one agency running one programme, a founder and
// several of the agency's staff, and a clock the test sets.
type service struct {
	t     *testing.T
	ctx   context.Context
	store pathway.Store
	wf    *testkit.Workflows
	svc   *journey.Service
	now   time.Time
}

const (
	agency    = "org-fellside-cda"
	programme = "prog-fellside-start"
	founderID = "user-founder-ash"
)

var founder = &pathway.User{ID: founderID, Name: "Ash Example", Role: pathway.RoleFounder}

// staff returns the i-th member of the agency's staff.
func staff(i int) *pathway.User {
	return &pathway.User{ID: fmt.Sprintf("user-staff-%02d", i), Name: fmt.Sprintf("Staff %d", i), Role: pathway.RoleAgency, Organisation: agency}
}

func newService(t *testing.T, st pathway.Store) *service {
	t.Helper()
	s := &service{t: t, ctx: t.Context(), store: st, wf: &testkit.Workflows{},
		now: time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)}
	s.svc = journey.New(st, s.wf, func() time.Time { return s.now })
	s.must(st.PutOrganisation(s.ctx, &pathway.Organisation{ID: agency, Name: "Fellside Co-op Development", Kind: pathway.OrgAgency}))
	s.must(st.PutProgramme(s.ctx, &pathway.Programme{ID: programme, Name: "Fellside Start-up", Agency: agency,
		Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	return s
}

func (s *service) must(err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatal(err)
	}
}

// coop stores a co-op of the programme, founded by the founder, in the stage.
func (s *service) coop(id, stage string) *pathway.Coop {
	s.t.Helper()
	entered := s.now.AddDate(0, 0, -3)
	c := &pathway.Coop{ID: id, Name: "Co-op " + id, Programme: programme, LegalForm: pathway.FormCooperativeSociety,
		Origin: pathway.OriginNewStart, LocalAuthority: "Cumberland", Services: []string{"home-care"},
		RegulatedActivities: []string{pathway.ActivityPersonalCare},
		Members:             []pathway.Member{{Name: "Ira Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Founders:            []string{founderID}, Stage: stage, StageEnteredAt: entered, CreatedAt: entered, UpdatedAt: entered}
	s.must(s.store.CreateCoop(s.ctx, c, &pathway.Event{ID: ulid.Make().String(), Coop: id,
		At: entered, Actor: founderID, Action: pathway.ActionApplicationSubmitted, Summary: "Applied.", To: stage}, nil))
	return c
}

// task opens a task of the co-op, as a workflow step does.
func (s *service) task(coop, id, kind, role, org, token string, due time.Time) *pathway.Task {
	s.t.Helper()
	t, err := s.store.PutTask(s.ctx, &pathway.Task{ID: id, Kind: kind, Coop: coop, Organisation: org, Role: role,
		Title: "Task " + id, Due: due, Token: token, Status: pathway.TaskOpen, CreatedAt: s.now})
	s.must(err)
	return t
}

// actions returns the actions of the co-op's audit trail.
func (s *service) actions(coop string) []string {
	s.t.Helper()
	page, err := s.store.ListEvents(s.ctx, pathway.CoopSubject(coop), "", pathway.MaxPageSize)
	s.must(err)
	var out []string
	for _, e := range page.Events {
		out = append(out, e.Action)
	}
	return out
}

// count counts a among actions.
func count(actions []string, a string) int {
	n := 0
	for _, x := range actions {
		if x == a {
			n++
		}
	}
	return n
}

// pending counts the deliveries not sent yet.
func (s *service) pending() int {
	s.t.Helper()
	ds, err := s.store.PendingDeliveries(s.ctx, pathway.MaxPageSize)
	s.must(err)
	return len(ds)
}

// TestDecideOnceUnderConcurrency: of twenty staff answering one panel
// decision at once, exactly one answer is taken; every other is told it
// was answered already. The workflow gets that one answer, once, with who
// gave it; the audit trail has one line for it; nothing is left to send;
// and the co-op no longer counts the task open.
func TestDecideOnceUnderConcurrency(t *testing.T) {
	for _, lag := range []time.Duration{0, testkit.IndexLag} {
		t.Run(fmt.Sprintf("index lag %v", lag), func(t *testing.T) {
			st, _ := testkit.Open(t, lag)
			s := newService(t, st)
			c := s.coop("coop-panel", pathway.StageAwaitingPanel)
			panel := s.task(c.ID, "task-panel", pathway.TaskPanelDecision, pathway.RoleAgency, agency, "tok-panel", s.now.AddDate(0, 0, 14))
			const n = 20
			var wg sync.WaitGroup
			var won atomic.Int32
			winner := make(chan string, n)
			for i := range n {
				wg.Go(func() {
					u := staff(i)
					tk, cp, err := s.svc.TaskToAnswer(s.ctx, u, panel.ID)
					if err == nil {
						_, err = s.svc.Decide(s.ctx, u, tk, cp, &journey.PanelAnswer{Outcome: pathway.PanelAccept, Notes: "Ready: " + u.ID})
					}
					switch pathway.ErrorCode(err) {
					case "":
						won.Add(1)
						winner <- u.ID
					case pathway.ECONFLICT:
						if !strings.Contains(pathway.ErrorMessage(err), "answered already") {
							t.Errorf("%s: conflict %q, want \"answered already\"", u.ID, pathway.ErrorMessage(err))
						}
					default:
						t.Errorf("%s: %v", u.ID, err)
					}
				})
			}
			wg.Wait()
			if won.Load() != 1 {
				t.Fatalf("%d answers were taken, want exactly 1", won.Load())
			}
			who := <-winner
			answers := s.wf.Answers()
			if len(answers) != 1 || answers[0].Token != "tok-panel" {
				t.Fatalf("the workflow got %+v, want one answer on tok-panel", answers)
			}
			var d pathway.PanelDecision
			s.must(json.Unmarshal(answers[0].Output, &d))
			if d.Outcome != pathway.PanelAccept || d.By != who || d.Notes != "Ready: "+who {
				t.Errorf("the workflow's answer %+v is not the winner's (%s)", d, who)
			}
			if got := count(s.actions(c.ID), pathway.ActionTaskAnswered); got != 1 {
				t.Errorf("%d task.answered events, want 1", got)
			}
			if s.pending() != 0 {
				t.Errorf("deliveries left to send after the answer was sent")
			}
			stored, err := s.store.GetCoop(s.ctx, c.ID)
			s.must(err)
			if stored.Tasks.Open != 0 {
				t.Errorf("the co-op still counts %d open tasks", stored.Tasks.Open)
			}
		})
	}
}

// TestDecideStandsWhenTheWorkflowIsUnavailable: an answer the workflow
// service cannot take just now is still taken (the caller is told so),
// kept, and sent by the next sweep, once.
func TestDecideStandsWhenTheWorkflowIsUnavailable(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-sub", pathway.StageCQCReady)
	sub := s.task(c.ID, "task-sub", pathway.TaskCQCSubmission, pathway.RoleFounder, "", "tok-sub", s.now.AddDate(0, 0, 28))
	s.wf.FailAnswers(errors.New("sfn: connection reset by peer"), 1)
	tk, cp, err := s.svc.TaskToAnswer(s.ctx, founder, sub.ID)
	s.must(err)
	v, err := s.svc.Decide(s.ctx, founder, tk, cp, &journey.SubmissionAnswer{SubmittedOn: "2027-03-09"})
	if err != nil || v.Status != pathway.TaskCompleted {
		t.Fatalf("Decide while the workflows are down = %+v, %v; want the answer taken", v, err)
	}
	if len(s.wf.Answers()) != 0 || s.pending() != 1 {
		t.Fatalf("answers %v, pending %d; want none sent and one kept", s.wf.Answers(), s.pending())
	}
	if _, _, err := s.svc.TaskToAnswer(s.ctx, founder, sub.ID); pathway.ErrorCode(err) != pathway.ECONFLICT {
		t.Errorf("answering again = %v, want ECONFLICT", err)
	}
	sent, err := s.svc.Outbox().Sweep(s.ctx, true)
	s.must(err)
	answers := s.wf.Answers()
	if sent != 1 || len(answers) != 1 || answers[0].Token != "tok-sub" || s.pending() != 0 {
		t.Fatalf("sweep sent %d: answers %+v, pending %d; want the kept answer sent once", sent, answers, s.pending())
	}
	var got pathway.Submission
	s.must(json.Unmarshal(answers[0].Output, &got))
	if got.SubmittedOn != "2027-03-09" || got.By != founderID {
		t.Errorf("sent %+v", got)
	}
}

// TestDecideAnswerNoLongerAwaited: an answer the workflow no longer waits
// for (it timed out and escalated, another task with the token was
// answered) is refused with ECONFLICT, recorded as not used, and the task
// stays closed.
func TestDecideAnswerNoLongerAwaited(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-late", pathway.StageAwaitingPanel)
	panel := s.task(c.ID, "task-late", pathway.TaskPanelDecision, pathway.RoleAgency, agency, "tok-late", s.now)
	s.must(s.wf.SendTaskSuccess(s.ctx, "tok-late", json.RawMessage(`{"outcome":"defer"}`))) // answered another way
	tk, cp, err := s.svc.TaskToAnswer(s.ctx, staff(1), panel.ID)
	s.must(err)
	_, err = s.svc.Decide(s.ctx, staff(1), tk, cp, &journey.PanelAnswer{Outcome: pathway.PanelAccept})
	if pathway.ErrorCode(err) != pathway.ECONFLICT || !strings.Contains(pathway.ErrorMessage(err), "no longer needed") {
		t.Fatalf("Decide = %v, want ECONFLICT saying the answer is no longer needed", err)
	}
	if count(s.actions(c.ID), pathway.ActionTaskNotUsed) != 1 || s.pending() != 0 {
		t.Errorf("audit trail %v, pending %d; want the answer recorded as not used", s.actions(c.ID), s.pending())
	}
	if got, err := s.store.GetTask(s.ctx, panel.ID); err != nil || got.Status != pathway.TaskCompleted {
		t.Errorf("task = %+v, %v; want it closed", got, err)
	}
}

// checklist stores n required items marked done and one optional item,
// and the founders' checklist wait.
func (s *service) checklist(coop string, n int) []*pathway.ChecklistItem {
	s.t.Helper()
	var items []*pathway.ChecklistItem
	for i := range n {
		items = append(items, &pathway.ChecklistItem{Coop: coop, ID: fmt.Sprintf("REQ-%02d", i), Group: pathway.GroupPolicies,
			Title: fmt.Sprintf("Policy %d", i), Required: true, Status: pathway.ItemNotStarted})
	}
	items = append(items, &pathway.ChecklistItem{Coop: coop, ID: "OPT-01", Group: pathway.GroupInsurance,
		Title: "Public liability insurance", Required: false, Status: pathway.ItemNotStarted})
	s.must(s.store.PutChecklist(s.ctx, items))
	for _, it := range items[:n] {
		_, err := s.svc.MarkDone(s.ctx, founder, coop, it.ID, journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "Agreed by the committee."})
		s.must(err)
	}
	s.task(coop, "task-checklist", pathway.TaskChecklist, pathway.RoleFounder, "", "tok-checklist", s.now.AddDate(0, 0, 84))
	return items
}

// TestVerifyReleasesTheChecklistOnce: staff verifying every required item
// at once release the registration workflow's checklist wait exactly
// once, with the full count, whichever verification comes last.
func TestVerifyReleasesTheChecklistOnce(t *testing.T) {
	for _, lag := range []time.Duration{0, testkit.IndexLag} {
		t.Run(fmt.Sprintf("index lag %v", lag), func(t *testing.T) {
			st, _ := testkit.Open(t, lag)
			s := newService(t, st)
			c := s.coop("coop-checklist", pathway.StageCQCPreparing)
			const n = 8
			items := s.checklist(c.ID, n)
			var wg sync.WaitGroup
			for i, it := range items[:n] {
				wg.Go(func() {
					if _, err := s.svc.Verify(s.ctx, staff(i), c.ID, it.ID, journey.Verification{Outcome: journey.VerifyAccepted}); err != nil {
						t.Errorf("verify %s: %v", it.ID, err)
					}
				})
			}
			wg.Wait()
			var releases []testkit.Answer
			for _, a := range s.wf.Answers() {
				if a.Token == "tok-checklist" {
					releases = append(releases, a)
				}
			}
			if len(releases) != 1 {
				t.Fatalf("the checklist wait was answered %d times, want once", len(releases))
			}
			var rel pathway.ChecklistRelease
			s.must(json.Unmarshal(releases[0].Output, &rel))
			if rel.CoopID != c.ID || rel.Required != n || rel.Verified != n || !strings.HasPrefix(rel.By, "user-staff-") {
				t.Errorf("release %+v, want %d of %d verified by a member of staff", rel, n, n)
			}
			if got := count(s.actions(c.ID), pathway.ActionChecklistItemVerified); got != n {
				t.Errorf("%d item-verified events, want %d", got, n)
			}
			if s.pending() != 0 {
				t.Errorf("a release is left unsent")
			}
			open, err := s.store.ListTasks(s.ctx, pathway.TaskFilter{Coop: c.ID})
			s.must(err)
			if len(open) != 0 {
				t.Errorf("open tasks after the release: %+v", open)
			}
		})
	}
}

// TestVerifySameItemConcurrently: two staff judging the same evidence at
// once, each from the version they saw: one judgement stands, the other
// is refused, and the item says what the one that stood decided.
func TestVerifySameItemConcurrently(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-item", pathway.StageCQCPreparing)
	items := s.checklist(c.ID, 2)
	seen, err := s.store.GetChecklistItem(s.ctx, c.ID, items[0].ID)
	s.must(err)
	judgements := []journey.Verification{
		{Outcome: journey.VerifyAccepted, IfVersion: seen.Version},
		{Outcome: journey.VerifyReturned, Comment: "The policy is not signed.", IfVersion: seen.Version},
	}
	errs := make([]error, len(judgements))
	var wg sync.WaitGroup
	for i, v := range judgements {
		wg.Go(func() { _, errs[i] = s.svc.Verify(s.ctx, staff(i), c.ID, seen.ID, v) })
	}
	wg.Wait()
	stood := -1
	for i, err := range errs {
		switch pathway.ErrorCode(err) {
		case "":
			if stood >= 0 {
				t.Fatalf("both judgements stood")
			}
			stood = i
		case pathway.ECONFLICT:
		default:
			t.Fatalf("judgement %d: %v", i, err)
		}
	}
	if stood < 0 {
		t.Fatalf("neither judgement stood: %v", errs)
	}
	got, err := s.store.GetChecklistItem(s.ctx, c.ID, seen.ID)
	s.must(err)
	want := map[string]string{journey.VerifyAccepted: pathway.ItemVerified, journey.VerifyReturned: pathway.ItemReturned}[judgements[stood].Outcome]
	if got.Status != want || got.UpdatedBy != staff(stood).ID || got.Version != seen.Version+1 {
		t.Errorf("item %s by %s at version %d, want %s by %s at %d", got.Status, got.UpdatedBy, got.Version, want, staff(stood).ID, seen.Version+1)
	}
	if len(s.wf.Answers()) != 0 {
		t.Errorf("one verified item of two released the checklist: %+v", s.wf.Answers())
	}
}

// TestAnswersTakeTodayInLondon: a date people enter may be today in the
// UK. Half an hour after midnight in a London summer it is still the day
// before in UTC; today's date is taken and tomorrow's refused.
func TestAnswersTakeTodayInLondon(t *testing.T) {
	s := newService(t, testkit.Store(t))
	s.now = time.Date(2027, 7, 14, 23, 30, 0, 0, time.UTC) // 00:30 on 15 July in London
	c := s.coop("coop-summer", pathway.StageCQCSubmitted)
	dec := s.task(c.ID, "task-dec", pathway.TaskCQCDecision, pathway.RoleFounder, "", "tok-dec", s.now.AddDate(0, 0, 70))
	sub := s.task(c.ID, "task-sub", pathway.TaskCQCSubmission, pathway.RoleFounder, "", "tok-sub", s.now.AddDate(0, 0, 28))
	tk, cp, err := s.svc.TaskToAnswer(s.ctx, founder, dec.ID)
	s.must(err)
	_, err = s.svc.Decide(s.ctx, founder, tk, cp, &journey.CQCAnswer{Outcome: pathway.CQCRefused, DecidedOn: "2027-07-16"})
	if pathway.ErrorFields(err)["decidedOn"] == "" {
		t.Errorf("a notice dated tomorrow in London = %v, want decidedOn refused", err)
	}
	if _, err := s.svc.Decide(s.ctx, founder, tk, cp, &journey.CQCAnswer{Outcome: pathway.CQCRefused, DecidedOn: "2027-07-15"}); err != nil {
		t.Errorf("a notice dated today in London = %v, want it taken", err)
	}
	tk, cp, err = s.svc.TaskToAnswer(s.ctx, founder, sub.ID)
	s.must(err)
	if _, err := s.svc.Decide(s.ctx, founder, tk, cp, &journey.SubmissionAnswer{SubmittedOn: "2027-07-15"}); err != nil {
		t.Errorf("submitted today in London = %v, want it taken", err)
	}
}
