package web

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// Bids' files: founders upload through the API (multipart, field "file",
// as for checklist items) until the deadline; whoever may see the whole
// bid lists them; downloads go through GET /api/files/{id}, which asks the
// tenders service about a bid's file. Sealed like the bid itself.

// handleBidUpload stores and records a file of the bid: 201 with the file.
func (s *server) handleBidUpload(w http.ResponseWriter, r *http.Request) {
	serviceUpload(s, w, r, s.tendersOf, (*tenderservice.Service).UploadFile)
}

// handleBidFiles lists the bid's files: {"files":[...]}.
func (s *server) handleBidFiles(w http.ResponseWriter, r *http.Request) {
	serviceFiles(w, r, s.tendersOf, (*tenderservice.Service).BidFiles)
}
