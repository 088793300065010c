package journey_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

const endReason = "Two founding members took jobs elsewhere and the group has paused."

// wantCode fails unless err has the code ("" for none).
func wantEndCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := pathway.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

// Rule: who may end a co-op's journey, and from which stage. Founders of
// the co-op and the programme's agency staff may withdraw it from any open
// stage; only the agency may record it closed, once registered with CQC
// (contracted or not). Others do not see the co-op at all. A repeat of the
// end a co-op is at is no error and changes nothing.
func TestEndRules(t *testing.T) {
	canWithdraw := map[string]bool{
		pathway.StageApplied: true, pathway.StageAwaitingPanel: true, pathway.StageCQCPreparing: true,
		pathway.StageCQCReady: true, pathway.StageCQCSubmitted: true, pathway.StageCQCProposalToRefuse: true,
		pathway.StageCQCRegistered: true,
	}
	canClose := map[string]bool{pathway.StageCQCRegistered: true, pathway.StageContracted: true}
	otherAgency := &pathway.User{ID: "user-elsewhere", Name: "Lee Elsewhere", Role: pathway.RoleAgency, Organisation: "org-elsewhere"}
	otherFounder := &pathway.User{ID: "user-founder-other", Name: "Kit Other", Role: pathway.RoleFounder}
	funder := &pathway.User{ID: "user-funder", Name: "Fen Funder", Role: pathway.RoleFunder, Organisation: "org-fund"}
	type actor struct {
		name string
		u    *pathway.User
	}
	actors := []actor{{"founder", founder}, {"agency", staff(1)}, {"other agency", otherAgency}, {"other founder", otherFounder}, {"funder", funder}}

	s := newService(t, testkit.Store(t))
	n := 0
	for _, stage := range pathway.Stages {
		for _, a := range actors {
			for _, end := range []string{pathway.StageWithdrawn, pathway.StageClosed} {
				n++
				c := s.coop(fmt.Sprintf("coop-rule-%03d", n), stage)
				var err error
				if end == pathway.StageWithdrawn {
					_, err = s.svc.Withdraw(s.ctx, a.u, c.ID, endReason)
				} else {
					_, err = s.svc.Close(s.ctx, a.u, c.ID, endReason)
				}
				want := ""
				switch {
				case a.name != "founder" && a.name != "agency":
					want = pathway.ENOTFOUND // they cannot see the co-op
				case end == pathway.StageClosed && a.name == "founder":
					want = pathway.EFORBIDDEN
				case stage == end:
					want = "" // a repeat
				case end == pathway.StageWithdrawn && !canWithdraw[stage], end == pathway.StageClosed && !canClose[stage]:
					want = pathway.ECONFLICT
				}
				what := fmt.Sprintf("%s ends %s co-op as %s", a.name, stage, end)
				wantEndCode(t, what, err, want)
				got, gerr := s.store.GetCoop(s.ctx, c.ID)
				s.must(gerr)
				moved := want == "" && stage != end
				if moved != (got.Stage == end && stage != end) || !moved && got.Stage != stage {
					t.Fatalf("%s: stage %s after (moved %v)", what, got.Stage, moved)
				}
				events := count(s.actions(c.ID), pathway.ActionCoopWithdrawn) + count(s.actions(c.ID), pathway.ActionCoopClosed)
				if moved && events != 1 || !moved && events != 0 {
					t.Fatalf("%s: %d end events", what, events)
				}
				// The pages offer the button exactly when the end may be recorded.
				p, _ := s.store.GetProgramme(s.ctx, programme)
				offer := journey.CanWithdraw(a.u, c, p)
				if end == pathway.StageClosed {
					offer = journey.CanClose(a.u, c, p)
				}
				if offer != (want == "" && stage != end) {
					t.Fatalf("%s: offered %v", what, offer)
				}
			}
		}
	}
}

// Rule: the reason is required plain text of at most 1,000 characters;
// each fault names the field "reason".
func TestEndReason(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-reason", pathway.StageCQCPreparing)
	for name, reason := range map[string]string{
		"empty": "", "blank": " \n ", "too long": strings.Repeat("é", 1001), "control": "We stop\x1b[31m now",
	} {
		_, err := s.svc.Withdraw(s.ctx, staff(1), c.ID, reason)
		var pe *pathway.Error
		if !errors.As(err, &pe) || pe.Code != pathway.EINVALID || pe.Fields["reason"] == "" {
			t.Errorf("%s: %v; want EINVALID naming reason", name, err)
		}
	}
	if _, err := s.svc.Withdraw(s.ctx, staff(1), c.ID, strings.Repeat("é", 1000)); err != nil {
		t.Fatalf("1,000 characters: %v", err)
	}
}

