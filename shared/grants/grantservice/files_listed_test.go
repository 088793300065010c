package grantservice_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestApplicationListsItsFiles: each file recorded on an application is
// in its Files, once, written with the file's record: a replayed
// completion adds nothing, and concurrent uploads are each listed.
func TestApplicationListsItsFiles(t *testing.T) {
	f := newFixture(t)
	f.withFiles(t)
	ctx := t.Context()
	id := f.apply(t, progOpen)
	first, err := f.upload(t, users["founderA"], id)
	must(t, err)
	_, err = f.svc.CompleteFileUpload(ctx, users["founderA"], id, first.Key)
	must(t, err)
	a, err := f.gs.GetApplication(ctx, id)
	must(t, err)
	if !slices.Equal(a.Files, []string{first.ID}) {
		t.Fatalf("files after one upload and its replay = %v, want [%s]", a.Files, first.ID)
	}

	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.upload(t, users["founderA"], id); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	recorded, err := f.svc.ApplicationFiles(ctx, users["founderA"], id)
	must(t, err)
	a, err = f.gs.GetApplication(ctx, id)
	must(t, err)
	ids := make([]string, len(recorded))
	for i, r := range recorded {
		ids[i] = r.ID
	}
	listed := slices.Clone(a.Files)
	slices.Sort(listed)
	if len(ids) != 7 || !slices.Equal(ids, listed) {
		t.Fatalf("recorded files %v, application lists %v: want the same 7", ids, listed)
	}
	// The application's trail has one upload event per file.
	page, err := f.st.ListEvents(ctx, grants.Subject(id), "", 0)
	must(t, err)
	n := 0
	for _, e := range page.Events {
		if e.Action == pathway.ActionFileUploaded {
			n++
		}
	}
	if n != 7 {
		t.Errorf("upload events = %d, want 7", n)
	}
}
