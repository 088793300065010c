package web

import (
	"context"
	"io"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// Bids' files: founders upload through the API (multipart, field "file",
// as for checklist items) until the deadline; whoever may see the whole
// bid lists them; downloads go through GET /api/files/{id}, which asks the
// tenders service about a bid's file. Sealed like the bid itself.

// handleBidUpload stores and records a file of the bid: 201 with the file.
func (s *server) handleBidUpload(w http.ResponseWriter, r *http.Request) {
	g, err := s.tendersOf()
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.upload(w, r, func(ctx context.Context, u *pathway.User, name string, body io.Reader) (*pathway.File, error) {
		return g.UploadFile(ctx, u, r.PathValue("id"), name, body, -1)
	})
}

// handleBidFiles lists the bid's files: {"files":[...]}.
func (s *server) handleBidFiles(w http.ResponseWriter, r *http.Request) {
	tenderRead(s, w, r, func(g *tenderservice.Service, ctx context.Context, u *pathway.User) (any, error) {
		files, err := g.BidFiles(ctx, u, r.PathValue("id"))
		out := make([]FileJSON, len(files))
		for i, f := range files {
			out[i] = FileOf(f)
		}
		return map[string]any{"files": out}, err
	})
}