// A founder withdraws a co-op waiting for the panel: the move, its event
// with the reason, the emails to the founders and the agency, and the
// stops of the application and registration executions are stored; the
// stops are sent at once; the panel's task is cancelled (no answer goes
// to the stopped workflow), so the agency's inbox empties. A repeat
// changes nothing.
func TestWithdrawEndsTheJourney(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-leaving", pathway.StageAwaitingPanel)
	panel := s.task(c.ID, c.ID+".panel.1", "panel-decision", pathway.RoleAgency, agency, "token-panel", s.now.AddDate(0, 0, 10))

	v, err := s.svc.Withdraw(s.ctx, founder, c.ID, "  "+endReason+"  ")
	s.must(err)
	if v.Stage != pathway.StageWithdrawn || len(v.OpenTasks) != 0 {
		t.Fatalf("view %s with %d open tasks; want withdrawn with none", v.Stage, len(v.OpenTasks))
	}
	page, err := s.store.ListEvents(s.ctx, pathway.CoopSubject(c.ID), "", 50)
	s.must(err)
	last := page.Events[len(page.Events)-1]
	if last.Action != pathway.ActionCoopWithdrawn || last.From != pathway.StageAwaitingPanel || last.To != pathway.StageWithdrawn ||
		last.Data["reason"] != endReason || last.Actor != founderID || !strings.Contains(last.Summary, endReason) {
		t.Fatalf("last event %+v", last)
	}
	stops := s.wf.Stops()
	if len(stops) != 2 || stops[0].Machine != pathway.WorkflowApplication || stops[0].Name != c.ID ||
		stops[1].Machine != pathway.WorkflowRegistration || stops[1].Name != c.ID || stops[0].Cause == "" {
		t.Fatalf("stops %+v; want the application's and the registration's", stops)
	}
	if s.pending() != 0 {
		t.Fatalf("%d deliveries left to send; the stops were sent at once", s.pending())
	}
	if len(s.wf.Answers()) != 0 {
		t.Fatalf("answers %+v sent to a stopped workflow", s.wf.Answers())
	}
	got, err := s.store.GetTask(s.ctx, panel.ID)
	s.must(err)
	if got.Status != pathway.TaskCancelled || got.CompletedBy != founderID {
		t.Fatalf("panel task %s by %s; want cancelled by the founder", got.Status, got.CompletedBy)
	}
	inbox, err := s.svc.Inbox(s.ctx, staff(2))
	s.must(err)
	if len(inbox) != 0 {
		t.Fatalf("agency inbox %+v; want empty", inbox)
	}
	mail, err := s.store.PendingMail(s.ctx, 50)
	s.must(err)
	told := map[string]bool{}
	for _, d := range mail {
		if d.Mail != nil && strings.Contains(d.Mail.Detail, endReason) {
			told[d.Mail.Audience+"/"+d.Mail.Organisation] = true
		}
	}
	if !told[pathway.AudienceFounders+"/"] || !told[pathway.AudienceAgency+"/"+agency] || len(told) != 2 {
		t.Fatalf("told %v; want the founders and the agency", told)
	}

	// A repeat (a retried request, or the agency a moment later).
	v, err = s.svc.Withdraw(s.ctx, staff(1), c.ID, "Another reason.")
	s.must(err)
	if v.Stage != pathway.StageWithdrawn || count(s.actions(c.ID), pathway.ActionCoopWithdrawn) != 1 || len(s.wf.Stops()) != 2 {
		t.Fatalf("a repeat changed things: %s, %v, %d stops", v.Stage, s.actions(c.ID), len(s.wf.Stops()))
	}
	if again, _ := s.store.PendingMail(s.ctx, 50); len(again) != len(mail) {
		t.Fatalf("a repeat mailed again: %d then %d", len(mail), len(again))
	}
}

// The stops are stored with the move: when the engine is down they stay
// in the outbox, which sends them later, and the withdrawal stands.
func TestWithdrawStopLaterWhenTheEngineIsDown(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-engine-down", pathway.StageCQCSubmitted)
	s.wf.FailStops(errors.New("engine unavailable"), 2)
	_, err := s.svc.Withdraw(s.ctx, staff(1), c.ID, endReason)
	s.must(err)
	if s.pending() != 2 || len(s.wf.Stops()) != 0 {
		t.Fatalf("%d pending, %d stops; want both stops kept for the sweep", s.pending(), len(s.wf.Stops()))
	}
	s.now = s.now.Add(10 * 60e9)
	if _, err := s.svc.Outbox().Sweep(s.ctx, true); err != nil {
		t.Fatal(err)
	}
	if s.pending() != 0 || len(s.wf.Stops()) != 2 {
		t.Fatalf("after the sweep %d pending, %d stops", s.pending(), len(s.wf.Stops()))
	}
}

