package grantstore_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/oklog/ulid/v2"
)

// evidence is an invented file record of the application.
func evidence(app, coop string) *pathway.File {
	id := ulid.Make().String()
	return &pathway.File{ID: id, Coop: coop, Item: app, Subject: grants.Subject(app), Name: "forecast.pdf",
		Key: "grant-applications/" + app + "/" + id + "/forecast.pdf", Size: 10, Type: pathway.TypePDF,
		SHA256: "0000000000000000000000000000000000000000000000000000000000000000", UploadedBy: "user-founder", UploaderName: "Ash Example", UploadedAt: base}
}

// testAttachFile: a file's record and the application's list of files
// are written together, once, within the limit, however concurrent.
func testAttachFile(t *testing.T, tb table.Table, s *grantstore.Store) {
	a := application("app-1", "prog", "coop-1", base)
	must(t, s.CreateApplication(ctx, a, nil))
	files := store.New(tb)
	first := evidence("app-1", "coop-1")
	replay, err := s.AttachFile(ctx, "app-1", first, event("app-1", pathway.ActionFileUploaded), 4)
	must(t, err)
	if replay {
		t.Fatal("a first attachment reported as a replay")
	}
	if replay, err = s.AttachFile(ctx, "app-1", first, event("app-1", pathway.ActionFileUploaded), 4); err != nil || !replay {
		t.Fatalf("retry: replay %v, %v", replay, err)
	}
	if _, err := files.GetFile(ctx, first.ID); err != nil {
		t.Fatalf("file record: %v", err)
	}

	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.AttachFile(ctx, "app-1", evidence("app-1", "coop-1"), nil, 4)
		}()
	}
	wg.Wait()
	refused := 0
	for _, err := range errs {
		switch {
		case pathway.ErrorCode(err) == pathway.EINVALID && pathway.ErrorFields(err)["file"] != "":
			refused++
		case err != nil:
			t.Errorf("attach: %v", err)
		}
	}
	got, err := s.GetApplication(ctx, "app-1")
	must(t, err)
	recorded, err := files.ListFiles(ctx, "coop-1", "app-1")
	must(t, err)
	ids := make([]string, len(recorded))
	for i, f := range recorded {
		ids[i] = f.ID
	}
	listed := slices.Sorted(slices.Values(got.Files))
	if refused != 2 || len(listed) != 4 || !slices.Equal(ids, listed) {
		t.Fatalf("refused %d; application lists %v, records %v: want 4 the same", refused, listed, ids)
	}
	page, err := files.ListEvents(ctx, grants.Subject("app-1"), "", 20)
	must(t, err)
	if len(page.Events) != 1 {
		t.Errorf("events = %d, want the first attachment's alone", len(page.Events))
	}
	_, err = s.AttachFile(ctx, "app-none", evidence("app-none", "coop-1"), nil, 4)
	wantCode(t, err, pathway.ENOTFOUND)
}
