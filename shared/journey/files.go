package journey

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// Evidence files: founders attach files to a checklist item; whoever may
// see the co-op lists and downloads them. The bytes go to blob storage
// (the Files port) either straight from the browser (UploadForm, then
// CompleteUpload) or through the API (Upload); either way CompleteUpload
// reads them once to check the type and size and record them.

// DownloadTTL is how long a download link lasts.
const DownloadTTL = 5 * time.Minute

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

// HasFiles reports whether files can be uploaded here (for the pages).
func (s *Service) HasFiles() bool { _, _, err := s.fileStores(); return err == nil }

// filePrefix is where an item's file goes: one folder per file, named by
// the file's ULID, so the key names the file's record.
func filePrefix(coop, item, id string) string {
	return "coops/" + coop + "/" + item + "/" + id + "/"
}

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
	return blobs.UploadForm(ctx, filePrefix(c.ID, it.ID, ulid.Make().String()), pathway.MaxFileSize, redirectURL)
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
	switch {
	case size == 0:
		return nil, pathway.Invalid(map[string]string{"file": pathway.FileEmptyMessage})
	case size > pathway.MaxFileSize:
		return nil, pathway.Invalid(map[string]string{"file": pathway.FileSizeMessage})
	}
	key := filePrefix(c.ID, it.ID, ulid.Make().String()) + pathway.FileName(name)
	if err := blobs.Put(ctx, key, io.LimitReader(r, pathway.MaxFileSize+1), size); err != nil {
		return nil, err
	}
	return s.CompleteUpload(ctx, u, c.ID, it.ID, key)
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
	id, name, ok := parseFileKey(key, "coops/"+c.ID+"/"+it.ID+"/")
	if !ok {
		return nil, pathway.Invalid(map[string]string{"key": "Is not the key of an upload to this item"})
	}
	if f, err := fs.GetFile(ctx, id); err == nil {
		if f.Key != key {
			return nil, pathway.Invalid(map[string]string{"key": "Is not the key of an upload to this item"})
		}
		return f, nil // a replayed completion
	}
	f, err := s.readUpload(ctx, blobs, key)
	if err != nil {
		return nil, err
	}
	f.ID, f.Coop, f.Item, f.Name, f.Key = id, c.ID, it.ID, name, key
	f.Subject, f.UploadedBy, f.UploadedAt = pathway.CoopSubject(c.ID), u.ID, s.now()
	f.UploaderName = pathway.Clip(u.Name, 200)
	words := pathway.FileSizeWords(f.Size) + ", " + pathway.FileTypeWords(f.Type)
	e := s.newEvent(c.ID, u, pathway.ActionFileUploaded,
		u.Name+" uploaded "+name+" ("+words+") for “"+it.Title+"”.",
		map[string]string{"item": it.ID, "file": id, "name": name, "size": strconv.FormatInt(f.Size, 10),
			"type": f.Type, "sha256": f.SHA256, "uploadedBy": u.ID, "uploadedAt": f.UploadedAt.UTC().Format(time.RFC3339)})
	return fs.PutFile(ctx, f, e)
}

// parseFileKey reads the file ID and name from a key under prefix.
func parseFileKey(key, prefix string) (id, name string, ok bool) {
	rest, found := strings.CutPrefix(key, prefix)
	if !found {
		return "", "", false
	}
	id, name, found = strings.Cut(rest, "/")
	if _, err := ulid.ParseStrict(id); !found || err != nil || strings.Contains(name, "/") {
		return "", "", false
	}
	if name == "" || name == "${filename}" {
		name = "file"
	}
	return id, pathway.FileName(name), true
}

// readUpload reads the bytes under key once, and deletes them when they
// are refused.
func (s *Service) readUpload(ctx context.Context, blobs pathway.Files, key string) (*pathway.File, error) {
	rc, _, err := blobs.Open(ctx, key)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, pathway.Invalid(map[string]string{"file": "The upload could not be found: choose the file and upload it again"})
	} else if err != nil {
		return nil, err
	}
	defer rc.Close()
	h := sha256.New()
	var head bytes.Buffer
	n, err := io.Copy(io.MultiWriter(h, &headWriter{&head}), io.LimitReader(rc, pathway.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	f := &pathway.File{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}
	f.Type = pathway.SniffType(head.Bytes(), key)
	msg := ""
	switch {
	case n == 0:
		msg = pathway.FileEmptyMessage
	case n > pathway.MaxFileSize:
		msg = pathway.FileSizeMessage
	case f.Type == "":
		msg = pathway.FileTypeMessage
	}
	if msg != "" {
		if err := blobs.Delete(ctx, key); err != nil {
			s.log.ErrorContext(ctx, "journey: deleting a refused upload", "key", key, "err", err)
		}
		return nil, pathway.Invalid(map[string]string{"file": msg})
	}
	return f, nil
}

// headWriter keeps the first SniffLen bytes written to it.
type headWriter struct{ b *bytes.Buffer }

func (w *headWriter) Write(p []byte) (int, error) {
	if room := pathway.SniffLen - w.b.Len(); room > 0 {
		w.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
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
type Download struct {
	File *pathway.File
	// URL, when set, serves the file for a short while.
	URL string
	// Body, when URL is empty, holds the bytes; the caller closes it.
	Body io.ReadCloser
}

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
	if _, _, err := s.Coop(ctx, u, f.Coop); pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, pathway.NotFound("file")
	} else if err != nil {
		return nil, err
	}
	url, err := blobs.DownloadURL(ctx, f.Key, f.Name, f.Type, DownloadTTL)
	if err == nil {
		return &Download{File: f, URL: url}, nil
	} else if !errors.Is(err, pathway.ErrNoURL) {
		return nil, err
	}
	rc, _, err := blobs.Open(ctx, f.Key)
	if err != nil {
		return nil, err
	}
	return &Download{File: f, Body: rc}, nil
}
