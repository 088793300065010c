package web

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
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
	serviceUpload(s, w, r, s.grantsOf, (*grantservice.Service).UploadFile)
}

// handleGrantFiles lists the application's files: {"files":[...]}.
func (s *server) handleGrantFiles(w http.ResponseWriter, r *http.Request) {
	serviceFiles(w, r, s.grantsOf, (*grantservice.Service).ApplicationFiles)
}
