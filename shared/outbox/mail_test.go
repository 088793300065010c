package outbox_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/oklog/ulid/v2"
)

// fakeMailer records the mails it sends and fails on demand.
type fakeMailer struct {
	mu    sync.Mutex
	mails []pathway.Mail
	fails int // how many of the next sends fail
}

func (m *fakeMailer) Send(_ context.Context, mail pathway.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fails > 0 {
		m.fails--
		return errors.New("ses: throttled")
	}
	m.mails = append(m.mails, mail)
	return nil
}

func (m *fakeMailer) sent() []pathway.Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.mails)
}

// to lists the recipients of the mails sent, sorted.
func (m *fakeMailer) to() []string {
	var out []string
	for _, x := range m.sent() {
		out = append(out, x.To)
	}
	slices.Sort(out)
	return out
}

// mailFixture is an outbox with a mailer over a store holding a co-op with
// two founders and an agency with two staff, one of them a lead.
type mailFixture struct {
	st     pathway.Store
	mailer *fakeMailer
	clock  *clock
	ob     *outbox.Outbox
	coop   *pathway.Coop
}

var mailUsers = []*pathway.User{
	{ID: "user-f1", Name: "Ada Fernsby", Role: pathway.RoleFounder, Email: "ada@example.org"},
	{ID: "user-f2", Name: "Bram Holloway", Role: pathway.RoleFounder, Email: "bram@example.org"},
	{ID: "user-a1", Name: "Cora Lindqvist", Role: pathway.RoleAgency, Organisation: "org-a", Email: "cora@example.org"},
	{ID: "user-a2", Name: "Dev Okafor", Role: pathway.RoleAgency, Organisation: "org-a", Lead: true, Email: "dev@example.org"},
	{ID: "user-b1", Name: "Esme Trow", Role: pathway.RoleAgency, Organisation: "org-b", Email: "esme@example.org"},
}

