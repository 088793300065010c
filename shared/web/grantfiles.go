package web

import (
	"context"
	"io"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Grant applications' evidence files: founders upload through the API
// (multipart, field "file", as for checklist items); whoever may see the
// whole application lists them; downloads go through GET /api/files/{id},
// which asks the grants service about a grant application's file.

// grantFileRoutes registers the routes of grant applications' files.
func (s *server) grantFileRoutes() {
	s.api("POST /api/grant-applications/{id}/files", s.handleGrantUpload)
	s.api("GET /api/grant-applications/{id}/files", s.handleGrantFiles)
}

// handleGrantUpload stores and records a file of the application: 201
// with the file.
func (s *server) handleGrantUpload(w http.ResponseWriter, r *http.Request) {
	g, err := s.grantsOf()
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.upload(w, r, func(ctx context.Context, u *pathway.User, name string, body io.Reader) (*pathway.File, error) {
		return g.UploadFile(ctx, u, r.PathValue("id"), name, body, -1)
	})
}

// handleGrantFiles lists the application's files: {"files":[...]}.
func (s *server) handleGrantFiles(w http.ResponseWriter, r *http.Request) {
	grantRead(s, w, r, func(g *grantservice.Service, ctx context.Context, u *pathway.User) (any, error) {
		files, err := g.ApplicationFiles(ctx, u, r.PathValue("id"))
		out := make([]FileJSON, len(files))
		for i, f := range files {
			out[i] = FileOf(f)
		}
		return map[string]any{"files": out}, err
	})
}
