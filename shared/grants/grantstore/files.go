package grantstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
)

// AttachFile records the evidence file f (its records as shared/store
// lays them out) and adds its ID to the application's Files, with the
// event, in one transaction: the application lists exactly the files
// recorded for it. The application is read afresh and the write made
// conditional on the version read, so concurrent uploads each land; an
// application holding max files already refuses another (EINVALID on
// "file"), however concurrent. A retried completion (the file's record
// there already) writes nothing and reports replay, for the caller to
// read the first record.
func (s *Store) AttachFile(ctx context.Context, app string, f *pathway.File, e *pathway.Event, max int) (replay bool, err error) {
	fileWrites, err := store.FileWrites(f)
	if err != nil {
		return false, err
	}
	for attempt := 1; ; attempt++ {
		_, a, err := s.readApp(ctx, app)
		if err != nil {
			return false, err
		}
		if slices.Contains(a.Files, f.ID) {
			return true, nil
		}
		if len(a.Files) >= max {
			return false, pathway.Invalid(map[string]string{"file": fmt.Sprintf("An application can hold at most %d files", max)})
		}
		a.Files = append(a.Files, f.ID)
		err = s.transactApp(ctx, a, e, fileWrites...)
		switch {
		case err == nil:
			return false, nil
		case table.FailedAt(err, 1): // the file's record: recorded already
			return true, nil
		case lost(err, 0) && attempt < maxAttempts:
			pause(ctx, attempt)
			continue // another change to the application: read it again
		case table.FailedAt(err, 0):
			return false, busy()
		}
		return false, mapErr(err)
	}
}
