package journey_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// fakeInvitations creates founder users by email, as the local and
// Cognito invitations do, and counts the calls.
type fakeInvitations struct{ calls int }

func (f *fakeInvitations) Invite(_ context.Context, email, name string) (*pathway.User, error) {
	f.calls++
	return &pathway.User{ID: "user-invited-" + fmt.Sprint(f.calls), Name: name, Role: pathway.RoleFounder, Email: email}, nil
}

var (
	cofounder = &pathway.User{ID: "user-founder-bea", Name: "Bea Example", Role: pathway.RoleFounder}
	third     = &pathway.User{ID: "user-founder-cal", Name: "Cal Example", Role: pathway.RoleFounder}
	outsider  = &pathway.User{ID: "user-founder-dee", Name: "Dee Example", Role: pathway.RoleFounder}
	otherOrg  = &pathway.User{ID: "user-staff-south", Name: "South Staff", Role: pathway.RoleAgency, Organisation: "org-south"}
)

// foundersService is the service with invitations, users on record and
// a co-op whose applicant is the founder.
func foundersService(t *testing.T) (*service, *fakeInvitations) {
	s := newService(t, testkit.Store(t))
	inv := &fakeInvitations{}
	s.svc.WithInvitations(inv)
	for _, u := range []*pathway.User{founder, cofounder, third, outsider, staff(1)} {
		s.must(s.store.PutUser(s.ctx, u))
	}
	s.must(func() error {
		_, err := s.store.SaveUserByEmail(s.ctx, &pathway.User{ID: "user-staff-mail", Name: "Staff Mail", Role: pathway.RoleAgency,
			Organisation: agency, Email: "staff@example.org"})
		return err
	}())
	c := s.coop("coop-founders", pathway.StageAwaitingPanel)
	c.Applicant = founderID
	s.must(s.store.UpdateCoop(s.ctx, c, nil))
	return s, inv
}

func TestInviteFounderRules(t *testing.T) {
	tests := []struct {
		name   string
		by     *pathway.User
		in     journey.Invite
		code   string
		field  string
		wantID string
	}{
		{"founder invites a user", founder, journey.Invite{User: cofounder.ID}, "", "", cofounder.ID},
		{"founder invites by email", founder, journey.Invite{Email: "new.person@example.org"}, "", "", "user-invited-1"},
		{"blank email", founder, journey.Invite{Email: "  "}, pathway.EINVALID, "email", ""},
		{"founder of another co-op", outsider, journey.Invite{User: third.ID}, pathway.ENOTFOUND, "", ""},
		{"agency staff of the programme", staff(1), journey.Invite{User: third.ID}, pathway.EFORBIDDEN, "", ""},
		{"staff of another agency", otherOrg, journey.Invite{User: third.ID}, pathway.ENOTFOUND, "", ""},
		{"unknown user", founder, journey.Invite{User: "user-nobody"}, pathway.EINVALID, "user", ""},
		{"a staff user", founder, journey.Invite{User: staff(1).ID}, pathway.EINVALID, "user", ""},
		{"a staff email", founder, journey.Invite{Email: "STAFF@example.org"}, pathway.EINVALID, "email", ""},
		{"a bad email", founder, journey.Invite{Email: "not-an-address"}, pathway.EINVALID, "email", ""},
		{"both email and user", founder, journey.Invite{Email: "a@example.org", User: third.ID}, pathway.EINVALID, "user", ""},
		{"neither", founder, journey.Invite{}, pathway.EINVALID, "email", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := foundersService(t)
			f, err := s.svc.InviteFounder(s.ctx, tc.by, "coop-founders", tc.in)
			if tc.code != "" {
				wantCode(t, err, tc.code, tc.field)
				if got, _ := s.store.GetCoop(s.ctx, "coop-founders"); len(got.Founders) != 1 {
					t.Fatalf("a refused invitation changed the founders: %v", got.Founders)
				}
				return
			}
			if err != nil || f.ID != tc.wantID {
				t.Fatalf("InviteFounder: %+v %v, want %s", f, err, tc.wantID)
			}
			c, _ := s.store.GetCoop(s.ctx, "coop-founders")
			if !slices.Equal(c.Founders, []string{founderID, tc.wantID}) {
				t.Fatalf("founders %v", c.Founders)
			}
			if n := count(s.actions(c.ID), pathway.ActionFounderInvited); n != 1 {
				t.Fatalf("%d invitation events, want 1", n)
			}
			// The invited founder sees the co-op and acts on its founder tasks.
			u, err := s.store.GetUser(s.ctx, tc.wantID)
			if err != nil || u.Role != pathway.RoleFounder {
				t.Fatalf("invited user on record: %+v %v", u, err)
			}
			if _, err := s.svc.View(s.ctx, u, c.ID); err != nil {
				t.Fatalf("the invited founder cannot see the co-op: %v", err)
			}
		})
	}
}

