package store

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// Keys of evidence files (see the table in keys.go).
const (
	preFile = "FILE#"
)

var _ pathway.FileStore = (*Store)(nil)

// PutFile stores a file's record twice (under its co-op, for the item's
// list, and under its own ID, for a download) with its event, in one
// transaction, once: the file ID comes from the storage key, so a retried
// completion finds the first record and returns it, recording nothing.
func (s *Store) PutFile(ctx context.Context, f *pathway.File, e *pathway.Event) (*pathway.File, error) {
	if err := pathway.CheckWrite("file", f, e); err != nil {
		return nil, err
	}
	if err := checkPart("item", f.Item); err != nil {
		return nil, err
	}
	rec, writes, err := fileWrites(f)
	if err != nil {
		return nil, err
	}
	writes, err = withEvent(writes, e)
	if err != nil {
		return nil, err
	}
	err = s.t.Transact(ctx, writes...)
	if table.FailedAt(err, 0) {
		return s.GetFile(ctx, f.ID)
	}
	if err != nil {
		return nil, mapErr(err)
	}
	return rec, nil
}

// FileWrites returns the writes that record f as PutFile does, without
// its event, for a repository that records a file in a transaction of its
// own (grantstore, with the application that lists the file): write 0 is
// the record under the file's ID, written only if absent, so a retry
// fails it and finds the first; write 1 its entry in its item's list.
func FileWrites(f *pathway.File) ([]table.Write, error) {
	if err := pathway.CheckWrite("file", f, nil); err != nil {
		return nil, err
	}
	if err := checkPart("item", f.Item); err != nil {
		return nil, err
	}
	_, writes, err := fileWrites(f)
	return writes, err
}

// fileWrites returns the record of f as stored and its two writes.
func fileWrites(f *pathway.File) (*pathway.File, []table.Write, error) {
	rec := *f
	rec.UploadedAt = f.UploadedAt.UTC()
	meta, err := putItem(preFile+f.ID, skMeta, &rec, table.IfAbsent())
	if err != nil {
		return nil, nil, err
	}
	listed, err := putItem(coopPK(f.Coop), preFile+f.Item+"#"+f.ID, &rec, table.Cond{})
	if err != nil {
		return nil, nil, err
	}
	return &rec, []table.Write{meta, listed}, nil
}

// GetFile returns the file with the ID.
func (s *Store) GetFile(ctx context.Context, id string) (*pathway.File, error) {
	if id == "" || tooLong(id) {
		return nil, pathway.NotFound("file")
	}
	return getRecord[pathway.File](ctx, s, preFile+id, skMeta, "file")
}

// ListFiles returns a co-op item's files, oldest first (file IDs are ULIDs).
func (s *Store) ListFiles(ctx context.Context, coopID, itemID string) ([]*pathway.File, error) {
	if coopID == "" || itemID == "" || tooLong(coopID, itemID) {
		return []*pathway.File{}, nil
	}
	return list[pathway.File](ctx, s, coopPK(coopID), preFile+itemID+"#")
}
