package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The evidence files' API routes (registered in routes): upload through
// the API, list an item's files, download one, and for clients that post
// straight to storage (on AWS, where a Lambda cannot take a 20 MB body)
// a signed upload form and its completion.

// maxUploadBody bounds a multipart upload: the largest file and room for
// the form's headers.
const maxUploadBody = pathway.MaxFileSize + 64<<10

// FileJSON is a file as the API and the pages show it.
type FileJSON struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Size       int64     `json:"size"`
	Type       string    `json:"type"`
	SHA256     string    `json:"sha256"`
	Item       string    `json:"item"`
	UploadedBy string    `json:"uploadedBy"`
	UploadedAt time.Time `json:"uploadedAt"`
	// URL downloads the file.
	URL string `json:"url"`
}

// FileOf returns the file as the API shows it.
func FileOf(f *pathway.File) FileJSON {
	return FileJSON{ID: f.ID, Name: f.Name, Size: f.Size, Type: f.Type, SHA256: f.SHA256, Item: f.Item,
		UploadedBy: f.UploadedBy, UploadedAt: f.UploadedAt, URL: "/api/files/" + f.ID}
}

// fileRoutes registers the files' routes.
func (s *server) fileRoutes() {
	s.api("POST /api/coops/{id}/checklist/{item}/files", s.handleUpload)
	s.api("GET /api/coops/{id}/checklist/{item}/files", s.handleListFiles)
	s.api("GET /api/files/{id}", s.handleDownload)
	s.api("POST /api/coops/{id}/checklist/{item}/uploads", s.handleUploadForm)
	s.api("POST /api/coops/{id}/checklist/{item}/uploads/complete", s.handleCompleteUpload)
}

// handleUpload takes a multipart/form-data body whose field "file" holds
// the file, streams it to storage and records it: 201 with the file.
//
// With an Idempotency-Key a retry gets the first response back (as
// POST /api/coops does) instead of recording the file twice; the key is
// the caller's and the item's, since the body is only read once stored.
func (s *server) handleUpload(w http.ResponseWriter, r *http.Request) {
	s.upload(w, r, func(ctx context.Context, u *pathway.User, name string, body io.Reader) (*pathway.File, error) {
		return s.journey.Upload(ctx, u, r.PathValue("id"), r.PathValue("item"), name, body, -1)
	})
}

// upload is handleUpload's work for any subject: store reads the file.
func (s *server) upload(w http.ResponseWriter, r *http.Request, store func(ctx context.Context, u *pathway.User, name string, body io.Reader) (*pathway.File, error)) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		WriteError(w, r, pathway.Errorf(pathway.EINVALID, "Send the file as multipart/form-data, in the field \"file\"."))
		return
	}
	key := r.Header.Get(IdempotencyKeyHeader)
	if err := checkIdempotencyKey(key); err != nil {
		WriteError(w, r, err)
		return
	}
	u := UserFrom(r.Context())
	storeKey, hash := "file "+u.ID+" "+key, "POST "+r.URL.Path
	if key != "" {
		if prev, err := s.store.RecallResponse(r.Context(), storeKey); err == nil {
			s.replay(w, r, prev, hash)
			return
		} else if pathway.ErrorCode(err) != pathway.ENOTFOUND {
			WriteError(w, r, err)
			return
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	mr, err := r.MultipartReader()
	if err != nil {
		WriteError(w, r, pathway.Invalid(map[string]string{"file": "Choose a file to upload"}))
		return
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
				err = pathway.Invalid(map[string]string{"file": pathway.FileSizeMessage})
			} else {
				err = pathway.Invalid(map[string]string{"file": "Choose a file to upload"})
			}
			WriteError(w, r, err)
			return
		}
		if part.FormName() != "file" {
			continue
		}
		f, err := store(r.Context(), u, part.FileName(), part)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		if key == "" {
			w.Header().Set("Location", "/api/files/"+f.ID)
			writePrivate(w, http.StatusCreated, FileOf(f))
			return
		}
		body, _ := json.Marshal(FileOf(f)) // a FileJSON always marshals
		first, err := s.store.RememberResponse(r.Context(), &pathway.IdempotentResponse{Key: storeKey, RequestHash: hash,
			Status: http.StatusCreated, Location: "/api/files/" + f.ID, Body: append(body, '\n'), CreatedAt: s.now()})
		if err != nil {
			WriteError(w, r, err)
			return
		}
		s.replay(w, r, first, hash)
		return
	}
}

// handleListFiles lists an item's files.
func (s *server) handleListFiles(w http.ResponseWriter, r *http.Request) {
	files, err := s.journey.ItemFiles(r.Context(), UserFrom(r.Context()), r.PathValue("id"), r.PathValue("item"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	out := make([]FileJSON, len(files))
	for i, f := range files {
		out[i] = FileOf(f)
	}
	writePrivate(w, http.StatusOK, map[string]any{"files": out})
}

// handleDownload sends a file's bytes, or redirects to storage's
// short-lived link.
func (s *server) handleDownload(w http.ResponseWriter, r *http.Request) {
	d, err := s.journey.DownloadFile(r.Context(), UserFrom(r.Context()), r.PathValue("id"))
	if pathway.ErrorCode(err) == pathway.ENOTFOUND && s.grants != nil && s.grants.HasFiles() {
		d, err = s.grants.DownloadFile(r.Context(), UserFrom(r.Context()), r.PathValue("id")) // a grant application's file?
	}
	if pathway.ErrorCode(err) == pathway.ENOTFOUND && s.tenders != nil && s.tenders.HasFiles() {
		d, err = s.tenders.DownloadFile(r.Context(), UserFrom(r.Context()), r.PathValue("id")) // a bid's file?
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	ServeDownload(w, r, d)
}

// ServeDownload answers with a download: a 303 to its URL, or its bytes
// as an attachment of the type found from the content, which browsers
// must not second-guess (nosniff) nor run as a page (the sandbox CSP).
func ServeDownload(w http.ResponseWriter, r *http.Request, d *journey.Download) {
	w.Header().Set("Cache-Control", "private, no-store")
	if d.URL != "" {
		http.Redirect(w, r, d.URL, http.StatusSeeOther)
		return
	}
	defer d.Body.Close()
	h := w.Header()
	h.Set("Content-Type", d.File.Type)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.File.Name}))
	h.Set("Content-Length", strconv.FormatInt(d.File.Size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, d.Body)
	}
}

// handleUploadForm returns a signed form for posting one file straight
// to storage: {"url","fields"}; the client posts the fields, then the
// file as "file", and completes the upload with the key.
func (s *server) handleUploadForm(w http.ResponseWriter, r *http.Request) {
	form, err := s.journey.UploadForm(r.Context(), UserFrom(r.Context()), r.PathValue("id"), r.PathValue("item"), "")
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, form)
}

// handleCompleteUpload records a file posted straight to storage:
// {"key"} → 201 with the file (the same file when sent again).
func (s *server) handleCompleteUpload(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Key string `json:"key"`
	}
	if err := DecodeJSON(w, r, &in); err != nil {
		WriteError(w, r, err)
		return
	}
	f, err := s.journey.CompleteUpload(r.Context(), UserFrom(r.Context()), r.PathValue("id"), r.PathValue("item"), in.Key)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/files/"+f.ID)
	writePrivate(w, http.StatusCreated, FileOf(f))
}
