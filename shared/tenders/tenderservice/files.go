package tenderservice

import (
	"context"
	"io"

	"github.com/coopcarepathway/pathway/shared/evidence"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// Files of bids: the co-op's founders attach files to a sent bid until the
// deadline; whoever may see the whole bid lists and downloads them, so no
// council user reads them before the deadline, nor an evaluator who
// declared a conflict, ever. The work shared with checklist items' files
// is in shared/evidence.

// MaxBidFiles is how many files one bid may hold.
const MaxBidFiles = 20

// WithFiles gives the service blob storage for bids' files (nil leaves it
// as it is), and returns the service.
func (s *Service) WithFiles(f pathway.Files) *Service {
	if f != nil {
		s.blobs = f
	}
	return s
}

// HasFiles reports whether files can be uploaded here.
func (s *Service) HasFiles() bool { _, _, err := s.fileStores(); return err == nil }

// fileStores returns the blob storage and the file records' store.
func (s *Service) fileStores() (pathway.Files, pathway.FileStore, error) {
	fs, ok := s.store.(pathway.FileStore)
	if s.blobs == nil || !ok {
		return nil, nil, pathway.Errorf(pathway.EINTERNAL, "tenderservice: no file storage configured")
	}
	return s.blobs, fs, nil
}

// fileTarget is where a bid's files go and what their records say.
func fileTarget(b *tenders.Bid) evidence.Target {
	return evidence.Target{Prefix: "bids/" + b.ID + "/", Subject: tenders.BidSubject(b.ID),
		Coop: b.Coop, Item: b.ID, Words: "to the bid", EventData: map[string]string{"bid": b.ID}}
}

// uploadTarget returns the bid u may add a file to: one of their co-op's,
// sent, before the deadline.
func (s *Service) uploadTarget(ctx context.Context, u *pathway.User, id string) (*tenders.Bid, error) {
	b, _, _, err := s.ownBid(ctx, u, id, "change")
	if err == nil && b.Status != tenders.BidSubmitted {
		err = pathway.Errorf(pathway.ECONFLICT, "Files can only be added to a bid that is sent and not withdrawn.")
	}
	return b, err
}

// FileUploadForm returns the signed form with which a founder's browser
// posts one file of the bid straight to storage, which then redirects it
// to redirectURL with the object's key (for CompleteFileUpload).
func (s *Service) FileUploadForm(ctx context.Context, u *pathway.User, id, redirectURL string) (*pathway.UploadForm, error) {
	blobs, _, err := s.fileStores()
	if err != nil {
		return nil, err
	}
	b, err := s.uploadTarget(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return blobs.UploadForm(ctx, fileTarget(b).NewKeyPrefix(), pathway.MaxFileSize, redirectURL)
}

// UploadFile stores a file a founder sent through the API, then records
// it as CompleteFileUpload does. size is the length of r, or -1 if unknown.
func (s *Service) UploadFile(ctx context.Context, u *pathway.User, id, name string, r io.Reader, size int64) (*pathway.File, error) {
	blobs, _, err := s.fileStores()
	if err != nil {
		return nil, err
	}
	b, err := s.uploadTarget(ctx, u, id)
	if err != nil {
		return nil, err
	}
	key, err := evidence.Put(ctx, blobs, fileTarget(b), name, r, size)
	if err != nil {
		return nil, err
	}
	return s.CompleteFileUpload(ctx, u, b.ID, key)
}

// CompleteFileUpload records the file stored under key for the bid (see
// evidence.Complete), with its event on the bid's trail. Completing the
// same key again returns the file recorded the first time.
func (s *Service) CompleteFileUpload(ctx context.Context, u *pathway.User, id, key string) (*pathway.File, error) {
	blobs, fs, err := s.fileStores()
	if err != nil {
		return nil, err
	}
	b, err := s.uploadTarget(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if fid, _, ok := evidence.ParseKey(key, fileTarget(b).Prefix); ok {
		if _, err := fs.GetFile(ctx, fid); err != nil { // a new file, not a replay: room for it?
			have, err := fs.ListFiles(ctx, b.Coop, b.ID)
			if err != nil {
				return nil, err
			}
			if len(have) >= MaxBidFiles {
				return nil, pathway.Invalid(map[string]string{"file": "A bid can hold at most 20 files"})
			}
		}
	}
	return evidence.Complete(ctx, blobs, fs, s.log, u, fileTarget(b), key, s.now(),
		func(action, words string, data map[string]string) *pathway.Event {
			return s.bidEvent(b, u, action, words, data)
		})
}

// BidFiles returns the bid's files, oldest first, for whoever may see the
// whole bid; council staff who have not declared are told to declare first.
func (s *Service) BidFiles(ctx context.Context, u *pathway.User, id string) ([]*pathway.File, error) {
	_, fs, err := s.fileStores()
	if err != nil {
		return nil, err
	}
	b, _, _, acc, _, err := s.readBid(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if acc != FullAccess {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Declare whether you have a conflict of interest with this bid before you see its files.")
	}
	return fs.ListFiles(ctx, b.Coop, b.ID)
}

// DownloadFile returns a bid's file for whoever may see the whole bid; for
// anyone else, and for other subjects' files, it is ENOTFOUND, like a
// missing file.
func (s *Service) DownloadFile(ctx context.Context, u *pathway.User, fileID string) (*evidence.Download, error) {
	blobs, fs, err := s.fileStores()
	if err != nil {
		return nil, err
	}
	if fileID == "" || len(fileID) > 64 {
		return nil, pathway.NotFound("file")
	}
	f, err := fs.GetFile(ctx, fileID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND || (err == nil && f.Subject.Kind != tenders.SubjectBid) {
		return nil, pathway.NotFound("file")
	} else if err != nil {
		return nil, err
	}
	_, _, _, acc, _, err := s.readBid(ctx, u, f.Subject.ID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND || (err == nil && acc != FullAccess) {
		return nil, pathway.NotFound("file")
	} else if err != nil {
		return nil, err
	}
	return evidence.Open(ctx, blobs, f)
}
