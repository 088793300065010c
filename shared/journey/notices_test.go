package journey_test

import (
	"context"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestReturnTellsTheFounders: returning an item records the founders'
// email in the same transaction, with the agency's comment and a link to
// the item; a return refused (a stale version) records none.
func TestReturnTellsTheFounders(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-return", pathway.StageCQCPreparing)
	items := s.checklist(c.ID, 2)
	mail := func() []*pathway.Delivery {
		ds, err := s.store.PendingMail(s.ctx, pathway.MaxPageSize)
		s.must(err)
		var out []*pathway.Delivery
		for _, d := range ds {
			if d.Mail.Notice == pathway.NoticeItemReturned {
				out = append(out, d)
			}
		}
		return out
	}
	_, err := s.svc.Verify(s.ctx, staff(1), c.ID, items[0].ID, journey.Verification{Outcome: journey.VerifyReturned,
		Comment: "Add the date the committee adopted it.", IfVersion: 1})
	if pathway.ErrorCode(err) != pathway.ECONFLICT {
		t.Fatalf("return with a stale version: %v, want a conflict", err)
	}
	if got := mail(); len(got) != 0 {
		t.Fatalf("a refused return recorded %d notices", len(got))
	}
	if _, err := s.svc.Verify(s.ctx, staff(1), c.ID, items[0].ID, journey.Verification{Outcome: journey.VerifyReturned,
		Comment: "Add the date the committee adopted it."}); err != nil {
		t.Fatal(err)
	}
	got := mail()
	if len(got) != 1 {
		t.Fatalf("%d item-returned notices, want 1", len(got))
	}
	n := got[0].Mail
	if n.Audience != pathway.AudienceFounders || n.Coop != c.ID || n.Title != items[0].Title ||
		n.Detail != "Add the date the committee adopted it." || n.Path != "/coops/"+c.ID+"/items/"+items[0].ID {
		t.Errorf("notice %+v", n)
	}
	// Accepting an item tells nobody by email.
	if _, err := s.svc.Verify(s.ctx, staff(1), c.ID, items[1].ID, journey.Verification{Outcome: journey.VerifyAccepted}); err != nil {
		t.Fatal(err)
	}
	if got := mail(); len(got) != 1 {
		t.Errorf("%d item-returned notices after an acceptance, want still 1", len(got))
	}
}

// sentMail records the mails a mailer was given.
type sentMail struct{ mails []pathway.Mail }

func (m *sentMail) Send(_ context.Context, mail pathway.Mail) error {
	m.mails = append(m.mails, mail)
	return nil
}

// TestReturnIsMailedAtOnce: with a mailer, the request that returns an
// item sends the founders' email itself, and leaves nothing for a sweep.
func TestReturnIsMailedAtOnce(t *testing.T) {
	s := newService(t, testkit.Store(t))
	mailer := &sentMail{}
	s.svc.WithMail(mailer, "https://pathway.example.org")
	c := s.coop("coop-mailed", pathway.StageCQCPreparing)
	u := *founder
	u.Email = "founder@example.test"
	s.must(s.store.PutUser(s.ctx, &u))
	items := s.checklist(c.ID, 1)
	if _, err := s.svc.Verify(s.ctx, staff(1), c.ID, items[0].ID, journey.Verification{Outcome: journey.VerifyReturned,
		Comment: "Sign it."}); err != nil {
		t.Fatal(err)
	}
	if len(mailer.mails) != 1 || mailer.mails[0].To != "founder@example.test" ||
		!strings.Contains(mailer.mails[0].Body, "Their comment: Sign it.") ||
		!strings.Contains(mailer.mails[0].Body, "https://pathway.example.org/coops/coop-mailed/items/"+items[0].ID) {
		t.Fatalf("mails sent by the request: %+v", mailer.mails)
	}
	left, _ := s.store.PendingMail(s.ctx, pathway.MaxPageSize)
	for _, d := range left {
		if d.Mail.Notice == pathway.NoticeItemReturned { // the checklist task's own notice waits for a sweep
			t.Errorf("the return's mail is left for a sweep: %+v", d.Mail)
		}
	}
}
