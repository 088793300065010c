package pathway_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestNextDigest(t *testing.T) {
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct{ name, now, want string }{
		{"winter, before 08:00", "2027-01-10T07:59:00Z", "2027-01-10T08:00:00Z"},
		{"winter, at 08:00", "2027-01-10T08:00:00Z", "2027-01-10T08:00:00Z"},
		{"winter, after 08:00", "2027-01-10T08:01:00Z", "2027-01-11T08:00:00Z"},
		{"summer, 07:30 UTC is 08:30 BST", "2027-07-10T07:30:00Z", "2027-07-11T07:00:00Z"},
		{"summer, 06:30 UTC is 07:30 BST", "2027-07-10T06:30:00Z", "2027-07-10T07:00:00Z"},
		{"summer, late evening UTC is the next UK day", "2027-07-10T23:30:00Z", "2027-07-11T07:00:00Z"},
		{"clocks go forward overnight (28 March 2027)", "2027-03-27T20:00:00Z", "2027-03-28T07:00:00Z"},
		{"clocks go back overnight (31 October 2027)", "2027-10-30T20:00:00Z", "2027-10-31T08:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := pathway.NextDigest(utc(tc.now))
			if !got.Equal(utc(tc.want)) {
				t.Errorf("NextDigest(%s) = %s, want %s", tc.now, got.UTC().Format(time.RFC3339), tc.want)
			}
			if h := got.In(pathway.UKTime).Hour(); h != 8 {
				t.Errorf("digest at %d:00 UK time, want 8:00", h)
			}
		})
	}
}

func TestTaskNotice(t *testing.T) {
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name                 string
		task                 pathway.Task
		notice, audience, to string
	}{
		{"agency task", pathway.Task{Kind: pathway.TaskPanelDecision, Role: pathway.RoleAgency, Organisation: "org-a", Due: at.Add(48 * time.Hour)},
			pathway.NoticeTaskOpened, pathway.AudienceAgency, ""},
		{"founders' task", pathway.Task{Kind: pathway.TaskCQCSubmission, Role: pathway.RoleFounder, Due: at.Add(48 * time.Hour)},
			pathway.NoticeTaskOpened, pathway.AudienceFounders, ""},
		{"escalation", pathway.Task{Kind: pathway.TaskPanelEscalation, Role: pathway.RoleAgencyLead, Organisation: "org-a", Due: at.Add(48 * time.Hour)},
			pathway.NoticeTaskOverdue, pathway.AudienceAgencyLead, ""},
		{"re-opened past its due date", pathway.Task{Kind: pathway.TaskPanelDecision, Role: pathway.RoleAgency, Organisation: "org-a", Due: at.Add(-time.Hour)},
			pathway.NoticeTaskOverdue, pathway.AudienceAgency, ""},
		{"one person's", pathway.Task{Kind: pathway.TaskPanelDecision, Role: pathway.RoleAgency, Organisation: "org-a", User: "user-r", Due: at.Add(time.Hour)},
			pathway.NoticeTaskOpened, pathway.AudienceUser, "user-r"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task := tc.task
			task.ID, task.Coop, task.Title, task.CreatedAt = "task-1", "coop-1", "Panel decision: Example Care", at
			n := pathway.TaskNotice(&task)
			if n.Notice != tc.notice || n.Audience != tc.audience || n.User != tc.to {
				t.Errorf("notice %s to %s %q, want %s to %s %q", n.Notice, n.Audience, n.User, tc.notice, tc.audience, tc.to)
			}
			if n.Path != "/tasks/task-1" {
				t.Errorf("path %q, want the task's page", n.Path)
			}
		})
	}
	for _, tc := range []struct {
		task     pathway.Task
		audience string
	}{
		{pathway.Task{Role: pathway.RoleFunder, Organisation: "f"}, pathway.AudienceFunder},
		{pathway.Task{Role: pathway.RoleFunderLead, Organisation: "f"}, pathway.AudienceFunderLead},
		{pathway.Task{Role: pathway.RoleCommissioner, Organisation: "c"}, pathway.AudienceCommissioner},
		{pathway.Task{Role: pathway.RoleCommissionerLead, Organisation: "c"}, pathway.AudienceCommissionerLead},
		{pathway.Task{Role: pathway.RoleFunder, Organisation: "f", User: "user-r"}, pathway.AudienceUser},
	} {
		if n := pathway.TaskNotice(&tc.task); n == nil || n.Audience != tc.audience {
			t.Errorf("TaskNotice(%+v) = %+v, want audience %s", tc.task, n, tc.audience)
		}
	}
	// The workflow's own waits (no organisation, no person) tell nobody.
	for _, task := range []pathway.Task{{Role: pathway.RoleFunder}, {Role: pathway.RoleCommissioner}} {
		if n := pathway.TaskNotice(&task); n != nil {
			t.Errorf("TaskNotice(%+v) gave a notice: %+v", task, n)
		}
	}
}

