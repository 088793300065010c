package journey_test

// The checklist's rules as the service applies them: what an answer must
// hold, who may mark done or verify, when the checklist can change, and
// which version of an item a change must start from.

import (
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// wantCode fails unless err has the application error code and, for
// EINVALID, names the field.
func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if got := pathway.ErrorCode(err); got != code {
		t.Fatalf("error %v (code %q); want %s", err, got, code)
	}
	if field != "" {
		if _, ok := pathway.ErrorFields(err)[field]; !ok {
			t.Fatalf("error fields %v; want %q named", pathway.ErrorFields(err), field)
		}
	}
}

// putItems stores a not-started required item and an optional one.
func (s *service) putItems(coop string) {
	s.t.Helper()
	s.must(s.store.PutChecklist(s.ctx, []*pathway.ChecklistItem{
		{Coop: coop, ID: "REQ-01", Group: pathway.GroupPolicies, Title: "Safeguarding policy", Required: true, Status: pathway.ItemNotStarted},
		{Coop: coop, ID: "OPT-01", Group: pathway.GroupInsurance, Title: "Public liability insurance", Status: pathway.ItemNotStarted},
	}))
}

// Rule: a founder marking an item done says "done", gives evidence (up to
// 4000 characters) and optionally a full https:// link (up to 2000
// characters) to it.
func TestMarkDoneAnswerRules(t *testing.T) {
	long := "https://docs.example.org/" + strings.Repeat("a", 2000)
	for _, tc := range []struct {
		name  string
		up    journey.ItemUpdate
		field string // "" when the update is taken
	}{
		{"evidence", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "Adopted at the March meeting."}, ""},
		{"evidence of 4000 characters", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: strings.Repeat("é", 4000)}, ""},
		{"a link of 2000 characters", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "x", Link: long[:2000]}, ""},
		{"an https link", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "See the link.", Link: " https://docs.example.org/policy "}, ""},
		{"status other than done", journey.ItemUpdate{Status: pathway.ItemVerified, Evidence: "Done."}, "status"},
		{"no evidence", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "   "}, "evidence"},
		{"evidence over 4000 characters", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: strings.Repeat("é", 4001)}, "evidence"},
		{"an http link", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "x", Link: "http://docs.example.org/policy"}, "link"},
		{"a link without a host", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "x", Link: "https:///policy"}, "link"},
		{"a link with a user", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "x", Link: "https://ash@docs.example.org/"}, "link"},
		{"not a link", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "x", Link: "https://%zz"}, "link"},
		{"a link over 2000 characters", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "x", Link: long}, "link"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newService(t, testkit.Store(t))
			s.coop("coop-a", pathway.StageCQCPreparing)
			s.putItems("coop-a")
			it, err := s.svc.MarkDone(s.ctx, founder, "coop-a", "REQ-01", tc.up)
			if tc.field != "" {
				wantCode(t, err, pathway.EINVALID, tc.field)
				return
			}
			s.must(err)
			stored, err := s.store.GetChecklistItem(s.ctx, "coop-a", "REQ-01")
			s.must(err)
			if stored.Status != pathway.ItemDone || stored.Evidence != strings.TrimSpace(tc.up.Evidence) ||
				stored.Link != strings.TrimSpace(tc.up.Link) || stored.UpdatedBy != founderID || it.Status != pathway.ItemDone {
				t.Fatalf("stored %+v; want done with the trimmed evidence and link, by the founder", stored)
			}
		})
	}
}

// Rule: only founders mark items done, and only agency staff verify them.
func TestChecklistRoles(t *testing.T) {
	s := newService(t, testkit.Store(t))
	s.coop("coop-a", pathway.StageCQCPreparing)
	s.putItems("coop-a")
	_, err := s.svc.MarkDone(s.ctx, staff(1), "coop-a", "REQ-01", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "x"})
	wantCode(t, err, pathway.EFORBIDDEN, "")
	_, err = s.svc.MarkDone(s.ctx, founder, "coop-a", "REQ-01", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "x"})
	s.must(err)
	_, err = s.svc.Verify(s.ctx, founder, "coop-a", "REQ-01", journey.Verification{Outcome: journey.VerifyAccepted})
	wantCode(t, err, pathway.EFORBIDDEN, "")
}

