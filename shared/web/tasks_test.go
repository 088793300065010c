package web_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// seedTasks stores a task of every kind that can be answered:
//
//	coopN (founder A, agency north): panel decision, panel escalation,
//	  cqc-submission, cqc-decision for founders and for the agency;
//	coopS (founder B, agency south): panel decision.
func seedTasks(e *apiEnv) {
	seedTwo(e)
	due := testNow.AddDate(0, 0, 7)
	e.seedTask("task-n-panel", pathway.TaskPanelDecision, coopN, agencyNorth, pathway.RoleAgency, "tok-n-panel", testNow.AddDate(0, 0, -1))
	e.seedTask("task-n-escalation", pathway.TaskPanelEscalation, coopN, agencyNorth, pathway.RoleAgencyLead, "tok-n-panel", due)
	e.seedTask("task-n-submission", pathway.TaskCQCSubmission, coopN, "", pathway.RoleFounder, "tok-n-submission", due)
	e.seedTask("task-n-cqc-founder", pathway.TaskCQCDecision, coopN, "", pathway.RoleFounder, "tok-n-cqc", due)
	e.seedTask("task-n-cqc-agency", pathway.TaskCQCDecision, coopN, agencyNorth, pathway.RoleAgency, "tok-n-cqc", due)
}

func TestInbox(t *testing.T) {
	e := newAPI(t)
	seedTasks(e)
	e.do("GET", "/api/tasks", "", "").wantError(t, 401, "")
	want := map[string][]string{
		founderA:     {"task-n-cqc-founder", "task-n-submission", "task-n-checklist"},
		founderB:     {},
		staffNorth:   {"task-n-panel", "task-n-cqc-agency"},
		leadNorth:    {"task-n-panel", "task-n-cqc-agency", "task-n-escalation"},
		staffSouth:   {"task-s-panel"},
		funderUser:   {},
		commissioner: {},
	}
	for user, ids := range want {
		res := e.do("GET", "/api/tasks", user, "")
		var got struct {
			Tasks []struct {
				ID, Kind, Coop, CoopName string
				Overdue, CanAct          bool
			}
		}
		res.decode(t, &got)
		var gotIDs []string
		for _, tk := range got.Tasks {
			gotIDs = append(gotIDs, tk.ID)
			if !tk.CanAct || tk.CoopName == "" || tk.Kind == "" {
				t.Errorf("%s: task %+v should name its co-op and be actionable", user, tk)
			}
			if tk.Overdue != (tk.ID == "task-n-panel") {
				t.Errorf("%s: task %s overdue = %v", user, tk.ID, tk.Overdue)
			}
		}
		if strings.Join(gotIDs, ",") != strings.Join(ids, ",") {
			t.Errorf("%s: tasks %v, want %v (earliest due first)", user, gotIDs, ids)
		}
		if strings.Contains(res.body, "tok-") {
			t.Errorf("%s: inbox shows a task token: %s", user, res.body)
		}
	}
}

// decision is a POST to a task's decision route.
func (e *apiEnv) decision(task, user, body string) reply {
	e.t.Helper()
	return e.do("POST", "/api/tasks/"+task+"/decision", user, body)
}

