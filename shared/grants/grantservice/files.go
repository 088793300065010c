package grantservice

import (
	"context"
	"io"
	"slices"

	"github.com/coopcarepathway/pathway/shared/evidence"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Evidence files on grant applications: the co-op's founders attach files
// to an application until it is decided; whoever may see the whole
// application lists and downloads them (a reviewer only after declaring
// no conflict; one who declared a conflict is told they are not found).
// The work shared with checklist items' files is in shared/evidence.

// MaxApplicationFiles is how many files one application may hold.
const MaxApplicationFiles = 20

// uploadStatuses are the statuses in which founders may add files: before
// the application is decided.
var uploadStatuses = []string{grants.StatusDraft, grants.StatusSubmitted, grants.StatusInReview, grants.StatusAwaitingDecision}

// WithFiles gives the service blob storage for evidence files (nil leaves
// it as it is), and returns the service.
func (s *Service) WithFiles(f pathway.Files) *Service {
	if f != nil {
		s.blobs = f
	}
	return s
}

// HasFiles reports whether files can be uploaded here (for the pages).
func (s *Service) HasFiles() bool { return s.files().Ready() }

// files is the applications' evidence-file flow (shared/evidence) with
// this service's rules.
func (s *Service) files() evidence.Files[*grants.Application] {
	return evidence.Files[*grants.Application]{Blobs: s.blobs, Store: s.store, Owner: "grantservice",
		Max: MaxApplicationFiles, TooMany: "An application can hold at most 20 files",
		Kind: grants.SubjectKind, Target: fileTarget, Writable: s.uploadTarget,
		Readable: func(ctx context.Context, u *pathway.User, id string) (*grants.Application, bool, error) {
			a, _, acc, _, err := s.read(ctx, u, id)
			return a, acc == FullAccess, err
		},
		Undeclared: "Declare whether you have a conflict of interest with this application before you see its files.",
		Recorder: func(fs pathway.FileStore, a *grants.Application) pathway.FileStore {
			return appFiles{FileStore: fs, s: s, app: a.ID}
		},
		Event: s.newEvent, Log: s.log, Now: s.now}
}

// CanUploadFiles reports whether u may add files to the application now:
// a founder of its co-op, before it is decided.
func CanUploadFiles(u *pathway.User, a *grants.Application, c *pathway.Coop) bool {
	return mayUploadFiles(u, a, c) == nil
}

// TakesFiles reports whether an application in the status takes files.
func TakesFiles(status string) bool { return slices.Contains(uploadStatuses, status) }

func mayUploadFiles(u *pathway.User, a *grants.Application, c *pathway.Coop) error {
	if u == nil || u.Role != pathway.RoleFounder || c == nil || !slices.Contains(c.Founders, u.ID) {
		return pathway.Errorf(pathway.EFORBIDDEN, "Only the co-op's founders can add files to its grant application.")
	}
	if !slices.Contains(uploadStatuses, a.Status) {
		return pathway.Errorf(pathway.ECONFLICT, "Files can only be added to a grant application before it is decided.")
	}
	return nil
}

// fileTarget is where an application's files go and what their records say.
func fileTarget(a *grants.Application) evidence.Target {
	return evidence.Target{Prefix: "grant-applications/" + a.ID + "/", Subject: grants.Subject(a.ID),
		Coop: a.Coop, Item: a.ID, Words: "to the grant application “" + a.Title + "”",
		EventData: map[string]string{"application": a.ID}}
}

// uploadTarget returns the application u may add a file to.
func (s *Service) uploadTarget(ctx context.Context, u *pathway.User, id string) (*grants.Application, error) {
	a, c, _, _, err := s.read(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return a, mayUploadFiles(u, a, c)
}

// FileUploadForm returns the signed form with which a founder's browser
// posts one file of the application straight to storage, which then
// redirects it to redirectURL with the object's key (for CompleteFileUpload).
func (s *Service) FileUploadForm(ctx context.Context, u *pathway.User, id, redirectURL string) (*pathway.UploadForm, error) {
	return s.files().UploadForm(ctx, u, id, redirectURL)
}

// UploadFile stores a file a founder sent through the API, then records
// it as CompleteFileUpload does. size is the length of r, or -1 if unknown.
func (s *Service) UploadFile(ctx context.Context, u *pathway.User, id, name string, r io.Reader, size int64) (*pathway.File, error) {
	return s.files().Upload(ctx, u, id, name, r, size)
}

// CompleteFileUpload records the file stored under key for the
// application (see evidence.Complete), with its event on the
// application's trail. Completing the same key again returns the file
// recorded the first time.
func (s *Service) CompleteFileUpload(ctx context.Context, u *pathway.User, id, key string) (*pathway.File, error) {
	return s.files().Complete(ctx, u, id, key)
}

// ApplicationFiles returns the application's files, oldest first, for
// whoever may see the whole application; a reviewer who has not declared
// their interests is told to declare first.
func (s *Service) ApplicationFiles(ctx context.Context, u *pathway.User, id string) ([]*pathway.File, error) {
	return s.files().List(ctx, u, id)
}

// DownloadFile returns a grant application's file for whoever may see the
// whole application; for anyone else, and for other subjects' files, it
// is ENOTFOUND, like a missing file.
func (s *Service) DownloadFile(ctx context.Context, u *pathway.User, fileID string) (*evidence.Download, error) {
	return s.files().Download(ctx, u, fileID)
}

// appFiles is the file records' store as evidence.Complete uses it for an
// application: recording a file also lists its ID in the application's
// Files, in the same transaction (grantstore.AttachFile).
type appFiles struct {
	pathway.FileStore
	s   *Service
	app string
}

// PutFile records f on the application, once, and returns the stored
// record (the first one, for a retry).
func (fs appFiles) PutFile(ctx context.Context, f *pathway.File, e *pathway.Event) (*pathway.File, error) {
	if _, err := fs.s.grants.AttachFile(ctx, fs.app, f, e, MaxApplicationFiles); err != nil {
		return nil, err
	}
	return fs.GetFile(ctx, f.ID)
}
