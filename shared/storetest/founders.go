package storetest

import (
	"encoding/json"
	"slices"
	"sync"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The co-founder and draft subtests join the suite here, so the list in
// storetest.go stays as it is.
func init() {
	tests = append(tests,
		test{"ChangeFounders", testChangeFounders},
		test{"ChangeFoundersConcurrent", testChangeFoundersConcurrent},
		test{"UsersByEmail", testUsersByEmail},
		test{"UsersByEmailRace", testUsersByEmailRace},
		test{"Drafts", testDrafts},
	)
}

// addFounder is a change that adds a founder with its event, or nothing
// when they are one already.
func addFounder(id string) pathway.FounderChange {
	return func(c *pathway.Coop) (*pathway.Event, error) {
		if slices.Contains(c.Founders, id) {
			return nil, nil
		}
		c.Founders = append(c.Founders, id)
		e := newEvent(c.ID, pathway.ActionFounderInvited, at(1))
		e.Data = map[string]string{"user": id}
		return e, nil
	}
}

// memberOf reports whether the user's co-ops include the co-op.
func memberOf(t *testing.T, s pathway.Store, user, coop string) bool {
	t.Helper()
	cs, err := s.ListFounderCoops(t.Context(), user)
	if err != nil {
		t.Fatalf("ListFounderCoops(%s): %v", user, err)
	}
	return slices.ContainsFunc(cs, func(c *pathway.Coop) bool { return c.ID == coop })
}

func testChangeFounders(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	create(t, s, newCoop("coop-linden", progNorth, pathway.StageApplied, at(0)))

	c, err := s.ChangeFounders(ctx, "coop-linden", addFounder("user-founder-rook"))
	if err != nil {
		t.Fatalf("ChangeFounders: %v", err)
	}
	if !slices.Equal(c.Founders, []string{"user-founder-edna", "user-founder-rook"}) || c.Version != 2 {
		t.Fatalf("after adding: founders %v version %d, want edna and rook at version 2", c.Founders, c.Version)
	}
	wantCoop(t, c, get(t, s, "coop-linden"), "GetCoop after ChangeFounders")
	if !memberOf(t, s, "user-founder-rook", "coop-linden") {
		t.Fatal("the added founder's co-ops do not include the co-op")
	}
	page, err := s.ListEvents(ctx, pathway.CoopSubject("coop-linden"), "", 0)
	if err != nil || len(page.Events) != 2 || page.Events[1].Action != pathway.ActionFounderInvited {
		t.Fatalf("events after adding a founder: %v %v, want the first and the invitation", page, err)
	}

	// No event: nothing is written, not even a version.
	c, err = s.ChangeFounders(ctx, "coop-linden", addFounder("user-founder-rook"))
	if err != nil || c.Version != 2 || len(c.Founders) != 2 {
		t.Fatalf("adding again: %v %+v, want no change", err, c)
	}

	// An error from the change stops it.
	refused := pathway.Invalid(map[string]string{"user": "no"})
	_, err = s.ChangeFounders(ctx, "coop-linden", func(c *pathway.Coop) (*pathway.Event, error) {
		c.Founders = nil
		return nil, refused
	})
	wantField(t, err, "user", "ChangeFounders whose change fails")
	if got := get(t, s, "coop-linden"); len(got.Founders) != 2 {
		t.Fatalf("a failed change was stored: %v", got.Founders)
	}

	// Removing unlinks the founder in the same write.
	_, err = s.ChangeFounders(ctx, "coop-linden", func(c *pathway.Coop) (*pathway.Event, error) {
		c.Founders = slices.DeleteFunc(c.Founders, func(id string) bool { return id == "user-founder-rook" })
		return newEvent(c.ID, pathway.ActionFounderRemoved, at(2)), nil
	})
	if err != nil {
		t.Fatalf("removing: %v", err)
	}
	if memberOf(t, s, "user-founder-rook", "coop-linden") {
		t.Fatal("a removed founder's co-ops still include the co-op")
	}
	_, err = s.ChangeFounders(ctx, "coop-missing", addFounder("user-founder-rook"))
	wantCode(t, err, pathway.ENOTFOUND, "ChangeFounders of a missing co-op")
}

func testChangeFoundersConcurrent(t *testing.T, s pathway.Store) {
	create(t, s, newCoop("coop-aspen", progNorth, pathway.StageApplied, at(0)))
	invitees := []string{"user-founder-ash", "user-founder-birch", "user-founder-cedar", "user-founder-dogwood"}
	var wg sync.WaitGroup
	errs := make([]error, len(invitees))
	for i, id := range invitees {
		wg.Go(func() {
			_, errs[i] = s.ChangeFounders(t.Context(), "coop-aspen", addFounder(id))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("inviting %s at the same time as others: %v", invitees[i], err)
		}
	}
	c := get(t, s, "coop-aspen")
	for _, id := range invitees {
		if !slices.Contains(c.Founders, id) || !memberOf(t, s, id, c.ID) {
			t.Errorf("%s was lost: founders %v", id, c.Founders)
		}
	}
	if len(c.Founders) != 1+len(invitees) || c.Version != 1+len(invitees) {
		t.Errorf("founders %v at version %d, want every invitee once, one version each", c.Founders, c.Version)
	}
}

func testUsersByEmail(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	u := &pathway.User{ID: "user-founder-ines", Name: "Ines Hartwell", Role: pathway.RoleFounder, Email: "Ines.Hartwell@example.org"}
	got, err := s.SaveUserByEmail(ctx, u)
	if err != nil || got.ID != u.ID {
		t.Fatalf("SaveUserByEmail: %+v %v", got, err)
	}
	if byID, err := s.GetUser(ctx, u.ID); err != nil || byID.Email != u.Email {
		t.Fatalf("GetUser after SaveUserByEmail: %+v %v", byID, err)
	}
	byEmail, err := s.GetUserByEmail(ctx, "ines.hartwell@EXAMPLE.org")
	if err != nil || byEmail.ID != u.ID {
		t.Fatalf("GetUserByEmail in another case: %+v %v", byEmail, err)
	}
	other := &pathway.User{ID: "user-founder-imposter", Name: "Someone Else", Role: pathway.RoleFounder, Email: "ines.hartwell@example.org"}
	got, err = s.SaveUserByEmail(ctx, other)
	if err != nil || got.ID != u.ID {
		t.Fatalf("SaveUserByEmail of a taken email: %+v %v, want the first user", got, err)
	}
	_, err = s.GetUser(ctx, other.ID)
	wantCode(t, err, pathway.ENOTFOUND, "a user whose email was taken")
	_, err = s.GetUserByEmail(ctx, "nobody@example.org")
	wantCode(t, err, pathway.ENOTFOUND, "GetUserByEmail of an unknown email")
	_, err = s.SaveUserByEmail(ctx, &pathway.User{ID: "user-x", Name: "X", Role: pathway.RoleFounder})
	wantField(t, err, "email", "SaveUserByEmail without an email")
	_, err = s.SaveUserByEmail(ctx, &pathway.User{ID: "user-y", Name: "Y", Role: pathway.RoleFounder, Email: "not an email"})
	wantField(t, err, "email", "SaveUserByEmail with a bad email")
}

func testUsersByEmailRace(t *testing.T, s pathway.Store) {
	ids := []string{"user-founder-p1", "user-founder-p2", "user-founder-p3"}
	got := make([]*pathway.User, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			got[i], errs[i] = s.SaveUserByEmail(t.Context(), &pathway.User{ID: id, Name: "Pat Fenwick", Role: pathway.RoleFounder, Email: "pat@example.org"})
		})
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || got[i].ID != got[0].ID {
			t.Fatalf("saving one email at once: %v %v, want every caller to get the same user", got, errs)
		}
	}
	users, err := s.ListUsers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(slices.DeleteFunc(users, func(u *pathway.User) bool { return u.Email != "pat@example.org" })); n != 1 {
		t.Fatalf("%d users have the email, want 1", n)
	}
}