// Rule: the checklist changes only from the panel's acceptance until
// CQC's decision.
func TestChecklistOpenStages(t *testing.T) {
	for _, tc := range []struct {
		stage string
		open  bool
	}{
		{pathway.StageAwaitingPanel, false},
		{pathway.StageCQCPreparing, true},
		{pathway.StageCQCSubmitted, true},
		{pathway.StageCQCRegistered, false},
	} {
		t.Run(tc.stage, func(t *testing.T) {
			s := newService(t, testkit.Store(t))
			c := s.coop("coop-a", tc.stage)
			s.putItems("coop-a")
			it, err := s.store.GetChecklistItem(s.ctx, "coop-a", "REQ-01")
			s.must(err)
			_, err = s.svc.MarkDone(s.ctx, founder, "coop-a", "REQ-01", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "x"})
			actions := journey.ActionsOn(founder, c, it)
			if tc.open {
				s.must(err)
				if !actions.MarkDone || actions.Closed != "" {
					t.Fatalf("ActionsOn = %+v; want mark done offered", actions)
				}
				return
			}
			wantCode(t, err, pathway.ECONFLICT, "")
			if actions.MarkDone || actions.Verify || actions.Closed == "" {
				t.Fatalf("ActionsOn = %+v; want the checklist closed", actions)
			}
		})
	}
}

// Rule: a change made from a version of the item other than the stored
// one is refused (version 0: the caller did not say), and a verified item
// is locked.
func TestMarkDoneVersionAndLock(t *testing.T) {
	s := newService(t, testkit.Store(t))
	s.coop("coop-a", pathway.StageCQCPreparing)
	s.putItems("coop-a")
	done := journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "First go."}
	first, err := s.svc.MarkDone(s.ctx, founder, "coop-a", "REQ-01", done)
	s.must(err)
	stale := done
	stale.IfVersion = first.Version + 5
	_, err = s.svc.MarkDone(s.ctx, founder, "coop-a", "REQ-01", stale)
	wantCode(t, err, pathway.ECONFLICT, "")
	current := done
	current.Evidence, current.IfVersion = "Second go.", first.Version
	_, err = s.svc.MarkDone(s.ctx, founder, "coop-a", "REQ-01", current)
	s.must(err)
	it, err := s.store.GetChecklistItem(s.ctx, "coop-a", "REQ-01")
	s.must(err)
	_, err = s.svc.Verify(s.ctx, staff(1), "coop-a", "REQ-01", journey.Verification{Outcome: journey.VerifyAccepted, IfVersion: it.Version + 1})
	wantCode(t, err, pathway.ECONFLICT, "")
	_, err = s.svc.Verify(s.ctx, staff(1), "coop-a", "REQ-01", journey.Verification{Outcome: journey.VerifyAccepted, IfVersion: it.Version})
	s.must(err)
	_, err = s.svc.MarkDone(s.ctx, founder, "coop-a", "REQ-01", done)
	wantCode(t, err, pathway.ECONFLICT, "")
	c, _, err := s.svc.Coop(s.ctx, founder, "coop-a")
	s.must(err)
	it, err = s.store.GetChecklistItem(s.ctx, "coop-a", "REQ-01")
	s.must(err)
	if a := journey.ActionsOn(founder, c, it); a.MarkDone || a.Closed == "" {
		t.Fatalf("ActionsOn a verified item = %+v; want it closed to the founder", a)
	}
	if a := journey.ActionsOn(staff(1), c, it); a.Verify || a.MarkDone {
		t.Fatalf("ActionsOn a verified item for staff = %+v; want nothing offered", a)
	}
}