func TestDecisionPayloads(t *testing.T) {
	tests := []struct {
		name, task, user, body, token string
		want                          map[string]string
	}{
		{"panel accepts", "task-n-panel", staffNorth, `{"outcome":"accept"}`, "tok-n-panel",
			map[string]string{"outcome": "accept", "by": staffNorth}},
		{"panel declines with reasons", "task-n-panel", staffNorth, `{"outcome":"decline","notes":"  Not enough founders yet. "}`, "tok-n-panel",
			map[string]string{"outcome": "decline", "notes": "Not enough founders yet.", "by": staffNorth}},
		{"panel defers", "task-s-panel", staffSouth, `{"outcome":"defer","notes":"Next meeting."}`, "tok-s-panel",
			map[string]string{"outcome": "defer", "notes": "Next meeting.", "by": staffSouth}},
		{"lead answers the escalation", "task-n-escalation", leadNorth, `{"outcome":"accept"}`, "tok-n-panel",
			map[string]string{"outcome": "accept", "by": leadNorth}},
		{"founders submitted", "task-n-submission", founderA, `{"submittedOn":"2027-03-10"}`, "tok-n-submission",
			map[string]string{"submittedOn": "2027-03-10", "by": founderA}},
		{"founders record registration", "task-n-cqc-founder", founderA, `{"outcome":"registered","providerId":"1-123456789","decidedOn":"2027-03-08"}`, "tok-n-cqc",
			map[string]string{"outcome": "registered", "providerId": "1-123456789", "decidedOn": "2027-03-08", "by": founderA}},
		{"agency records a proposal to refuse", "task-n-cqc-agency", staffNorth, `{"outcome":"proposal-to-refuse"}`, "tok-n-cqc",
			map[string]string{"outcome": "proposal-to-refuse", "by": staffNorth}},
		{"refused", "task-n-cqc-agency", leadNorth, `{"outcome":"refused","decidedOn":"2027-03-09"}`, "tok-n-cqc",
			map[string]string{"outcome": "refused", "decidedOn": "2027-03-09", "by": leadNorth}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newAPI(t)
			seedTasks(e)
			res := e.decision(tc.task, tc.user, tc.body)
			if res.status != 200 {
				t.Fatalf("status = %d %s", res.status, res.body)
			}
			var v struct{ ID, Status, CompletedBy string }
			res.decode(t, &v)
			if v.ID != tc.task || v.Status != pathway.TaskCompleted || v.CompletedBy != tc.user {
				t.Errorf("task = %+v", v)
			}
			sends := e.wf.sendCalls()
			if len(sends) != 1 || sends[0].token != tc.token {
				t.Fatalf("sends = %+v", sends)
			}
			var got map[string]string
			must(t, json.Unmarshal(sends[0].output, &got))
			if len(got) != len(tc.want) {
				t.Errorf("payload %s, want %v", sends[0].output, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("payload %s: %s = %q, want %q", sends[0].output, k, got[k], v)
				}
			}
			stored, err := e.store.GetTask(t.Context(), tc.task)
			must(t, err)
			if stored.Status != pathway.TaskCompleted || string(stored.Outcome) != string(sends[0].output) {
				t.Errorf("stored task %+v", stored)
			}
			if !hasAction(e.events(stored.Coop), "task.answered") {
				t.Errorf("no task.answered event: %v", e.events(stored.Coop))
			}
		})
	}
}