func testDrafts(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	_, err := s.GetDraft(ctx, "user-founder-ida", pathway.DraftApplication)
	wantCode(t, err, pathway.ENOTFOUND, "GetDraft before any")
	d := &pathway.Draft{User: "user-founder-ida", Kind: pathway.DraftApplication, Body: json.RawMessage(`{"name":"Ida's Co-op"}`), UpdatedAt: at(1)}
	if err := s.PutDraft(ctx, d); err != nil || d.Version != 1 {
		t.Fatalf("PutDraft: %v, version %d", err, d.Version)
	}
	stale := *d
	stale.Version = 0
	wantCode(t, s.PutDraft(ctx, &stale), pathway.ECONFLICT, "PutDraft of a new draft over a stored one")
	d.Body = json.RawMessage(`{"name":"Ida's Care Co-op"}`)
	if err := s.PutDraft(ctx, d); err != nil || d.Version != 2 {
		t.Fatalf("PutDraft again: %v, version %d", err, d.Version)
	}
	old := *d
	old.Version = 1
	wantCode(t, s.PutDraft(ctx, &old), pathway.ECONFLICT, "PutDraft at a stale version")
	got, err := s.GetDraft(ctx, "user-founder-ida", pathway.DraftApplication)
	if err != nil || !sameJSON(got.Body, d.Body) || got.Version != 2 || !got.UpdatedAt.Equal(at(1)) {
		t.Fatalf("GetDraft: %+v %v", got, err)
	}
	if _, err := s.GetDraft(ctx, "user-founder-other", pathway.DraftApplication); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Fatalf("another user's draft: %v", err)
	}
	wantField(t, s.PutDraft(ctx, &pathway.Draft{User: "user-founder-ida", Kind: pathway.DraftApplication}), "body", "PutDraft without a body")
	if err := s.DeleteDraft(ctx, "user-founder-ida", pathway.DraftApplication); err != nil {
		t.Fatalf("DeleteDraft: %v", err)
	}
	_, err = s.GetDraft(ctx, "user-founder-ida", pathway.DraftApplication)
	wantCode(t, err, pathway.ENOTFOUND, "GetDraft after DeleteDraft")
	if err := s.DeleteDraft(ctx, "user-founder-ida", pathway.DraftApplication); err != nil {
		t.Fatalf("DeleteDraft of none: %v", err)
	}
}
