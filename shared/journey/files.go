package journey

import (
	"context"
	"io"

	"github.com/coopcarepathway/pathway/shared/evidence"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Evidence files: founders attach files to a checklist item; whoever may
// see the co-op lists and downloads them. The bytes go to blob storage
// (the Files port) either straight from the browser (UploadForm, then
// CompleteUpload) or through the API (Upload); either way CompleteUpload
// reads them once to check the type and size and record them.

// DownloadTTL is how long a download link lasts.
const DownloadTTL = evidence.DownloadTTL

// WithFiles gives the service blob storage for evidence files, and
// returns the service. Without it the file use cases fail as internal
// errors (a wiring mistake).
func (s *Service) WithFiles(f pathway.Files) *Service {
	s.blobs = f
	return s
}

// fileStores returns the blob storage and the file records' store.
func (s *Service) fileStores() (pathway.Files, pathway.FileStore, error) {
	fs, ok := s.store.(pathway.FileStore)
	if s.blobs == nil || !ok {
		return nil, nil, pathway.Errorf(pathway.EINTERNAL, "journey: no file storage configured")
	}
	return s.blobs, fs, nil
}

// Blobs returns the blob storage of evidence files, or nil.
func (s *Service) Blobs() pathway.Files { return s.blobs }

// HasFiles reports whether files can be uploaded here (for the pages).
func (s *Service) HasFiles() bool { _, _, err := s.fileStores(); return err == nil }

// mayUpload refuses anyone but the co-op's founders, and any upload to an
// item that cannot change.
func mayUpload(u *pathway.User, c *pathway.Coop, it *pathway.ChecklistItem) error {
	if u.Role != pathway.RoleFounder {
		return pathway.Errorf(pathway.EFORBIDDEN, "Only the co-op's founders can upload evidence.")
	}
	if err := checklistOpen(c); err != nil {
		return err
	}
	return stillOpen(it)
}

// CanUpload reports whether u may upload files to the item now.
func CanUpload(u *pathway.User, c *pathway.Coop, it *pathway.ChecklistItem) bool {
	return mayUpload(u, c, it) == nil
}

// uploadTarget returns the co-op and item u may upload to.
func (s *Service) uploadTarget(ctx context.Context, u *pathway.User, coopID, itemID string) (*pathway.Coop, *pathway.ChecklistItem, error) {
	c, it, err := s.checklistItem(ctx, u, coopID, itemID)
	if err != nil {
		return nil, nil, err
	}
	return c, it, mayUpload(u, c, it)
}

// UploadForm returns the signed form with which a founder's browser posts
// one file of an item straight to storage, which then redirects it to
// redirectURL with the object's key (for CompleteUpload).
func (s *Service) UploadForm(ctx context.Context, u *pathway.User, coopID, itemID, redirectURL string) (*pathway.UploadForm, error) {
	blobs, _, err := s.fileStores()
	if err != nil {
		return nil, err
	}
	c, it, err := s.uploadTarget(ctx, u, coopID, itemID)
	if err != nil {
		return nil, err
	}
	return blobs.UploadForm(ctx, itemTarget(c, it).NewKeyPrefix(), pathway.MaxFileSize, redirectURL)
}

// Upload stores a file a founder sent through the API, then records it
// as CompleteUpload does. size is the length of r, or -1 if unknown.
func (s *Service) Upload(ctx context.Context, u *pathway.User, coopID, itemID, name string, r io.Reader, size int64) (*pathway.File, error) {
	blobs, _, err := s.fileStores()
	if err != nil {
		return nil, err
	}
	c, it, err := s.uploadTarget(ctx, u, coopID, itemID)
	if err != nil {
		return nil, err
	}
	key, err := evidence.Put(ctx, blobs, itemTarget(c, it), name, r, size)
	if err != nil {
		return nil, err
	}
	return s.CompleteUpload(ctx, u, c.ID, it.ID, key)
}

// itemTarget is where a co-op item's files go and what their records say.
func itemTarget(c *pathway.Coop, it *pathway.ChecklistItem) evidence.Target {
	return evidence.Target{Prefix: "coops/" + c.ID + "/" + it.ID + "/", Subject: pathway.CoopSubject(c.ID),
		Coop: c.ID, Item: it.ID, Words: "for “" + it.Title + "”"}
}

// CompleteUpload records the file stored under key for a co-op's item:
// it reads the bytes once, computing their SHA-256 and size and finding
// their type from the first bytes. A file of another type, empty or too
// large is deleted and refused, naming the field "file". Completing the
// same key again returns the file recorded the first time.
func (s *Service) CompleteUpload(ctx context.Context, u *pathway.User, coopID, itemID, key string) (*pathway.File, error) {
	blobs, fs, err := s.fileStores()
	if err != nil {
		return nil, err
	}
	c, it, err := s.uploadTarget(ctx, u, coopID, itemID)
	if err != nil {
		return nil, err
	}
	return evidence.Complete(ctx, blobs, fs, s.log, u, itemTarget(c, it), key, s.now(),
		func(action, summary string, data map[string]string) *pathway.Event {
			return s.newEvent(c.ID, u, action, summary, data)
		})
}

// ItemFiles returns the files of a co-op's item, for anyone who may see
// the co-op (others get ENOTFOUND).
func (s *Service) ItemFiles(ctx context.Context, u *pathway.User, coopID, itemID string) ([]*pathway.File, error) {
	_, fs, err := s.fileStores()
	if err != nil {
		return nil, err
	}
	c, it, err := s.checklistItem(ctx, u, coopID, itemID)
	if err != nil {
		return nil, err
	}
	return fs.ListFiles(ctx, c.ID, it.ID)
}

// Download is a file to send: either a ready URL or its bytes.
type Download = evidence.Download

// DownloadFile returns a file for anyone who may see its co-op; for
// anyone else it is ENOTFOUND, like a missing file.
func (s *Service) DownloadFile(ctx context.Context, u *pathway.User, fileID string) (*Download, error) {
	blobs, fs, err := s.fileStores()
	if err != nil {
		return nil, err
	}
	if fileID == "" || len(fileID) > 64 {
		return nil, pathway.NotFound("file")
	}
	f, err := fs.GetFile(ctx, fileID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, pathway.NotFound("file")
	} else if err != nil {
		return nil, err
	}
	if f.Subject.Kind != pathway.SubjectCoop {
		return nil, pathway.NotFound("file") // another subject's file: its service decides
	}
	if _, _, err := s.Coop(ctx, u, f.Coop); pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, pathway.NotFound("file")
	} else if err != nil {
		return nil, err
	}
	return evidence.Open(ctx, blobs, f)
}
