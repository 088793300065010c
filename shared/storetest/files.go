package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The files contract joins the suite without touching its list.
func init() { tests = append(tests, test{"Files", testFiles}) }

// newFile returns a valid file record of a co-op's item.
func newFile(coop, item, id string, at time.Time) *pathway.File {
	return &pathway.File{
		ID: id, Coop: coop, Item: item, Name: "statement-of-purpose.pdf", Size: 240_000,
		Type: pathway.TypePDF, SHA256: fmt.Sprintf("%064x", 7), Key: "coops/" + coop + "/" + item + "/" + id + "/statement-of-purpose.pdf",
		UploadedBy: "founder-1", UploadedAt: at,
	}
}

// testFiles: a file is recorded once with its event, listed under its
// item oldest first, found by ID; other items and co-ops list nothing.
func testFiles(t *testing.T, st pathway.Store) {
	s, ok := st.(pathway.FileStore)
	if !ok {
		t.Fatal("the store does not keep files (pathway.FileStore)")
	}
	ctx := t.Context()
	at := time.Date(2027, 3, 4, 10, 0, 0, 123456789, time.UTC)
	first := newFile("coop-f", "SOP-02", "01J0000000000000000000000A", at)
	ev := func(id string) *pathway.Event {
		return &pathway.Event{ID: id, Coop: "coop-f", At: at, Actor: "founder-1", Action: pathway.ActionFileUploaded, Summary: "Uploaded a file."}
	}
	got, err := s.PutFile(ctx, first, ev("01J000000000000000000000E1"))
	if err != nil {
		t.Fatalf("PutFile: %v", err)
	}
	if got.ID != first.ID || !got.UploadedAt.Equal(at) {
		t.Errorf("PutFile returned %+v", got)
	}
	// The same file again (a replayed completion, another event ID) changes
	// nothing: the stored record comes back and no second event is kept.
	again := *first
	again.Name, again.UploadedAt = "other.pdf", at.Add(time.Hour)
	got, err = s.PutFile(ctx, &again, ev("01J000000000000000000000E2"))
	if err != nil {
		t.Fatalf("PutFile again: %v", err)
	}
	if got.Name != first.Name || !got.UploadedAt.Equal(at) {
		t.Errorf("PutFile again returned %q at %v, want the first record", got.Name, got.UploadedAt)
	}
	page, err := st.ListEvents(ctx, pathway.CoopSubject("coop-f"), "", 0)
	if err != nil {
		t.Fatalf("ListEvents: %v", err)
	}
	if len(page.Events) != 1 || page.Events[0].Action != pathway.ActionFileUploaded {
		t.Errorf("events after two PutFile of one file = %d, want 1", len(page.Events))
	}
	second := newFile("coop-f", "SOP-02", "01J0000000000000000000000B", at.Add(time.Minute))
	if _, err := s.PutFile(ctx, second, nil); err != nil {
		t.Fatalf("PutFile second: %v", err)
	}
	if _, err := s.PutFile(ctx, newFile("coop-f", "ORG-01", "01J0000000000000000000000C", at), nil); err != nil {
		t.Fatalf("PutFile other item: %v", err)
	}
	list, err := s.ListFiles(ctx, "coop-f", "SOP-02")
	if err != nil {
		t.Fatalf("ListFiles: %v", err)
	}
	if len(list) != 2 || list[0].ID != first.ID || list[1].ID != second.ID {
		t.Errorf("ListFiles = %d files, want the item's two, oldest first", len(list))
	}
	for _, c := range [][2]string{{"coop-f", "SOP-0"}, {"coop-g", "SOP-02"}, {"", ""}} {
		if l, err := s.ListFiles(ctx, c[0], c[1]); err != nil || len(l) != 0 {
			t.Errorf("ListFiles(%q, %q) = %d files, %v; want none", c[0], c[1], len(l), err)
		}
	}
	byID, err := s.GetFile(ctx, second.ID)
	if err != nil || byID.Key != second.Key || byID.SHA256 != second.SHA256 || byID.Size != second.Size {
		t.Errorf("GetFile = %+v, %v", byID, err)
	}
	if _, err := s.GetFile(ctx, "01J0000000000000000000000Z"); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("GetFile(missing) error = %v, want not found", err)
	}
	bad := newFile("coop-f", "SOP-02", "01J0000000000000000000000D", at)
	bad.SHA256 = "not hex"
	if _, err := s.PutFile(ctx, bad, nil); pathway.ErrorFields(err)["sha256"] == "" {
		t.Errorf("PutFile(bad sha256) error = %v, want invalid naming sha256", err)
	}
}