func TestNoticeMail(t *testing.T) {
	due := time.Date(2027, 3, 14, 12, 0, 0, 0, time.UTC)
	c := &pathway.Coop{ID: "coop-1", Name: "Example Care"}
	it := &pathway.ChecklistItem{ID: "policy-safeguarding", Title: "Safeguarding policy", Comment: "Add the date it was adopted."}
	for _, tc := range []struct {
		name    string
		n       *pathway.MailNotice
		subject string
		body    []string
	}{
		{"task opened", &pathway.MailNotice{Notice: pathway.NoticeTaskOpened, Title: "Panel decision: Example Care", Due: due, Path: "/tasks/t1"},
			"New task: Panel decision: Example Care",
			[]string{"A task is waiting for you: Panel decision: Example Care.", "due by 14 March 2027", "https://pathway.example.org/tasks/t1",
				"https://pathway.example.org/account/notices"}},
		{"task overdue", &pathway.MailNotice{Notice: pathway.NoticeTaskOverdue, Title: "Overdue panel decision: Example Care", Due: due, Path: "/tasks/t2"},
			"Overdue: Overdue panel decision: Example Care",
			[]string{"This task is overdue and needs you now", "https://pathway.example.org/tasks/t2"}},
		{"item returned", pathway.ItemReturnedNotice(c, it),
			"Checklist item returned: Safeguarding policy",
			[]string{"Your agency returned the checklist item “Safeguarding policy” for Example Care.", "Their comment: Add the date it was adopted.",
				"https://pathway.example.org/coops/coop-1/items/policy-safeguarding"}},
		{"decision", pathway.DecisionNotice(c, "The panel accepted the co-op onto the programme."),
			"A decision about Example Care",
			[]string{"The panel accepted the co-op onto the programme.", "https://pathway.example.org/coops/coop-1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := pathway.NoticeMail("founder@example.org", "https://pathway.example.org/", tc.n)
			if m.To != "founder@example.org" || m.Subject != tc.subject {
				t.Errorf("to %q subject %q, want founder@example.org %q", m.To, m.Subject, tc.subject)
			}
			for _, want := range tc.body {
				if !strings.Contains(m.Body, want) {
					t.Errorf("body lacks %q:\n%s", want, m.Body)
				}
			}
		})
	}
}

func TestDigestMail(t *testing.T) {
	ns := []*pathway.MailNotice{
		{Notice: pathway.NoticeTaskOpened, Title: "Panel decision: A", Path: "/tasks/a"},
		{Notice: pathway.NoticeTaskOverdue, Title: "Overdue panel decision: B", Path: "/tasks/b"},
	}
	m := pathway.DigestMail("staff@example.org", "http://127.0.0.1:8080", ns)
	if m.Subject != "Your daily summary: 2 notices" {
		t.Errorf("subject %q", m.Subject)
	}
	for _, want := range []string{"1. A task is waiting for you: Panel decision: A.", "http://127.0.0.1:8080/tasks/a",
		"2. This task is overdue", "http://127.0.0.1:8080/tasks/b"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Body)
		}
	}
}

func TestMailDeliveryValidates(t *testing.T) {
	d := pathway.NewNotice(pathway.CoopSubject("coop-1"), &pathway.MailNotice{Notice: "gossip", Audience: pathway.AudienceFounders, Path: "/coops/coop-1"}, "system", time.Now())
	if f := pathway.ErrorFields(d.Validate()); f["Mail.Notice"] == "" && f["mail.notice"] == "" && len(f) == 0 {
		t.Errorf("an unknown notice kind passed validation: %v", f)
	}
	d.Mail = nil
	if f := pathway.ErrorFields(d.Validate()); f["mail"] == "" {
		t.Errorf("a mail delivery without its notice passed: %v", f)
	}
	ok := pathway.NewNotice(pathway.CoopSubject("coop-1"), pathway.DecisionNotice(&pathway.Coop{ID: "coop-1", Name: "X"}, "Declined."), "system", time.Now())
	if err := ok.Validate(); err != nil {
		t.Errorf("a well-formed notice: %v", err)
	}
}
