package web

import (
	"bytes"
	"net/http"
	"net/url"

	"github.com/coopcarepathway/pathway/shared/ocds"
)

// handleTenderOCDS downloads the tender's OCDS 1.1 release package: its
// tender, award and contract releases as they happened, with the UK
// extension's fields.
func (s *server) handleTenderOCDS(w http.ResponseWriter, r *http.Request) {
	g, err := s.tendersOf()
	if err != nil {
		WriteError(w, r, err)
		return
	}
	id := r.PathValue("id")
	uri := requestBase(r) + "/api/tenders/" + url.PathEscape(id) + "/ocds.json"
	pkg, err := g.OCDS(r.Context(), UserFrom(r.Context()), id, uri)
	var buf bytes.Buffer
	if err == nil {
		err = ocds.Write(&buf, pkg)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+id+`-ocds.json"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

// requestBase returns the scheme and host the request was made to, as
// the address of the data published (behind API Gateway or a proxy, the
// forwarded scheme).
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
