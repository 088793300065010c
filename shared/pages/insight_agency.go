package pages

// The agency's insight dashboard (/insight) and its list of co-ops
// (/insight/coops): how the pipeline performs for a cohort and a filter,
// over the pipeline insight service only. Both pages are GET forms: the
// filter is the address, so a filtered view can be bookmarked, shared
// and printed, and the CSV link downloads the same co-ops.

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// PipelineInsight is what the agency's insight pages need of the pipeline
// insight service (shared/insight/pipeline's Service satisfies it).
type PipelineInsight interface {
	// Report returns the figures of the co-ops of the filter.
	Report(ctx context.Context, u *pathway.User, f pipeline.Filter) (*pipeline.Report, error)
	// Rows returns a page of the co-ops of the filter whose name contains
	// search, in the sort order named.
	Rows(ctx context.Context, u *pathway.User, f pipeline.Filter, search, sort, cursor string, limit int) (*pipeline.RowPage, error)
}

// Addresses of the insight pages and of the API's CSV export.
const (
	agencyInsightPath = "/insight"
	agencyCoopsPath   = "/insight/coops"
	agencyCSVPath     = "/api/insight/pipeline.csv"
)

// agencyPageSize is how many co-ops a page of the list shows.
const agencyPageSize = 25

// agencyDashboard shows the agency's dashboard for the filter in the
// address.
func (h *Handler) agencyDashboard(w http.ResponseWriter, r *http.Request) {
	if h.pipeline == nil {
		h.NotFound(w, r)
		return
	}
	u := userFrom(r)
	form, ok := h.agencyForm(w, r, false)
	if !ok {
		return
	}
	d := &agencyInsightData{Form: form}
	if form.Errors != nil {
		h.renderAgencyInsight(w, r, http.StatusBadRequest, "insight-agency", d)
		return
	}
	rep, err := h.pipeline.Report(r.Context(), u, form.Filter)
	if h.agencyInsightFailed(w, r, d, "insight-agency", err) {
		return
	}
	d.View = newAgencyInsightView(rep, form.programmeName)
	d.CSV = agencyCSVPath + form.query(nil)
	d.Coops = agencyCoopsPath + form.query(nil)
	h.renderAgencyInsight(w, r, http.StatusOK, "insight-agency", d)
}

// agencyCoopsPage lists the co-ops of the filter, searched by name, sorted
// and a page at a time.
func (h *Handler) agencyCoopsPage(w http.ResponseWriter, r *http.Request) {
	if h.pipeline == nil {
		h.NotFound(w, r)
		return
	}
	u := userFrom(r)
	form, ok := h.agencyForm(w, r, true)
	if !ok {
		return
	}
	d := &agencyInsightData{Form: form}
	if form.Errors != nil {
		h.renderAgencyInsight(w, r, http.StatusBadRequest, "insight-agency-coops", d)
		return
	}
	cursor := r.URL.Query().Get("cursor")
	rows, err := h.pipeline.Rows(r.Context(), u, form.Filter, form.Search, form.Sort, cursor, agencyPageSize)
	if h.agencyInsightFailed(w, r, d, "insight-agency-coops", err) {
		return
	}
	d.List = newAgencyRowsView(rows, form)
	if cursor != "" {
		d.List.First = agencyCoopsPath + form.query(nil)
	}
	d.CSV = agencyCSVPath + form.query(nil)
	d.Dashboard = agencyInsightPath + form.query(nil)
	h.renderAgencyInsight(w, r, http.StatusOK, "insight-agency-coops", d)
}

// agencyInsightFailed handles a service error: a refusal of the filter shows as
// the form's errors, naming the field; anything else is the error page.
// It reports whether there was an error.
func (h *Handler) agencyInsightFailed(w http.ResponseWriter, r *http.Request, d *agencyInsightData, name string, err error) bool {
	if err == nil {
		return false
	}
	if fields := pathway.ErrorFields(err); pathway.ErrorCode(err) == pathway.EINVALID && len(fields) > 0 {
		d.Form.Errors = newErrors(fields, agencyFieldOrder, agencyFieldIDs)
		h.renderAgencyInsight(w, r, http.StatusBadRequest, name, d)
		return true
	}
	h.errorPage(w, r, nil, err)
	return true
}

// renderAgencyInsight renders an insight page in the agency's navigation.
func (h *Handler) renderAgencyInsight(w http.ResponseWriter, r *http.Request, status int, name string, d *agencyInsightData) {
	title := "How your pipeline is doing"
	if name == "insight-agency-coops" {
		title = "Co-ops in your pipeline"
	}
	h.render(w, r, status, name, &page{Title: title, Nav: "insight", Errors: d.Form.Errors, Data: d})
}

// agencyInsightData is what the insight templates show.
type agencyInsightData struct {
	Form *agencyForm
	// View is the dashboard's figures; List a page of co-ops.
	View *agencyInsightView
	List *agencyRowsView
	// CSV, Coops and Dashboard are the addresses of the export, the list
	// and the dashboard for the same filter.
	CSV, Coops, Dashboard string
}

// agencyFieldOrder is the order of the form's fields, for its errors.
var agencyFieldOrder = []string{"cohort", "programme", "area", "service", "origin", "legalForm", "q", "search", "sort", "cursor"}

// agencyFieldIDs maps the service's field names to the form's controls.
var agencyFieldIDs = map[string]string{"search": "q"}

// query returns the form's filter (and search and sort) as a query
// string, "" when it has none, with extra values set on top.
func (f *agencyForm) query(extra url.Values) string {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("programme", f.Filter.Programme)
	set("area", f.Filter.Area)
	set("service", f.Filter.Service)
	set("origin", f.Filter.Origin)
	set("legalForm", f.Filter.LegalForm)
	set("cohort", f.Filter.Cohort)
	set("q", f.Search)
	set("sort", f.Sort)
	for k, vs := range extra {
		for _, v := range vs {
			set(k, v)
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// agencySearchLimit is the longest name search the list accepts.
const agencySearchLimit = 100

// agencyQueryValue returns the query value k with its spaces agencyQueryValue.
func agencyQueryValue(r *http.Request, k string) string {
	return strings.TrimSpace(r.URL.Query().Get(k))
}
