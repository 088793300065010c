package pages

import (
	"net/http"
	"net/url"

	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Evidence files on a grant application's page: the list with download
// links for whoever sees the whole application (a reviewer after
// declaring no conflict), and for the co-op's founders, until the
// application is decided, the upload form. As on a checklist item's page
// the form posts straight to storage, which sends the browser back to
// grantUploaded with the object's key (see files.go on why it carries no
// CSRF token).

// grantFiles returns the files part of an application's page, or nil
// where files are not set up or the reader does not see the application.
func (h *Handler) grantFiles(r *http.Request, v *grantservice.ApplicationView, errs formErrors) *filesData {
	if h.grants == nil || !h.grants.HasFiles() || v.Application == nil {
		return nil
	}
	ctx, u := r.Context(), userFrom(r)
	files, err := h.grants.ApplicationFiles(ctx, u, v.ID)
	if err != nil {
		h.log.ErrorContext(ctx, "pages: listing a grant application's files", "application", v.ID, "err", err)
	}
	d := &filesData{Err: errs.For("file"), What: "this application"}
	for _, f := range files {
		d.Rows = append(d.Rows, fileRowOf(f, u))
	}
	if u.Role == pathway.RoleFounder && grantservice.TakesFiles(v.Status) { // a founder who reads it is one of its co-op's
		back := siteURL(r) + grantAppPath(v.ID) + "/uploaded"
		if d.Form, err = h.grants.FileUploadForm(ctx, u, v.ID, back); err != nil {
			h.log.ErrorContext(ctx, "pages: signing a grant upload form", "application", v.ID, "err", err)
		}
	}
	return d
}

// grantAppPath is an application's page.
func grantAppPath(id string) string { return "/grants/applications/" + url.PathEscape(id) }

// grantUploaded records the file storage just took for the application
// and returns to its page with a notice, or shows the page with the
// reason it was refused. Sent again (a reload), it records nothing more.
func (h *Handler) grantUploaded(w http.ResponseWriter, r *http.Request) {
	g := h.grantsOr404(w, r)
	if g == nil {
		return
	}
	id := r.PathValue("id")
	_, err := g.CompleteFileUpload(r.Context(), userFrom(r), id, r.URL.Query().Get("key"))
	if msgs := fieldsOf(err); msgs != nil {
		if m, ok := msgs["key"]; ok {
			msgs = map[string]string{"file": "The upload could not be matched to this application (" + m + "): upload the file again"}
		}
		h.showGrantApplication(w, r, http.StatusBadRequest, id, newErrors(msgs, []string{"file"}, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, grantAppPath(id)+"?notice=uploaded#files", http.StatusSeeOther)
}