// Rule: the agency accepts or returns evidence; a return says what to put
// right (up to 2000 characters); only an item marked done can be judged.
func TestVerifyRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		v     journey.Verification
		field string
		want  string // the item's status when taken
	}{
		{"accepted", journey.Verification{Outcome: journey.VerifyAccepted}, "", pathway.ItemVerified},
		{"returned with a comment", journey.Verification{Outcome: journey.VerifyReturned, Comment: " Sign it. "}, "", pathway.ItemReturned},
		{"returned without a comment", journey.Verification{Outcome: journey.VerifyReturned, Comment: "  "}, "comment", ""},
		{"no outcome", journey.Verification{}, "outcome", ""},
		{"another outcome", journey.Verification{Outcome: "maybe"}, "outcome", ""},
		{"returned with a comment of 2000 characters", journey.Verification{Outcome: journey.VerifyReturned, Comment: strings.Repeat("é", 2000)}, "", pathway.ItemReturned},
		{"a comment over 2000 characters", journey.Verification{Outcome: journey.VerifyReturned, Comment: strings.Repeat("é", 2001)}, "comment", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newService(t, testkit.Store(t))
			c := s.coop("coop-a", pathway.StageCQCPreparing)
			s.putItems("coop-a")
			_, err := s.svc.MarkDone(s.ctx, founder, "coop-a", "REQ-01", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "x"})
			s.must(err)
			before, err := s.store.GetChecklistItem(s.ctx, "coop-a", "REQ-01")
			s.must(err)
			if a := journey.ActionsOn(staff(1), c, before); !a.Verify || a.MarkDone {
				t.Fatalf("ActionsOn an item marked done = %+v; want verify offered to staff", a)
			}
			_, err = s.svc.Verify(s.ctx, staff(1), "coop-a", "REQ-01", tc.v)
			if tc.field != "" {
				wantCode(t, err, pathway.EINVALID, tc.field)
				return
			}
			s.must(err)
			it, err := s.store.GetChecklistItem(s.ctx, "coop-a", "REQ-01")
			s.must(err)
			if it.Status != tc.want || it.Comment != strings.TrimSpace(tc.v.Comment) || it.UpdatedBy != staff(1).ID {
				t.Fatalf("item %+v; want %s with the trimmed comment, by staff 1", it, tc.want)
			}
			action := pathway.ActionChecklistItemVerified
			if tc.want == pathway.ItemReturned {
				action = pathway.ActionChecklistItemReturned
			}
			if n := count(s.actions("coop-a"), action); n != 1 {
				t.Fatalf("%d %s events, want 1", n, action)
			}
		})
	}
	t.Run("an item not marked done", func(t *testing.T) {
		s := newService(t, testkit.Store(t))
		c := s.coop("coop-a", pathway.StageCQCPreparing)
		s.putItems("coop-a")
		it, err := s.store.GetChecklistItem(s.ctx, "coop-a", "OPT-01")
		s.must(err)
		if a := journey.ActionsOn(staff(1), c, it); a.Verify || a.MarkDone || a.Closed != "" {
			t.Fatalf("ActionsOn an item not started = %+v; want nothing for staff", a)
		}
		_, err = s.svc.Verify(s.ctx, staff(1), "coop-a", "OPT-01", journey.Verification{Outcome: journey.VerifyAccepted})
		wantCode(t, err, pathway.ECONFLICT, "")
	})
}

// Rule: the checklist wait is released only when every required item is
// verified; an optional item does not count, and a required item short
// keeps the wait open.
func TestReleaseOnlyWhenRequiredItemsVerified(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-a", pathway.StageCQCPreparing)
	items := s.checklist(c.ID, 2) // two required, marked done, and one optional
	_, err := s.svc.MarkDone(s.ctx, founder, c.ID, "OPT-01", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "Insured."})
	s.must(err)
	released := func() int {
		n := 0
		for _, a := range s.wf.Answers() {
			if a.Token == "tok-checklist" {
				n++
			}
		}
		return n
	}
	for _, id := range []string{"OPT-01", items[0].ID} {
		_, err := s.svc.Verify(s.ctx, staff(1), c.ID, id, journey.Verification{Outcome: journey.VerifyAccepted})
		s.must(err)
		if n := released(); n != 0 {
			t.Fatalf("after verifying %s the wait was released %d times; a required item is still short", id, n)
		}
	}
	_, err = s.svc.Verify(s.ctx, staff(1), c.ID, items[1].ID, journey.Verification{Outcome: journey.VerifyAccepted})
	s.must(err)
	if n := released(); n != 1 {
		t.Fatalf("the wait was released %d times after the last required item, want 1", n)
	}
}

// Rule: an item ID that cannot exist is not found, as is an unknown one.
func TestChecklistItemNotFound(t *testing.T) {
	s := newService(t, testkit.Store(t))
	s.coop("coop-a", pathway.StageCQCPreparing)
	s.putItems("coop-a")
	for _, id := range []string{"", strings.Repeat("X", 33), "REQ-99"} {
		_, err := s.svc.MarkDone(s.ctx, founder, "coop-a", id, journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "x"})
		wantCode(t, err, pathway.ENOTFOUND, "")
	}
}
