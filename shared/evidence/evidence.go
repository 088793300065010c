// Package evidence holds what every subject's evidence files share: a
// file's storage key (one folder per file, named by its ULID), storing
// bytes sent through the API, and completing an upload (reading the bytes
// once to find their type, size and SHA-256, refusing and deleting what
// is not acceptable, and recording the file with its event, once).
//
// The services (shared/journey for checklist items, shared/grants/
// grantservice for grant applications) decide who may upload and see;
// this package only does the work they share.
package evidence

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// DownloadTTL is how long a download link lasts.
const DownloadTTL = 5 * time.Minute

// Target is what an upload is for: where its keys lie and what its
// record says.
type Target struct {
	// Prefix is the folder of the subject's files, ending in "/".
	Prefix string
	// Subject, Coop and Item fill in the file's record.
	Subject    pathway.Subject
	Coop, Item string
	// Words name the target in the audit event ("for “Statement of purpose”").
	Words string
	// EventData is added to the event's data.
	EventData map[string]string
}

// NewKeyPrefix returns the folder for a new file of the target.
func (t Target) NewKeyPrefix() string { return t.Prefix + ulid.Make().String() + "/" }

// Put checks the declared size and stores the bytes of a file sent
// through the API under a new key of the target, which it returns. size
// is the length of r, or -1 if unknown (CompleteUpload checks it then).
func Put(ctx context.Context, blobs pathway.Files, t Target, name string, r io.Reader, size int64) (string, error) {
	switch {
	case size == 0:
		return "", pathway.Invalid(map[string]string{"file": pathway.FileEmptyMessage})
	case size > pathway.MaxFileSize:
		return "", pathway.Invalid(map[string]string{"file": pathway.FileSizeMessage})
	}
	key := t.NewKeyPrefix() + pathway.FileName(name)
	if err := blobs.Put(ctx, key, io.LimitReader(r, pathway.MaxFileSize+1), size); err != nil {
		return "", err
	}
	return key, nil
}

// Complete records the file stored under key for the target, by u at
// now, with its event (newEvent fills in the subject, actor and time). A
// key outside the target is refused naming "key"; a file of another
// type, empty or too large is deleted and refused naming "file".
// Completing the same key again returns the file recorded the first time.
func Complete(ctx context.Context, blobs pathway.Files, fs pathway.FileStore, log *slog.Logger, u *pathway.User, t Target, key string, now time.Time,
	newEvent func(action, summary string, data map[string]string) *pathway.Event) (*pathway.File, error) {
	id, name, ok := ParseKey(key, t.Prefix)
	if !ok {
		return nil, pathway.Invalid(map[string]string{"key": "Is not the key of an upload to this item"})
	}
	if f, err := fs.GetFile(ctx, id); err == nil {
		if f.Key != key {
			return nil, pathway.Invalid(map[string]string{"key": "Is not the key of an upload to this item"})
		}
		return f, nil // a replayed completion
	}
	f, err := Read(ctx, blobs, log, key)
	if err != nil {
		return nil, err
	}
	f.ID, f.Coop, f.Item, f.Name, f.Key = id, t.Coop, t.Item, name, key
	f.Subject, f.UploadedBy, f.UploadedAt = t.Subject, u.ID, now
	f.UploaderName = pathway.Clip(u.Name, 200)
	words := pathway.FileSizeWords(f.Size) + ", " + pathway.FileTypeWords(f.Type)
	data := map[string]string{"item": t.Item, "file": id, "name": name, "size": strconv.FormatInt(f.Size, 10),
		"type": f.Type, "sha256": f.SHA256, "uploadedBy": u.ID, "uploadedAt": f.UploadedAt.UTC().Format(time.RFC3339)}
	for k, v := range t.EventData {
		data[k] = v
	}
	e := newEvent(pathway.ActionFileUploaded, u.Name+" uploaded "+name+" ("+words+") "+t.Words+".", data)
	stored, err := fs.PutFile(ctx, f, e)
	if err == nil {
		// The upload went from the browser to the bucket; its bytes are
		// counted once here, where the application keeps it.
		cost.MeterFrom(ctx).Add(cost.Usage{S3Bytes: stored.Size})
	}
	return stored, err
}

// ParseKey reads the file ID and name from a key under prefix.
func ParseKey(key, prefix string) (id, name string, ok bool) {
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

// Read reads the bytes under key once, and deletes them when they are
// refused: the returned file has its Size, SHA256 and Type.
func Read(ctx context.Context, blobs pathway.Files, log *slog.Logger, key string) (*pathway.File, error) {
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
		if err := blobs.Delete(ctx, key); err != nil && log != nil {
			log.ErrorContext(ctx, "evidence: deleting a refused upload", "key", key, "err", err)
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

// Download is a file to send: either a ready URL or its bytes.
type Download struct {
	File *pathway.File
	// URL, when set, serves the file for a short while.
	URL string
	// Body, when URL is empty, holds the bytes; the caller closes it.
	Body io.ReadCloser
}

// Open returns the download of f: storage's short-lived link, or its bytes
// where storage streams them.
func Open(ctx context.Context, blobs pathway.Files, f *pathway.File) (*Download, error) {
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
