package pages

import (
	"net/http"
	"net/url"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// Evidence files on a checklist item's page: the list with download
// links for whoever may see the co-op, and for founders the upload form.
//
// The upload form posts straight to storage (S3 on AWS, the local
// server's upload route locally), not to these pages, so it carries no
// CSRF token (S3 refuses fields its policy does not name): the signed
// policy plays its part, since only a page made for a founder of this
// co-op holds one, and it expires. Storage then sends the browser to
// uploaded, which records the file (or shows why it was refused).

// filesData is the files part of an item's page.
type filesData struct {
	Rows []fileRow
	// Form is the upload form, when the user may upload.
	Form *pathway.UploadForm
	// Err says why the last upload was refused.
	Err string
	// What the files are for, in words ("this application"); "" for an item.
	What string
}

// fileRow is a file as the page lists it.
type fileRow struct {
	Name, Size, Type, By, URL string
	At                        string
}

// itemFiles returns the files part of an item's page, or nil where files
// are not set up.
func (h *Handler) itemFiles(r *http.Request, c *pathway.Coop, it *pathway.ChecklistItem, errs formErrors) *filesData {
	if !h.journey.HasFiles() {
		return nil
	}
	ctx, u := r.Context(), userFrom(r)
	files, err := h.journey.ItemFiles(ctx, u, c.ID, it.ID)
	if err != nil {
		h.log.ErrorContext(ctx, "pages: listing an item's files", "coop", c.ID, "item", it.ID, "err", err)
	}
	d := &filesData{Err: errs.For("file")}
	for _, f := range files {
		d.Rows = append(d.Rows, fileRowOf(f, u))
	}
	if journey.CanUpload(u, c, it) {
		back := siteURL(r) + itemPath(c.ID, it.ID) + "/uploaded"
		if d.Form, err = h.journey.UploadForm(ctx, u, c.ID, it.ID, back); err != nil {
			h.log.ErrorContext(ctx, "pages: signing an upload form", "coop", c.ID, "err", err)
		}
	}
	return d
}

// fileRowOf is a file as the page lists it to u.
func fileRowOf(f *pathway.File, u *pathway.User) fileRow {
	by := f.UploaderName
	if f.UploadedBy == u.ID {
		by = "You"
	} else if by == "" {
		by = f.UploadedBy
	}
	return fileRow{Name: f.Name, Size: pathway.FileSizeWords(f.Size), Type: pathway.FileTypeWords(f.Type),
		By: by, At: pathway.FormatDate(f.UploadedAt), URL: "/files/" + url.PathEscape(f.ID)}
}

// itemPath is a checklist item's page.
func itemPath(coop, item string) string { return coopPath(coop) + "/items/" + url.PathEscape(item) }

// siteURL is the address of this site as the browser sees it, for the
// storage to send the browser back to (S3 needs an absolute address).
func siteURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// uploaded records the file storage just took (the key it sends back)
// and returns to the item's page with a notice, or shows the page with
// the reason it was refused. Sent again (a reload), it records nothing
// more.
func (h *Handler) uploaded(w http.ResponseWriter, r *http.Request) {
	c, it, err := h.loadItem(r)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	_, err = h.journey.CompleteUpload(r.Context(), userFrom(r), c.ID, it.ID, r.URL.Query().Get("key"))
	if msgs := fieldsOf(err); msgs != nil {
		if m, ok := msgs["key"]; ok {
			msgs = map[string]string{"file": "The upload could not be matched to this item (" + m + "): upload the file again"}
		}
		h.showItem(w, r, http.StatusBadRequest, c, it, nil, newErrors(msgs, []string{"file"}, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, itemPath(c.ID, it.ID)+"?notice=uploaded#files", http.StatusSeeOther)
}

// download sends a file to whoever may see its co-op.
func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	d, err := h.journey.DownloadFile(r.Context(), userFrom(r), r.PathValue("id"))
	if pathway.ErrorCode(err) == pathway.ENOTFOUND && h.grants != nil && h.grants.HasFiles() {
		d, err = h.grants.DownloadFile(r.Context(), userFrom(r), r.PathValue("id")) // a grant application's file?
	}
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	web.ServeDownload(w, r, d)
}
