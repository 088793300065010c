package evidence

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Files is the whole flow of one kind of record's evidence files (a grant
// application's, a bid's): the signed upload form, an upload through the
// API, completing an upload with room for it, listing and downloading.
// The service fills in its own rules (who may add files, who may see
// them) and keeps its exported methods as one-line calls of these, so
// every kind of record behaves the same way. R is the record.
type Files[R any] struct {
	// Blobs is the blob storage, or nil when none is configured.
	Blobs pathway.Files
	// Store is the service's store; its files are kept there when it is a
	// pathway.FileStore.
	Store pathway.Store
	// Owner names the service in the error when storage is missing.
	Owner string
	// Max is how many files one record may hold, and TooMany says so.
	Max     int
	TooMany string
	// Kind is the subject kind of the records' files.
	Kind string
	// Target is where the record's files go and what their records say.
	Target func(rec R) Target
	// Writable returns the record u may add a file to now.
	Writable func(ctx context.Context, u *pathway.User, id string) (R, error)
	// Readable returns the record and whether u may see all of it.
	Readable func(ctx context.Context, u *pathway.User, id string) (rec R, full bool, err error)
	// Undeclared is the refusal of a list to one who may not see it all
	// (who has not declared their interests).
	Undeclared string
	// Recorder, when set, is the file store that records a new file of
	// the record (one that changes the record too, in the same write).
	Recorder func(fs pathway.FileStore, rec R) pathway.FileStore
	// Event makes the event of a file on the record by u.
	Event func(rec R, u *pathway.User, action, summary string, data map[string]string) *pathway.Event
	Log   *slog.Logger
	Now   func() time.Time
}

// Stores returns the blob storage and the file records' store.
func (f Files[R]) Stores() (pathway.Files, pathway.FileStore, error) {
	fs, ok := f.Store.(pathway.FileStore)
	if f.Blobs == nil || !ok {
		return nil, nil, pathway.Errorf(pathway.EINTERNAL, "%s: no file storage configured", f.Owner)
	}
	return f.Blobs, fs, nil
}

// Ready reports whether files can be uploaded here.
func (f Files[R]) Ready() bool { _, _, err := f.Stores(); return err == nil }

// writable returns the stores and the record u may add a file to now.
func (f Files[R]) writable(ctx context.Context, u *pathway.User, id string) (pathway.Files, pathway.FileStore, R, error) {
	var rec R
	blobs, fs, err := f.Stores()
	if err == nil {
		rec, err = f.Writable(ctx, u, id)
	}
	return blobs, fs, rec, err
}

// UploadForm returns the signed form with which a browser posts one file
// of the record straight to storage, which then redirects it to
// redirectURL with the object's key (for Complete).
func (f Files[R]) UploadForm(ctx context.Context, u *pathway.User, id, redirectURL string) (*pathway.UploadForm, error) {
	blobs, _, rec, err := f.writable(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return blobs.UploadForm(ctx, f.Target(rec).NewKeyPrefix(), pathway.MaxFileSize, redirectURL)
}

// Upload stores a file sent through the API, then records it as Complete
// does. size is the length of r, or -1 if unknown.
func (f Files[R]) Upload(ctx context.Context, u *pathway.User, id, name string, r io.Reader, size int64) (*pathway.File, error) {
	blobs, _, rec, err := f.writable(ctx, u, id)
	if err != nil {
		return nil, err
	}
	t := f.Target(rec)
	key, err := Put(ctx, blobs, t, name, r, size)
	if err != nil {
		return nil, err
	}
	return f.Complete(ctx, u, t.Item, key)
}

// Complete records the file stored under key for the record (see the
// package's Complete), with its event on the record's trail, if the
// record has room for one more. Completing the same key again returns the
// file recorded the first time.
func (f Files[R]) Complete(ctx context.Context, u *pathway.User, id, key string) (*pathway.File, error) {
	blobs, fs, rec, err := f.writable(ctx, u, id)
	if err != nil {
		return nil, err
	}
	t := f.Target(rec)
	if fid, _, ok := ParseKey(key, t.Prefix); ok {
		if _, err := fs.GetFile(ctx, fid); err != nil { // a new file, not a replay: room for it?
			have, err := fs.ListFiles(ctx, t.Coop, t.Item)
			if err != nil {
				return nil, err
			}
			if len(have) >= f.Max {
				return nil, pathway.Invalid(map[string]string{"file": f.TooMany})
			}
		}
	}
	recorder := fs
	if f.Recorder != nil {
		recorder = f.Recorder(fs, rec)
	}
	return Complete(ctx, blobs, recorder, f.Log, u, t, key, f.Now(),
		func(action, summary string, data map[string]string) *pathway.Event {
			return f.Event(rec, u, action, summary, data)
		})
}

// List returns the record's files, oldest first, for whoever may see the
// whole record; anyone else is told Undeclared.
func (f Files[R]) List(ctx context.Context, u *pathway.User, id string) ([]*pathway.File, error) {
	_, fs, err := f.Stores()
	if err != nil {
		return nil, err
	}
	rec, full, err := f.Readable(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !full {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "%s", f.Undeclared)
	}
	t := f.Target(rec)
	return fs.ListFiles(ctx, t.Coop, t.Item)
}

// Download returns a record's file for whoever may see the whole record;
// for anyone else, and for other subjects' files, it is ENOTFOUND, like a
// missing file.
func (f Files[R]) Download(ctx context.Context, u *pathway.User, fileID string) (*Download, error) {
	blobs, fs, err := f.Stores()
	if err != nil {
		return nil, err
	}
	if fileID == "" || len(fileID) > 64 {
		return nil, pathway.NotFound("file")
	}
	file, err := fs.GetFile(ctx, fileID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND || (err == nil && file.Subject.Kind != f.Kind) {
		return nil, pathway.NotFound("file")
	} else if err != nil {
		return nil, err
	}
	_, full, err := f.Readable(ctx, u, file.Subject.ID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND || (err == nil && !full) {
		return nil, pathway.NotFound("file")
	} else if err != nil {
		return nil, err
	}
	return Open(ctx, blobs, file)
}