func TestInviteByEmailStoresTheUserFoundByEmail(t *testing.T) {
	s, inv := foundersService(t)
	f, err := s.svc.InviteFounder(s.ctx, founder, "coop-founders", journey.Invite{Email: "rowan.tilly@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "Rowan Tilly" || f.Email != "rowan.tilly@example.org" {
		t.Errorf("invited %+v, want the name made from the address", f)
	}
	u, err := s.store.GetUserByEmail(s.ctx, "Rowan.Tilly@example.org")
	if err != nil || u.ID != f.ID {
		t.Fatalf("user by email: %+v %v", u, err)
	}
	// Again, in another case: found on record, the port is not asked again.
	if _, err := s.svc.InviteFounder(s.ctx, founder, "coop-founders", journey.Invite{Email: "ROWAN.TILLY@example.org"}); err != nil {
		t.Fatal(err)
	}
	if inv.calls != 1 {
		t.Errorf("invitations asked %d times, want 1", inv.calls)
	}
}

func TestInviteWithoutInvitationsNeedsAUserOnRecord(t *testing.T) {
	s := newService(t, testkit.Store(t))
	s.coop("coop-plain", pathway.StageApplied)
	_, err := s.svc.InviteFounder(s.ctx, founder, "coop-plain", journey.Invite{Email: "someone@example.org"})
	wantCode(t, err, pathway.EINVALID, "email")
}

func TestReinviteIsANoOp(t *testing.T) {
	s, _ := foundersService(t)
	for range 3 {
		if _, err := s.svc.InviteFounder(s.ctx, founder, "coop-founders", journey.Invite{User: cofounder.ID}); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := s.store.GetCoop(s.ctx, "coop-founders")
	if !slices.Equal(c.Founders, []string{founderID, cofounder.ID}) || count(s.actions(c.ID), pathway.ActionFounderInvited) != 1 {
		t.Fatalf("after three invitations: founders %v, events %v", c.Founders, s.actions(c.ID))
	}
}

func TestAtMostFiftyFounders(t *testing.T) {
	s, _ := foundersService(t)
	c, _ := s.store.GetCoop(s.ctx, "coop-founders")
	for i := len(c.Founders); i < pathway.MaxFounders; i++ {
		c.Founders = append(c.Founders, fmt.Sprintf("user-founder-%02d", i))
	}
	s.must(s.store.UpdateCoop(s.ctx, c, nil))
	_, err := s.svc.InviteFounder(s.ctx, founder, c.ID, journey.Invite{User: cofounder.ID})
	wantCode(t, err, pathway.EINVALID, "user")
}

func TestRemoveFounderRules(t *testing.T) {
	tests := []struct {
		name      string
		founders  []string
		applicant string
		by        *pathway.User
		target    string
		code      string
		field     string
		want      []string
	}{
		{"applicant removes a co-founder", []string{founderID, cofounder.ID}, founderID, founder, cofounder.ID, "", "", []string{founderID}},
		{"co-founder leaves", []string{founderID, cofounder.ID}, founderID, cofounder, cofounder.ID, "", "", []string{founderID}},
		{"applicant leaves", []string{founderID, cofounder.ID}, founderID, founder, founderID, "", "", []string{cofounder.ID}},
		{"co-founder removes the applicant", []string{founderID, cofounder.ID}, founderID, cofounder, founderID, pathway.EFORBIDDEN, "", nil},
		{"co-founder removes another", []string{founderID, cofounder.ID, third.ID}, founderID, cofounder, third.ID, pathway.EFORBIDDEN, "", nil},
		{"last founder leaves", []string{founderID}, founderID, founder, founderID, pathway.EINVALID, "user", nil},
		{"last founder is removed", []string{cofounder.ID}, founderID, cofounder, cofounder.ID, pathway.EINVALID, "user", nil},
		{"staff remove a founder", []string{founderID, cofounder.ID}, founderID, staff(1), cofounder.ID, pathway.EFORBIDDEN, "", nil},
		{"outsider", []string{founderID, cofounder.ID}, founderID, outsider, cofounder.ID, pathway.ENOTFOUND, "", nil},
		{"someone no longer a founder", []string{founderID, cofounder.ID}, founderID, founder, third.ID, "", "", []string{founderID, cofounder.ID}},
		{"old co-op: first founder is the applicant", []string{cofounder.ID, third.ID}, "", cofounder, third.ID, "", "", []string{cofounder.ID}},
		{"applicant gone: longest-standing founder removes", []string{cofounder.ID, third.ID}, founderID, cofounder, third.ID, "", "", []string{cofounder.ID}},
		{"applicant gone: others still cannot", []string{cofounder.ID, third.ID, outsider.ID}, founderID, third, outsider.ID, pathway.EFORBIDDEN, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := foundersService(t)
			c, _ := s.store.GetCoop(s.ctx, "coop-founders")
			c.Founders, c.Applicant = tc.founders, tc.applicant
			s.must(s.store.UpdateCoop(s.ctx, c, nil))
			err := s.svc.RemoveFounder(s.ctx, tc.by, c.ID, tc.target)
			got, _ := s.store.GetCoop(s.ctx, c.ID)
			if tc.code != "" {
				wantCode(t, err, tc.code, tc.field)
				if !slices.Equal(got.Founders, tc.founders) {
					t.Fatalf("a refused removal changed the founders: %v", got.Founders)
				}
				return
			}
			if err != nil || !slices.Equal(got.Founders, tc.want) {
				t.Fatalf("RemoveFounder: %v, founders %v, want %v", err, got.Founders, tc.want)
			}
		})
	}
}

func TestRemovedFounderLosesTheCoop(t *testing.T) {
	s, _ := foundersService(t)
	if _, err := s.svc.InviteFounder(s.ctx, founder, "coop-founders", journey.Invite{User: cofounder.ID}); err != nil {
		t.Fatal(err)
	}
	task := s.task("coop-founders", "task-f", "cqc-submission", pathway.RoleFounder, "", "tok", s.now.AddDate(0, 0, 7))
	c, _ := s.store.GetCoop(s.ctx, "coop-founders")
	if !cofounder.CanActOn(task, c) {
		t.Fatal("the co-founder cannot act on the founder task")
	}
	if err := s.svc.RemoveFounder(s.ctx, founder, "coop-founders", cofounder.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.svc.View(s.ctx, cofounder, "coop-founders")
	wantCode(t, err, pathway.ENOTFOUND, "")
	mine, err := s.svc.FounderCoops(s.ctx, cofounder)
	if err != nil || len(mine) != 0 {
		t.Fatalf("the removed founder's co-ops: %v %v", mine, err)
	}
	wantCode(t, s.svc.RemoveFounder(s.ctx, cofounder, "coop-founders", cofounder.ID), pathway.ENOTFOUND, "")
	if got := s.actions("coop-founders"); count(got, pathway.ActionFounderRemoved) != 1 {
		t.Fatalf("events %v, want one removal", got)
	}
}

func TestViewListsFounders(t *testing.T) {
	s, _ := foundersService(t)
	if _, err := s.svc.InviteFounder(s.ctx, founder, "coop-founders", journey.Invite{User: cofounder.ID}); err != nil {
		t.Fatal(err)
	}
	v, err := s.svc.View(s.ctx, cofounder, "coop-founders")
	if err != nil {
		t.Fatal(err)
	}
	want := []journey.Founder{{ID: founderID, Name: founder.Name, Applicant: true}, {ID: cofounder.ID, Name: cofounder.Name}}
	if !slices.Equal(v.FounderList, want) {
		t.Errorf("founders %+v, want %+v", v.FounderList, want)
	}
	if v.CanRemoveFounders(cofounder) || !v.CanRemoveFounders(founder) {
		t.Error("only the applicant may remove founders")
	}
}

func TestNameFromEmail(t *testing.T) {
	for email, want := range map[string]string{
		"sam.okafor@example.org": "Sam Okafor",
		"kit@example.org":        "Kit",
		"a_b-c+d@example.org":    "A B C D",
		"@example.org":           "Co-founder",
	} {
		if got := journey.NameFromEmail(email); got != want {
			t.Errorf("NameFromEmail(%q) = %q, want %q", email, got, want)
		}
	}
}
