package storetest

import (
	"slices"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// pendingMail lists the mail queue, failing the test on error.
func pendingMail(t *testing.T, s pathway.Store) []*pathway.Delivery {
	t.Helper()
	p, err := s.PendingMail(t.Context(), pathway.MaxPageSize)
	if err != nil {
		t.Fatalf("PendingMail: %v", err)
	}
	return p
}

// testTaskNotice: a new open task is stored with the notice to whoever
// must act, in the mail queue (not the outbox's); putting it again adds none.
func testTaskNotice(t *testing.T, s pathway.Store) {
	task := newTask("task-n-1", "coop-n", orgA, pathway.RoleAgency, at(60))
	putTasks(t, s, task)
	if _, err := s.PutTask(t.Context(), task); err != nil {
		t.Fatalf("PutTask again: %v", err)
	}
	mail := pendingMail(t, s)
	if len(mail) != 1 || mail[0].Kind != pathway.DeliverMail || mail[0].Mail.Notice != pathway.NoticeTaskOpened ||
		mail[0].Mail.Audience != pathway.AudienceAgency || mail[0].Mail.Organisation != orgA || mail[0].Mail.Path != "/tasks/task-n-1" {
		t.Fatalf("mail after PutTask twice = %+v; want one task-opened notice to the agency", mail)
	}
	if p, _ := s.PendingDeliveries(t.Context(), 10); len(p) != 0 {
		t.Errorf("PendingDeliveries lists %d mail deliveries; mail has its own queue", len(p))
	}
}

// testEventNotices: notices attached to an event are stored with it, once.
func testEventNotices(t *testing.T, s pathway.Store) {
	c := newCoop("coop-en", "prog-x", pathway.StageApplied, at(0))
	create(t, s, c)
	e := newEvent(c.ID, "panel.declined", at(1))
	e.Notices = []*pathway.Delivery{pathway.NewNotice(pathway.CoopSubject(c.ID), pathway.DecisionNotice(c, "Declined."), "system", at(1))}
	for range 2 {
		if err := s.AppendEvent(t.Context(), e); err != nil {
			t.Fatalf("AppendEvent with a notice: %v", err)
		}
		e.Notices[0] = pathway.NewNotice(pathway.CoopSubject(c.ID), pathway.DecisionNotice(c, "Declined."), "system", at(1))
	}
	if mail := pendingMail(t, s); len(mail) != 1 || mail[0].Mail.Notice != pathway.NoticeDecision {
		t.Fatalf("mail after appending the event twice = %+v; want one decision notice", mail)
	}
	// A change that fails records no notice.
	stale := get(t, s, c.ID)
	stale.Version--
	bad := newEvent(c.ID, "panel.accepted", at(2))
	bad.Notices = []*pathway.Delivery{pathway.NewNotice(pathway.CoopSubject(c.ID), pathway.DecisionNotice(c, "Accepted."), "system", at(2))}
	wantCode(t, s.UpdateCoop(t.Context(), stale, bad), pathway.ECONFLICT, "UpdateCoop with a stale version")
	if mail := pendingMail(t, s); len(mail) != 1 {
		t.Fatalf("a failed update stored its notice: %d mails", len(mail))
	}
}

// testFanOut: a notice is replaced by its per-person deliveries in one
// transaction, conditional on its version.
func testFanOut(t *testing.T, s pathway.Store) {
	n := pathway.NewNotice(pathway.CoopSubject("coop-fo"), &pathway.MailNotice{Notice: pathway.NoticeDecision,
		Audience: pathway.AudienceFounders, Coop: "coop-fo", Path: "/coops/coop-fo"}, "system", at(0))
	e := newEvent("coop-fo", "panel.accepted", at(0))
	e.Notices = []*pathway.Delivery{n}
	if err := s.AppendEvent(t.Context(), e); err != nil {
		t.Fatal(err)
	}
	stored := pendingMail(t, s)[0]
	var each []*pathway.Delivery
	for _, u := range []string{"user-1", "user-2"} {
		m := *stored.Mail
		m.User = u
		each = append(each, &pathway.Delivery{ID: pathway.PersonalID(stored.ID, u), Kind: pathway.DeliverMail,
			Subject: stored.Subject, Mail: &m, NotBefore: at(1), CreatedAt: at(0)})
	}
	stale := *stored
	stale.Version++
	wantCode(t, s.FanOutDelivery(t.Context(), &stale, each), pathway.ECONFLICT, "FanOutDelivery of a stale notice")
	if err := s.FanOutDelivery(t.Context(), stored, each); err != nil {
		t.Fatalf("FanOutDelivery: %v", err)
	}
	var users []string
	for _, d := range pendingMail(t, s) {
		users = append(users, d.Mail.User)
	}
	if !slices.Equal(users, []string{"user-1", "user-2"}) {
		t.Fatalf("after the fan-out the queue holds mail for %v", users)
	}
	wantCode(t, s.FanOutDelivery(t.Context(), stored, each), pathway.ECONFLICT, "a second FanOutDelivery")
	if err := s.FinishDelivery(t.Context(), pendingMail(t, s)[0], nil); err != nil {
		t.Fatalf("FinishDelivery of a mail: %v", err)
	}
	if got := pendingMail(t, s); len(got) != 1 || got[0].Mail.User != "user-2" {
		t.Fatalf("after finishing one: %+v", got)
	}
}

// testListStaff: an organisation's users in a role; leads for agency-lead.
func testListStaff(t *testing.T, s pathway.Store) {
	for _, u := range []*pathway.User{
		{ID: "u-1", Name: "Ida Pell", Role: pathway.RoleAgency, Organisation: orgA},
		{ID: "u-2", Name: "Joss Wren", Role: pathway.RoleAgency, Organisation: orgA, Lead: true},
		{ID: "u-3", Name: "Kit Amble", Role: pathway.RoleAgency, Organisation: "org-other"},
		{ID: "u-4", Name: "Lou Marr", Role: pathway.RoleFounder},
		{ID: "u-5", Name: "Mo Tarn", Role: pathway.RoleFunder, Organisation: orgA},
		{ID: "u-6", Name: "Nye Holt", Role: pathway.RoleFunder, Organisation: orgA, Lead: true},
	} {
		if err := s.PutUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	for role, want := range map[string][]string{pathway.RoleAgency: {"u-1", "u-2"}, pathway.RoleAgencyLead: {"u-2"},
		pathway.RoleFunder: {"u-5", "u-6"}, pathway.RoleFunderLead: {"u-6"}, pathway.RoleCommissioner: nil} {
		staff, err := s.ListStaff(t.Context(), orgA, role)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, u := range staff {
			ids = append(ids, u.ID)
		}
		if !slices.Equal(ids, want) {
			t.Errorf("ListStaff(%s) = %v, want %v", role, ids, want)
		}
	}
}