func TestDecisionBadInput(t *testing.T) {
	e := newAPI(t)
	seedTasks(e)
	tests := []struct {
		name, task, user, body, field string
	}{
		{"panel without outcome", "task-n-panel", staffNorth, `{}`, "outcome"},
		{"panel unknown outcome", "task-n-panel", staffNorth, `{"outcome":"maybe"}`, "outcome"},
		{"decline without notes", "task-n-panel", staffNorth, `{"outcome":"decline"}`, "notes"},
		{"decline with blank notes", "task-n-panel", staffNorth, `{"outcome":"decline","notes":"   "}`, "notes"},
		{"notes too long", "task-n-panel", staffNorth, `{"outcome":"accept","notes":"` + strings.Repeat("n", 2001) + `"}`, "notes"},
		{"outcome not a string", "task-n-panel", staffNorth, `{"outcome":true}`, "outcome"},
		{"panel with a field of another kind", "task-n-panel", staffNorth, `{"outcome":"accept","providerId":"1-123456"}`, "providerId"},
		{"submission without date", "task-n-submission", founderA, `{}`, "submittedOn"},
		{"submission date not a date", "task-n-submission", founderA, `{"submittedOn":"10/03/2027"}`, "submittedOn"},
		{"submission on an impossible day", "task-n-submission", founderA, `{"submittedOn":"2027-02-30"}`, "submittedOn"},
		{"submission in the future", "task-n-submission", founderA, `{"submittedOn":"2027-03-11"}`, "submittedOn"},
		{"cqc without outcome", "task-n-cqc-founder", founderA, `{}`, "outcome"},
		{"cqc unknown outcome", "task-n-cqc-founder", founderA, `{"outcome":"approved"}`, "outcome"},
		{"registered without provider ID", "task-n-cqc-founder", founderA, `{"outcome":"registered"}`, "providerId"},
		{"registered with a bad provider ID", "task-n-cqc-founder", founderA, `{"outcome":"registered","providerId":"123456789"}`, "providerId"},
		{"refused with a provider ID", "task-n-cqc-founder", founderA, `{"outcome":"refused","providerId":"1-123456789"}`, "providerId"},
		{"decided in the future", "task-n-cqc-founder", founderA, `{"outcome":"refused","decidedOn":"2027-04-01"}`, "decidedOn"},
		{"decided on a bad date", "task-n-cqc-founder", founderA, `{"outcome":"refused","decidedOn":"yesterday"}`, "decidedOn"},
		{"unknown field", "task-n-cqc-founder", founderA, `{"outcome":"refused","colour":"red"}`, "colour"},
		{"malformed", "task-n-panel", staffNorth, `{"outcome":`, ""},
		{"not an object", "task-n-panel", staffNorth, `"accept"`, ""},
		{"empty", "task-n-panel", staffNorth, ``, ""},
		{"trailing data", "task-n-panel", staffNorth, `{"outcome":"accept"} x`, ""},
		{"oversized", "task-n-panel", staffNorth, `{"notes":"` + strings.Repeat("a", web.MaxBodyBytes) + `"}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.decision(tc.task, tc.user, tc.body).wantError(t, 400, tc.field)
		})
	}
	if n := len(e.wf.sendCalls()); n != 0 {
		t.Errorf("bad answers sent %d times", n)
	}
	open, err := e.store.ListTasks(t.Context(), pathway.TaskFilter{Coop: coopN})
	must(t, err)
	if len(open) != 6 {
		t.Errorf("%d open tasks after bad answers, want all 6 still open", len(open))
	}
}

func TestDecisionWhoMayAnswer(t *testing.T) {
	e := newAPI(t)
	seedTasks(e)
	// Who may answer each task; everyone else who can see the co-op gets
	// 403, and those who cannot see it get 404, as for a missing task.
	mayAnswer := map[string][]string{
		"task-n-panel":       {staffNorth, leadNorth},
		"task-n-escalation":  {leadNorth},
		"task-n-submission":  {founderA},
		"task-n-cqc-founder": {founderA},
		"task-n-cqc-agency":  {staffNorth, leadNorth},
		"task-s-panel":       {staffSouth},
	}
	coopOf := map[string]string{"task-s-panel": coopS}
	missing := e.decision("task-missing", founderA, `{}`)
	missing.wantError(t, 404, "")
	for task, allowed := range mayAnswer {
		coop := coopOf[task]
		if coop == "" {
			coop = coopN
		}
		e.decision(task, "", `{}`).wantError(t, 401, "")
		for _, user := range everyone {
			if slices.Contains(allowed, user) {
				continue // answering is tested elsewhere; it would close the task
			}
			res := e.decision(task, user, `{}`)
			switch {
			case !canSee(coop, user):
				if res.status != 404 || res.body != missing.body {
					t.Errorf("%s by %s = %d %s, want the 404 of a missing task", task, user, res.status, res.body)
				}
			default:
				res.wantError(t, 403, "")
			}
		}
	}
	if n := len(e.wf.sendCalls()); n != 0 {
		t.Errorf("refused answers sent %d times", n)
	}
	// The checklist wait is released by verification, not answered.
	e.decision("task-n-checklist", founderA, `{}`).wantError(t, 409, "")
}

func TestDecisionTwiceIsConflict(t *testing.T) {
	e := newAPI(t)
	seedTasks(e)
	if res := e.decision("task-n-panel", staffNorth, `{"outcome":"accept"}`); res.status != 200 {
		t.Fatalf("first = %d %s", res.status, res.body)
	}
	before, _ := e.store.GetTask(t.Context(), "task-n-panel")
	for _, user := range []string{staffNorth, leadNorth} {
		e.decision("task-n-panel", user, `{"outcome":"decline","notes":"Changed our minds."}`).wantError(t, 409, "")
	}
	after, _ := e.store.GetTask(t.Context(), "task-n-panel")
	if string(after.Outcome) != string(before.Outcome) || after.CompletedBy != staffNorth {
		t.Errorf("second completion changed the task: %+v", after)
	}
	if n := e.wf.sendAttempts(); n != 1 {
		t.Errorf("SendTaskSuccess called %d times, want 1", n)
	}
}

func TestDecisionConcurrent(t *testing.T) {
	e := newAPI(t)
	seedTasks(e)
	const n = 50
	replies := concurrently(n, func(i int) reply {
		user, outcome := staffNorth, "accept"
		if i%2 == 1 {
			user, outcome = leadNorth, "defer"
		}
		return e.decision("task-n-panel", user, `{"outcome":"`+outcome+`"}`)
	})
	counts := map[int]int{}
	for _, r := range replies {
		counts[r.status]++
	}
	if counts[200] != 1 || counts[409] != n-1 {
		t.Fatalf("statuses %v, want exactly one 200 and %d 409", counts, n-1)
	}
	// The store's completion is the gate: the losers never even try to
	// send, so the workflow cannot see two answers.
	if n := e.wf.sendAttempts(); n != 1 {
		t.Fatalf("SendTaskSuccess called %d times, want 1", n)
	}
}

func TestDecisionClosesTasksHoldingTheSameToken(t *testing.T) {
	e := newAPI(t)
	seedTasks(e)
	// The founders and the agency hold the same CQC decision token; the
	// founders answer first, so the agency's task closes with it.
	if res := e.decision("task-n-cqc-founder", founderA, `{"outcome":"refused"}`); res.status != 200 {
		t.Fatalf("founders = %d %s", res.status, res.body)
	}
	sibling, err := e.store.GetTask(t.Context(), "task-n-cqc-agency")
	must(t, err)
	if sibling.Status != pathway.TaskCancelled || !strings.Contains(string(sibling.Outcome), "task-n-cqc-founder") {
		t.Errorf("sibling task = %+v, want cancelled naming the answered task", sibling)
	}
	e.decision("task-n-cqc-agency", staffNorth, `{"outcome":"registered","providerId":"1-1234567"}`).wantError(t, 409, "")
	// The same for the panel decision and its escalation.
	if res := e.decision("task-n-escalation", leadNorth, `{"outcome":"defer"}`); res.status != 200 {
		t.Fatalf("lead = %d %s", res.status, res.body)
	}
	e.decision("task-n-panel", staffNorth, `{"outcome":"accept"}`).wantError(t, 409, "")
	if n := len(e.wf.sendCalls()); n != 2 {
		t.Errorf("sent %d answers, want 2", n)
	}
}

func TestDecisionNoLongerWaited(t *testing.T) {
	// The three Step Functions errors an adapter maps to ErrNotWaiting.
	for _, name := range []string{"TaskDoesNotExist", "TaskTimedOut", "InvalidToken"} {
		t.Run(name, func(t *testing.T) {
			e := newAPI(t)
			seedTasks(e)
			e.wf.failSends(fmt.Errorf("%w: %s: gone", pathway.ErrNotWaiting, name), 1)
			res := e.decision("task-n-submission", founderA, `{"submittedOn":"2027-03-08"}`)
			res.wantError(t, 409, "")
			if !strings.Contains(res.body, "no longer needed") {
				t.Errorf("message does not say why: %s", res.body)
			}
			if !hasAction(e.events(coopN), "task.not-used") {
				t.Errorf("audit trail does not record the unused answer: %v", e.events(coopN))
			}
			// Nothing is re-opened: the workflow has moved on.
			open, err := e.store.ListTasks(t.Context(), pathway.TaskFilter{Coop: coopN})
			must(t, err)
			for _, tk := range open {
				if tk.Kind == pathway.TaskCQCSubmission {
					t.Errorf("submission task open after its wait ended: %+v", tk)
				}
			}
		})
	}
}

// An answer the workflow service cannot take at once is kept: the
// caller gets 200 (it will take effect), the task stays answered, and the
// outbox sends the answer once the service is back — exactly once.
func TestDecisionDeliveryFailureIsSentLater(t *testing.T) {
	e := newAPI(t)
	seedTasks(e)
	e.wf.failSends(errors.New("throttled"), 1)
	res := e.decision("task-n-panel", staffNorth, `{"outcome":"accept"}`)
	if res.status != 200 || strings.Contains(res.body, "throttled") {
		t.Fatalf("answer with the workflow service down = %d %s, want 200", res.status, res.body)
	}
	if !hasAction(e.events(coopN), pathway.ActionTaskAnswered) {
		t.Errorf("audit trail does not record the answer: %v", e.events(coopN))
	}
	e.decision("task-n-panel", staffNorth, `{"outcome":"accept"}`).wantError(t, 409, "")
	pending, err := e.store.PendingDeliveries(t.Context(), 10)
	if err != nil || len(pending) != 1 || pending[0].Token != "tok-n-panel" || pending[0].Attempts != 1 {
		t.Fatalf("pending = %+v, %v; want the answer, tried once", pending, err)
	}
	ob := outbox.New(e.store, e.wf, nil, nil)
	if n, err := ob.Sweep(t.Context(), true); err != nil || n != 1 {
		t.Fatalf("sweep = %d, %v; want 1 sent", n, err)
	}
	if sends := e.wf.sendCalls(); len(sends) != 1 || sends[0].token != "tok-n-panel" {
		t.Fatalf("sends = %+v", sends)
	}
	if n, _ := ob.Sweep(t.Context(), true); n != 0 || len(e.wf.sendCalls()) != 1 {
		t.Fatalf("a second sweep sent again")
	}
}
