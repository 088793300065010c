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
func (s *Service) HasFiles() bool { return s.files().Ready() }

// files is the bids' evidence-file flow (shared/evidence) with this
// service's rules.
func (s *Service) files() evidence.Files[*tenders.Bid] {
	return evidence.Files[*tenders.Bid]{Blobs: s.blobs, Store: s.store, Owner: "tenderservice",
		Max: MaxBidFiles, TooMany: "A bid can hold at most 20 files",
		Kind: tenders.SubjectBid, Target: fileTarget, Writable: s.uploadTarget,
		Readable: func(ctx context.Context, u *pathway.User, id string) (*tenders.Bid, bool, error) {
			b, _, _, acc, _, err := s.readBid(ctx, u, id)
			return b, acc == FullAccess, err
		},
		Undeclared: "Declare whether you have a conflict of interest with this bid before you see its files.",
		Event:      s.bidEvent, Log: s.log, Now: s.now}
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
	return s.files().UploadForm(ctx, u, id, redirectURL)
}

// UploadFile stores a file a founder sent through the API, then records
// it as CompleteFileUpload does. size is the length of r, or -1 if unknown.
func (s *Service) UploadFile(ctx context.Context, u *pathway.User, id, name string, r io.Reader, size int64) (*pathway.File, error) {
	return s.files().Upload(ctx, u, id, name, r, size)
}

// CompleteFileUpload records the file stored under key for the bid (see
// evidence.Complete), with its event on the bid's trail. Completing the
// same key again returns the file recorded the first time.
func (s *Service) CompleteFileUpload(ctx context.Context, u *pathway.User, id, key string) (*pathway.File, error) {
	return s.files().Complete(ctx, u, id, key)
}

// BidFiles returns the bid's files, oldest first, for whoever may see the
// whole bid; council staff who have not declared are told to declare first.
func (s *Service) BidFiles(ctx context.Context, u *pathway.User, id string) ([]*pathway.File, error) {
	return s.files().List(ctx, u, id)
}

// DownloadFile returns a bid's file for whoever may see the whole bid; for
// anyone else, and for other subjects' files, it is ENOTFOUND, like a
// missing file.
func (s *Service) DownloadFile(ctx context.Context, u *pathway.User, fileID string) (*evidence.Download, error) {
	return s.files().Download(ctx, u, fileID)
}