func newMailFixture(t *testing.T) *mailFixture {
	t.Helper()
	f := &mailFixture{st: testkit.LaggedStore(t), mailer: &fakeMailer{}, clock: &clock{}}
	f.clock.set(t0)
	f.ob = outbox.New(f.st, &fakeWorkflows{}, f.clock.now, nil).WithMail(f.mailer, "https://pathway.example.org")
	for _, u := range mailUsers {
		u := *u
		if err := f.st.PutUser(t.Context(), &u); err != nil {
			t.Fatal(err)
		}
	}
	f.coop = &pathway.Coop{
		ID: "coop-m", Name: "Fernsby Care Co-op", Programme: "prog-a", LegalForm: pathway.FormCooperativeSociety,
		Origin: "new-start", LocalAuthority: "Westmoor", Services: []string{"home-care"},
		RegulatedActivities: []string{"personal-care"},
		Members:             []pathway.Member{{Name: "Ada Fernsby", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Founders:            []string{"user-f1", "user-f2"}, Stage: pathway.StageApplied, StageEnteredAt: t0, CreatedAt: t0, UpdatedAt: t0,
	}
	e := &pathway.Event{ID: ulid.Make().String(), Coop: f.coop.ID, At: t0, Actor: "user-f1", Action: pathway.ActionApplicationSubmitted, Summary: "Applied."}
	if err := f.st.CreateCoop(t.Context(), f.coop, e, nil); err != nil {
		t.Fatal(err)
	}
	return f
}

// record stores a notice, as a change that causes one does.
func (f *mailFixture) record(t *testing.T, n *pathway.MailNotice) *pathway.Delivery {
	t.Helper()
	d := pathway.NewNotice(pathway.CoopSubject(f.coop.ID), n, "system", f.clock.now())
	e := &pathway.Event{ID: ulid.Make().String(), Coop: f.coop.ID, At: f.clock.now(), Actor: "system",
		Action: pathway.ActionNotificationSent, Summary: "Something happened.", Notices: []*pathway.Delivery{d}}
	if err := f.st.AppendEvent(t.Context(), e); err != nil {
		t.Fatal(err)
	}
	return d
}

func (f *mailFixture) sweep(t *testing.T) int {
	t.Helper()
	n, err := f.ob.Sweep(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *mailFixture) pendingMail(t *testing.T) []*pathway.Delivery {
	t.Helper()
	p, err := f.st.PendingMail(t.Context(), pathway.MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMailFansOutToFoundersOnce(t *testing.T) {
	f := newMailFixture(t)
	f.record(t, pathway.DecisionNotice(f.coop, "The panel accepted the co-op onto the programme."))
	f.sweep(t)
	if got, want := f.mailer.to(), []string{"ada@example.org", "bram@example.org"}; !slices.Equal(got, want) {
		t.Fatalf("mailed %v, want %v", got, want)
	}
	m := f.mailer.sent()[0]
	if m.Subject != "A decision about Fernsby Care Co-op" || !strings.Contains(m.Body, "https://pathway.example.org/coops/coop-m") {
		t.Errorf("mail %+v", m)
	}
	if p := f.pendingMail(t); len(p) != 0 {
		t.Errorf("%d mail deliveries left after sending", len(p))
	}
	f.clock.advance(time.Hour)
	f.sweep(t)
	if n := len(f.mailer.sent()); n != 2 {
		t.Errorf("%d mails after a second sweep, want still 2", n)
	}
	// An outbox without a mailer (the journey's) leaves mail alone.
	f.record(t, pathway.DecisionNotice(f.coop, "Declined."))
	if _, err := outbox.New(f.st, &fakeWorkflows{}, f.clock.now, nil).Sweep(t.Context(), true); err != nil {
		t.Fatal(err)
	}
	if p := f.pendingMail(t); len(p) != 1 || p[0].Attempts != 0 {
		t.Errorf("an outbox without a mailer touched the mail: %+v", p)
	}
}

func TestMailFansOutToStaffOfTheRole(t *testing.T) {
	for _, tc := range []struct {
		audience string
		want     []string
	}{
		{pathway.AudienceAgency, []string{"cora@example.org", "dev@example.org"}},
		{pathway.AudienceAgencyLead, []string{"dev@example.org"}},
	} {
		t.Run(tc.audience, func(t *testing.T) {
			f := newMailFixture(t)
			f.record(t, &pathway.MailNotice{Notice: pathway.NoticeTaskOpened, Audience: tc.audience, Organisation: "org-a",
				Coop: f.coop.ID, Title: "Panel decision: Fernsby Care Co-op", Path: "/tasks/t1"})
			f.sweep(t)
			if got := f.mailer.to(); !slices.Equal(got, tc.want) {
				t.Errorf("mailed %v, want %v (not org-b's staff)", got, tc.want)
			}
		})
	}
}

func TestMailRetriedAfterAFailureWithBackoff(t *testing.T) {
	f := newMailFixture(t)
	f.record(t, &pathway.MailNotice{Notice: pathway.NoticeTaskOpened, Audience: pathway.AudienceUser, User: "user-a1",
		Title: "Review", Path: "/tasks/t1"})
	f.mailer.fails = 1
	f.sweep(t)
	p := f.pendingMail(t)
	if len(f.mailer.sent()) != 0 || len(p) != 1 || p[0].Attempts != 1 || !strings.Contains(p[0].LastError, "throttled") {
		t.Fatalf("after a failure: sent %d, pending %+v", len(f.mailer.sent()), p)
	}
	f.clock.advance(2 * time.Second)
	f.sweep(t)
	if len(f.mailer.sent()) != 0 {
		t.Fatal("sent again before the backoff ended")
	}
	f.clock.advance(10 * time.Second)
	f.sweep(t)
	if got := f.mailer.to(); !slices.Equal(got, []string{"cora@example.org"}) {
		t.Errorf("after the backoff mailed %v", got)
	}
}

func TestMailDailyDigest(t *testing.T) {
	f := newMailFixture(t) // t0 is 09:00 UK time on 1 March 2027
	u, _ := f.st.GetUser(t.Context(), "user-a1")
	u.Notices = pathway.NoticesDaily
	if err := f.st.PutUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"Panel decision: One", "Panel decision: Two"} {
		f.record(t, &pathway.MailNotice{Notice: pathway.NoticeTaskOpened, Audience: pathway.AudienceAgency,
			Organisation: "org-a", Title: title, Path: "/tasks/x"})
		f.clock.advance(time.Minute)
	}
	f.sweep(t)
	if got := f.mailer.to(); !slices.Equal(got, []string{"dev@example.org", "dev@example.org"}) {
		t.Fatalf("before 08:00 mailed %v, want only the immediate person's two", got)
	}
	f.clock.set(time.Date(2027, 3, 2, 7, 59, 0, 0, time.UTC))
	f.sweep(t)
	if _, err := f.ob.Sweep(t.Context(), true); err != nil { // a server starting up
		t.Fatal(err)
	}
	if n := len(f.mailer.sent()); n != 2 {
		t.Fatalf("the summary went before 08:00: %d mails", n)
	}
	f.clock.set(time.Date(2027, 3, 2, 8, 0, 30, 0, time.UTC))
	f.sweep(t)
	sent := f.mailer.sent()
	if len(sent) != 3 {
		t.Fatalf("%d mails after 08:00, want one summary more", len(sent))
	}
	d := sent[2]
	if d.To != "cora@example.org" || d.Subject != "Your daily summary: 2 notices" ||
		!strings.Contains(d.Body, "Panel decision: One") || !strings.Contains(d.Body, "Panel decision: Two") {
		t.Errorf("summary %+v", d)
	}
	if p := f.pendingMail(t); len(p) != 0 {
		t.Errorf("%d held mails left", len(p))
	}
}

func TestMailToSomeoneWithoutAnAddress(t *testing.T) {
	f := newMailFixture(t)
	u, _ := f.st.GetUser(t.Context(), "user-f2")
	u.Email = ""
	if err := f.st.PutUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	f.record(t, pathway.DecisionNotice(f.coop, "Declined."))
	f.sweep(t)
	if got := f.mailer.to(); !slices.Equal(got, []string{"ada@example.org"}) {
		t.Errorf("mailed %v", got)
	}
	page, err := f.st.ListEvents(t.Context(), pathway.CoopSubject(f.coop.ID), "", 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range page.Events {
		found = found || strings.Contains(e.Summary, "We could not email Bram Holloway") && e.Data["user"] == "user-f2"
	}
	if !found {
		t.Error("no audit note that Bram Holloway could not be emailed")
	}
	if p := f.pendingMail(t); len(p) != 0 {
		t.Errorf("%d mail deliveries left", len(p))
	}
}

// Two sweeps at once (two Lambda instances) send each person one email.
func TestMailConcurrentSweepsSendOnce(t *testing.T) {
	f := newMailFixture(t)
	for range 5 {
		f.record(t, pathway.DecisionNotice(f.coop, "The panel accepted the co-op onto the programme."))
	}
	other := outbox.New(f.st, &fakeWorkflows{}, f.clock.now, nil).WithMail(f.mailer, "https://pathway.example.org")
	var wg sync.WaitGroup
	for _, ob := range []*outbox.Outbox{f.ob, other, f.ob, other} {
		wg.Go(func() {
			if _, err := ob.Sweep(context.Background(), false); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	f.clock.advance(2 * outbox.Lease)
	f.sweep(t)
	if n := len(f.mailer.sent()); n != 10 {
		t.Errorf("%d mails for 5 notices to 2 founders, want 10", n)
	}
}
