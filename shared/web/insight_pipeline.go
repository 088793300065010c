package web

import (
	"net/http"
	"strconv"

	"github.com/coopcarepathway/pathway/shared/insight/csvout"
	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// insightPipelineRoutes registers the agency's pipeline API: the
// dashboard's figures, its co-ops page by page, and their CSV export.
func (s *server) insightPipelineRoutes() {
	s.api("GET /api/insight/pipeline", s.handleInsightPipeline)
	s.api("GET /api/insight/pipeline.csv", s.handleInsightPipelineCSV)
	s.api("GET /api/insight/pipeline/coops", s.handleInsightPipelineCoops)
}

// pipelineOf returns the pipeline service, or an error when this server
// was built without one.
func (s *server) pipelineOf() (*pipeline.Service, error) {
	if s.pipeline == nil {
		return nil, pathway.Errorf(pathway.EUNAVAILABLE, "The pipeline's figures are not available here.")
	}
	return s.pipeline, nil
}

// pipelineFilter reads the filter from the query string; the service
// checks its values.
func pipelineFilter(r *http.Request) pipeline.Filter {
	q := r.URL.Query()
	return pipeline.Filter{Programme: q.Get("programme"), Area: q.Get("area"), Service: q.Get("service"),
		Origin: q.Get("origin"), LegalForm: q.Get("legalForm"), Cohort: q.Get("cohort")}
}

// handleInsightPipeline answers GET /api/insight/pipeline.
func (s *server) handleInsightPipeline(w http.ResponseWriter, r *http.Request) {
	svc, err := s.pipelineOf()
	if err != nil {
		WriteError(w, r, err)
		return
	}
	rep, err := svc.Report(r.Context(), UserFrom(r.Context()), pipelineFilter(r))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	WriteJSON(w, http.StatusOK, rep)
}

// handleInsightPipelineCoops answers GET /api/insight/pipeline/coops: a
// page of the filter's co-ops (q searches the start of their names; sort
// is programme, -programme, name or -name; cursor is the previous page's
// next; limit up to pipeline.MaxLimit).
func (s *server) handleInsightPipelineCoops(w http.ResponseWriter, r *http.Request) {
	svc, err := s.pipelineOf()
	if err != nil {
		WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	limit := 0
	if l := q.Get("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil {
			WriteError(w, r, pathway.Invalid(map[string]string{"limit": "Give a whole number of rows"}))
			return
		}
	}
	page, err := svc.Rows(r.Context(), UserFrom(r.Context()), pipelineFilter(r), q.Get("q"), q.Get("sort"), q.Get("cursor"), limit)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	WriteJSON(w, http.StatusOK, page)
}

// handleInsightPipelineCSV answers GET /api/insight/pipeline.csv: the
// filter's co-ops as a CSV download, streamed. The headers go out with the
// first bytes, so a refusal (a bad filter, someone else's pipeline) is
// still a clean JSON error.
func (s *server) handleInsightPipelineCSV(w http.ResponseWriter, r *http.Request) {
	svc, err := s.pipelineOf()
	if err != nil {
		WriteError(w, r, err)
		return
	}
	f := pipelineFilter(r)
	name := "pipeline.csv"
	if f.Programme != "" {
		name = "pipeline-" + f.Programme + ".csv" // programme IDs are slugs
	}
	out := &lazyDownload{w: w, contentType: csvout.ContentType, name: name}
	if err := svc.Export(r.Context(), UserFrom(r.Context()), f, out); err != nil {
		if !out.started {
			WriteError(w, r, err)
			return
		}
		loggerFrom(r).ErrorContext(r.Context(), "pipeline export stopped part way", "err", err)
	}
}

// lazyDownload sends a download's headers with its first bytes.
type lazyDownload struct {
	w                 http.ResponseWriter
	contentType, name string
	started           bool
}

func (d *lazyDownload) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		h := d.w.Header()
		h.Set("Content-Type", d.contentType)
		h.Set("Content-Disposition", `attachment; filename="`+d.name+`"`)
		h.Set("Cache-Control", "private, no-store")
		d.w.WriteHeader(http.StatusOK)
	}
	return d.w.Write(p)
}