// Race: founders and staff withdrawing the same co-op at once make one
// withdrawal: one event, one pair of stops, and every caller sees the
// co-op withdrawn.
func TestWithdrawConcurrently(t *testing.T) {
	for name, st := range map[string]pathway.Store{"embedded": testkit.Store(t), "dynamodb": testkit.DynamoStore(t)} {
		t.Run(name, func(t *testing.T) {
			s := newService(t, st)
			c := s.coop("coop-race", pathway.StageCQCPreparing)
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					u := staff(i)
					if i%2 == 0 {
						u = founder
					}
					_, errs[i] = s.svc.Withdraw(s.ctx, u, c.ID, fmt.Sprintf("Reason %d.", i))
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("caller %d: %v", i, err)
				}
			}
			if n := count(s.actions(c.ID), pathway.ActionCoopWithdrawn); n != 1 {
				t.Fatalf("%d withdrawal events, want 1", n)
			}
			if n := len(s.wf.Stops()); n != 2 {
				t.Fatalf("%d stops, want 2", n)
			}
		})
	}
}

// The agency records that a contracted co-op closed: the move, its event
// and the founders' email; no workflow is stopped (none runs after
// registration), and the co-op's own open tasks are cancelled.
func TestCloseContracted(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-closing", pathway.StageContracted)
	task := s.task(c.ID, c.ID+".note", "checklist-item", pathway.RoleFounder, "", "", s.now.AddDate(0, 0, 5))
	v, err := s.svc.Close(s.ctx, staff(3), c.ID, "The members voted to wind up the society.")
	s.must(err)
	if v.Stage != pathway.StageClosed || len(s.wf.Stops()) != 0 {
		t.Fatalf("view %s, stops %+v", v.Stage, s.wf.Stops())
	}
	page, err := s.store.ListEvents(s.ctx, pathway.CoopSubject(c.ID), "", 50)
	s.must(err)
	last := page.Events[len(page.Events)-1]
	if last.Action != pathway.ActionCoopClosed || last.From != pathway.StageContracted || last.Data["reason"] == "" {
		t.Fatalf("last event %+v", last)
	}
	if got, _ := s.store.GetTask(s.ctx, task.ID); got.Status != pathway.TaskCancelled {
		t.Fatalf("task %s; want cancelled", got.Status)
	}
	mail, err := s.store.PendingMail(s.ctx, 50)
	s.must(err)
	var told []string
	for _, d := range mail {
		if strings.Contains(d.Mail.Detail, "wind up") {
			told = append(told, d.Mail.Audience)
		}
	}
	if len(told) != 1 || told[0] != pathway.AudienceFounders {
		t.Fatalf("told %v; want the founders", told)
	}
}

// Race: a withdrawal and a closure of a registered co-op at once: exactly
// one takes effect; the other is refused as a conflict, naming the stage
// the co-op reached.
func TestWithdrawAndCloseRace(t *testing.T) {
	s := newService(t, testkit.Store(t))
	for i := range 10 {
		c := s.coop(fmt.Sprintf("coop-both-%d", i), pathway.StageCQCRegistered)
		var wg sync.WaitGroup
		var werr, cerr error
		wg.Add(2)
		go func() { defer wg.Done(); _, werr = s.svc.Withdraw(s.ctx, founder, c.ID, "We have paused.") }()
		go func() { defer wg.Done(); _, cerr = s.svc.Close(s.ctx, staff(1), c.ID, "The society was wound up.") }()
		wg.Wait()
		got, err := s.store.GetCoop(s.ctx, c.ID)
		s.must(err)
		ends := count(s.actions(c.ID), pathway.ActionCoopWithdrawn) + count(s.actions(c.ID), pathway.ActionCoopClosed)
		switch {
		case werr == nil && pathway.ErrorCode(cerr) == pathway.ECONFLICT && got.Stage == pathway.StageWithdrawn,
			cerr == nil && pathway.ErrorCode(werr) == pathway.ECONFLICT && got.Stage == pathway.StageClosed:
		default:
			t.Fatalf("withdraw %v, close %v, stage %s", werr, cerr, got.Stage)
		}
		if ends != 1 {
			t.Fatalf("%d end events, want 1", ends)
		}
	}
}
