package journey_test

// Who may answer a task, and what an answer must hold.

import (
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// Rule: a task is answered only by whom it is for, only while it is open,
// and only if it is a kind a person answers; a task nobody may see is not
// found, like a missing one.
func TestTaskToAnswer(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-a", pathway.StageAwaitingPanel)
	due := s.now.AddDate(0, 0, 14)
	s.task(c.ID, "panel", pathway.TaskPanelDecision, pathway.RoleAgency, agency, "tok-1", due)
	s.task(c.ID, "submission", pathway.TaskCQCSubmission, pathway.RoleFounder, "", "tok-2", due)
	s.task(c.ID, "checklist", pathway.TaskChecklist, pathway.RoleFounder, "", "tok-3", due)
	s.task(c.ID, "escalation", pathway.TaskPanelEscalation, pathway.RoleAgencyLead, agency, "tok-4", due)
	s.task(c.ID, "answered", pathway.TaskPanelDecision, pathway.RoleAgency, agency, "tok-5", due)
	_, err := s.store.CompleteTask(s.ctx, "answered", pathway.TaskCompletion{By: "user-x", At: s.now, Status: pathway.TaskCompleted})
	s.must(err)
	lead := staff(9)
	lead.Lead = true
	outsider := &pathway.User{ID: "user-other", Name: "Other", Role: pathway.RoleAgency, Organisation: "org-other"}
	for _, tc := range []struct {
		name string
		u    *pathway.User
		id   string
		code string // "" when u may answer
	}{
		{"staff, the panel's task", staff(1), "panel", ""},
		{"the founder, the submission", founder, "submission", ""},
		{"the lead, the escalation", lead, "escalation", ""},
		{"staff not the lead, the escalation", staff(1), "escalation", pathway.EFORBIDDEN},
		{"the founder, the panel's task", founder, "panel", pathway.EFORBIDDEN},
		{"staff, the founders' task", staff(1), "submission", pathway.EFORBIDDEN},
		{"another agency's staff", outsider, "panel", pathway.ENOTFOUND},
		{"an answered task", staff(1), "answered", pathway.ECONFLICT},
		{"the checklist wait", founder, "checklist", pathway.ECONFLICT},
		{"a missing task", staff(1), "nothing", pathway.ENOTFOUND},
		{"no ID", staff(1), "", pathway.ENOTFOUND},
		{"an ID too long to exist", staff(1), strings.Repeat("t", 129), pathway.ENOTFOUND},
		{"nobody", nil, "panel", pathway.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task, coop, err := s.svc.TaskToAnswer(s.ctx, tc.u, tc.id)
			if tc.code == "" {
				if err != nil || task.ID != tc.id || coop.ID != c.ID {
					t.Fatalf("TaskToAnswer = %v, %v, %v; want the task and its co-op", task, coop, err)
				}
				return
			}
			wantCode(t, err, tc.code, "")
		})
	}
}

// Rule: an answer is checked before anything is stored: a decline needs
// the panel's reasons, a registration a CQC provider ID (given with spaces
// trimmed), and a submission a date not in the future.
func TestDecideChecksTheAnswer(t *testing.T) {
	for _, tc := range []struct {
		name  string
		kind  string
		role  string
		u     *pathway.User
		a     journey.Answer
		field string
	}{
		{"decline without reasons", pathway.TaskPanelDecision, pathway.RoleAgency, staff(1),
			&journey.PanelAnswer{Outcome: pathway.PanelDecline, Notes: "  "}, "notes"},
		{"registered without a provider ID", pathway.TaskCQCDecision, pathway.RoleFounder, founder,
			&journey.CQCAnswer{Outcome: pathway.CQCRegistered, ProviderID: "   "}, "providerId"},
		{"a submission tomorrow", pathway.TaskCQCSubmission, pathway.RoleFounder, founder,
			&journey.SubmissionAnswer{SubmittedOn: "2027-03-11"}, "submittedOn"},
		{"registered, provider ID with spaces", pathway.TaskCQCDecision, pathway.RoleFounder, founder,
			&journey.CQCAnswer{Outcome: pathway.CQCRegistered, ProviderID: " 1-101234567 "}, ""},
		{"a submission today", pathway.TaskCQCSubmission, pathway.RoleFounder, founder,
			&journey.SubmissionAnswer{SubmittedOn: "2027-03-10"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newService(t, testkit.Store(t))
			c := s.coop("coop-a", pathway.StageCQCSubmitted)
			org := ""
			if tc.role == pathway.RoleAgency {
				org = agency
			}
			s.task(c.ID, "task-1", tc.kind, tc.role, org, "tok-1", s.now.AddDate(0, 0, 14))
			task, coop, err := s.svc.TaskToAnswer(s.ctx, tc.u, "task-1")
			s.must(err)
			_, err = s.svc.Decide(s.ctx, tc.u, task, coop, tc.a)
			if tc.field != "" {
				wantCode(t, err, pathway.EINVALID, tc.field)
				if got, _ := s.store.GetTask(s.ctx, "task-1"); got.Status != pathway.TaskOpen {
					t.Fatalf("a refused answer closed the task: %+v", got)
				}
				return
			}
			s.must(err)
			answers := s.wf.Answers()
			if len(answers) != 1 || strings.Contains(string(answers[0].Output), " 1-") {
				t.Fatalf("answers sent %+v; want one, with the provider ID trimmed", answers)
			}
		})
	}
}
