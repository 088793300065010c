package storetest

import (
	"slices"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// newItem returns a valid, not yet started checklist item.
func newItem(coop, id, group string) *pathway.ChecklistItem {
	return &pathway.ChecklistItem{
		Coop: coop, ID: id, Group: group, Title: "Have " + id + " ready",
		Guidance: "Invented guidance for " + id, Why: "Invented rule for " + id,
		Links: []pathway.Link{{Text: "An official page", URL: "https://example.org/" + id}}, Required: true, Status: pathway.ItemNotStarted,
	}
}

// wantItems checks ListChecklist against want items, ignoring the order of
// want (the store returns them ordered by ID).
func wantItems(t *testing.T, s pathway.Store, coop string, want ...*pathway.ChecklistItem) []*pathway.ChecklistItem {
	t.Helper()
	got, err := s.ListChecklist(t.Context(), coop)
	if err != nil {
		t.Fatalf("ListChecklist(%s): %v", coop, err)
	}
	sorted := slices.Clone(want)
	slices.SortFunc(sorted, func(a, b *pathway.ChecklistItem) int {
		if a.ID < b.ID {
			return -1
		} else if a.ID > b.ID {
			return 1
		}
		return 0
	})
	if len(got) != len(sorted) {
		t.Fatalf("ListChecklist(%s) holds %d items, want %d", coop, len(got), len(sorted))
	}
	for i := range sorted {
		wantItem(t, sorted[i], got[i], "ListChecklist item")
	}
	return got
}

func testChecklist(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	sop := newItem("coop-k", "SOP-02", pathway.GroupPurpose)
	org := newItem("coop-k", "ORG-01", pathway.GroupOrganisation)
	ppl := newItem("coop-k", "PPL-01", pathway.GroupPeople)
	if err := s.PutChecklist(ctx, []*pathway.ChecklistItem{sop, org, ppl}); err != nil {
		t.Fatalf("PutChecklist: %v", err)
	}
	v1 := func(i *pathway.ChecklistItem) *pathway.ChecklistItem { c := *i; c.Version = 1; return &c }
	wantItems(t, s, "coop-k", v1(sop), v1(org), v1(ppl))
	wantItems(t, s, "coop-other")

	got, err := s.GetChecklistItem(ctx, "coop-k", "PPL-01")
	if err != nil {
		t.Fatalf("GetChecklistItem: %v", err)
	}
	wantItem(t, v1(ppl), got, "GetChecklistItem")
	_, err = s.GetChecklistItem(ctx, "coop-k", "FIN-99")
	wantCode(t, err, pathway.ENOTFOUND, "GetChecklistItem of a missing item")
	_, err = s.GetChecklistItem(ctx, "coop-other", "PPL-01")
	wantCode(t, err, pathway.ENOTFOUND, "GetChecklistItem of another co-op's item")

	// A founder marks the item done; the event lands with it.
	stale := *got
	got.Status, got.Evidence = pathway.ItemDone, "Fit and proper checks for all three directors."
	got.Link, got.UpdatedAt, got.UpdatedBy = "https://files.example.org/ppl-01.pdf", at(90), "user-founder-edna"
	e := newEvent("coop-k", "item.done", at(90))
	if err := s.UpdateChecklistItem(ctx, got, e); err != nil {
		t.Fatalf("UpdateChecklistItem: %v", err)
	}
	if got.Version != 2 {
		t.Fatalf("after UpdateChecklistItem Version = %d, want 2", got.Version)
	}
	done := *got
	if ev := allEvents(t, s, "coop-k", 10); len(ev) != 1 || ev[0].ID != e.ID {
		t.Fatalf("events after UpdateChecklistItem = %v, want [%s]", eventIDs(ev), e.ID)
	}

	// A second writer holding version 1 is refused, and its event dropped.
	stale.Status, stale.Comment = pathway.ItemReturned, "Please add the DBS dates."
	e2 := newEvent("coop-k", "item.returned", at(91))
	wantCode(t, s.UpdateChecklistItem(ctx, &stale, e2), pathway.ECONFLICT, "stale UpdateChecklistItem")
	if stale.Version != 1 {
		t.Fatalf("a refused update changed Version to %d", stale.Version)
	}
	if ev := allEvents(t, s, "coop-k", 10); len(ev) != 1 {
		t.Fatalf("a refused UpdateChecklistItem wrote its event: %v", eventIDs(ev))
	}
	if got, _ := s.GetChecklistItem(ctx, "coop-k", "PPL-01"); got == nil || got.Status != pathway.ItemDone {
		t.Fatalf("a refused update changed the item: %+v", got)
	}

	// Putting the checklist again adds only the new item.
	fin := newItem("coop-k", "FIN-01", pathway.GroupFinance)
	if err := s.PutChecklist(ctx, []*pathway.ChecklistItem{sop, org, ppl, fin}); err != nil {
		t.Fatalf("PutChecklist again: %v", err)
	}
	wantItems(t, s, "coop-k", v1(sop), v1(org), &done, v1(fin))

	// An update without an event is allowed.
	done.Status, done.UpdatedAt, done.UpdatedBy = pathway.ItemVerified, at(120), "user-agency-odile"
	if err := s.UpdateChecklistItem(ctx, &done, nil); err != nil {
		t.Fatalf("UpdateChecklistItem without an event: %v", err)
	}
	wantItems(t, s, "coop-k", v1(sop), v1(org), &done, v1(fin))
	if done.Version != 3 {
		t.Fatalf("Version = %d after two updates, want 3", done.Version)
	}
}

func testChecklistBadInput(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	ok := newItem("coop-kb", "ORG-01", pathway.GroupOrganisation)
	bad := newItem("coop-kb", "ORG-02", pathway.GroupOrganisation)
	bad.Title = ""
	wantField(t, s.PutChecklist(ctx, []*pathway.ChecklistItem{ok, bad}), "title", "PutChecklist with an invalid item")
	wantItems(t, s, "coop-kb") // nothing of a refused batch is stored

	if err := s.PutChecklist(ctx, []*pathway.ChecklistItem{ok}); err != nil {
		t.Fatalf("PutChecklist: %v", err)
	}
	item, err := s.GetChecklistItem(ctx, "coop-kb", "ORG-01")
	if err != nil {
		t.Fatalf("GetChecklistItem: %v", err)
	}
	item.Link = "not a link"
	wantField(t, s.UpdateChecklistItem(ctx, item, nil), "link", "UpdateChecklistItem with a bad link")
	if item.Version != 1 {
		t.Fatalf("a refused update changed Version to %d", item.Version)
	}

	missing := newItem("coop-kb", "ORG-09", pathway.GroupOrganisation)
	missing.Version = 1
	wantCode(t, s.UpdateChecklistItem(ctx, missing, nil), pathway.ENOTFOUND, "UpdateChecklistItem of a missing item")
	_, err = s.GetChecklistItem(ctx, "coop-kb", "ORG-09")
	wantCode(t, err, pathway.ENOTFOUND, "UpdateChecklistItem of a missing item created it")
	if err := s.PutChecklist(ctx, nil); err != nil {
		t.Fatalf("PutChecklist of no items: %v", err)
	}
}
