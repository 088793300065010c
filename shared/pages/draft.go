package pages

import (
	"bytes"
	"compress/flate"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// An application in progress is kept on the server, per founder
// (journey.Service.Draft), so a founder can sign out, close the browser or
// change computer and carry on; every page, the back links and the
// "Change" links of check your answers stay plain GETs. Drafts used to
// live in a cookie: one found from before is moved to the server on
// first read, and the cookie removed.
const (
	// draftCookie names the old cookie; it was sent only to /apply pages.
	draftCookie = "pathway_apply"
	// maxMembers is how many founding members the form takes; a larger
	// group can tell its agency the rest.
	maxMembers = 12
)

// draft is an application in progress.
type draft struct {
	// Key makes the submission idempotent: a double-clicked or resent
	// "Submit" names the same co-op (journey.CoopID), so only one is made.
	Key string `json:"k"`
	// App holds the answers so far.
	App journey.Application `json:"a"`
	// Coop, when set, is the screened-out co-op whose application this
	// corrects: sending it resubmits (see resubmit.go).
	Coop string `json:"c,omitempty"`

	// version is the stored draft's version (0: none stored yet).
	version int
	// h and user are whose draft it is and where it is kept.
	h    *Handler
	user *pathway.User
	// problem says why the last save failed, for the form's error.
	problem string
}

// loadDraft returns the signed-in founder's draft, or a new empty one;
// an old cookie draft becomes their stored draft.
func (h *Handler) loadDraft(w http.ResponseWriter, r *http.Request) *draft {
	u := userFrom(r)
	d := &draft{h: h, user: u}
	stored, err := h.journey.Draft(r.Context(), u)
	switch {
	case err == nil:
		d.Key, d.App, d.Coop, d.version = stored.Key, stored.Application, stored.Coop, stored.Version
	case pathway.ErrorCode(err) == pathway.ENOTFOUND:
		if old := cookieDraft(r); old != nil {
			d.Key, d.App = old.Key, old.App
			if d.save(w, r) {
				expireDraftCookie(w, r)
			}
		}
	default:
		// The form still opens; saving will say what is wrong.
		h.log.ErrorContext(r.Context(), "pages: reading a draft application", "user", u.ID, "err", err)
	}
	if d.Key == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		d.Key = hex.EncodeToString(b)
	}
	return d
}

// cookieDraft returns the draft of an old cookie, or nil.
func cookieDraft(r *http.Request) *draft {
	c, err := r.Cookie(draftCookie)
	if err != nil {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(raw)), 64<<10))
	if err != nil {
		return nil
	}
	d := &draft{}
	if json.Unmarshal(b, d) != nil {
		return nil // a damaged draft starts again
	}
	return d
}

// save stores the draft on the server; it reports false, with the reason
// in d.problem, when it could not (answers too long to keep, or changed
// in another window meanwhile).
func (d *draft) save(w http.ResponseWriter, r *http.Request) bool {
	sd := &journey.ApplicationDraft{Key: d.Key, Application: d.App, Coop: d.Coop, Version: d.version}
	err := d.h.journey.SaveDraft(r.Context(), d.user, sd)
	switch pathway.ErrorCode(err) {
	case "":
		d.version = sd.Version
		return true
	case pathway.EINVALID:
		d.problem = "Your answers are too long to keep. Shorten the names and try again."
	case pathway.ECONFLICT:
		d.problem = "You changed your answers in another window or tab. Go back to the first page of the form to see them, then carry on."
	default:
		d.h.log.ErrorContext(r.Context(), "pages: saving a draft application", "user", d.user.ID, "err", err)
		d.problem = "We could not save your answers just now. Try again in a minute."
	}
	return false
}

// clearDraft removes the draft once the application is submitted.
func (h *Handler) clearDraft(w http.ResponseWriter, r *http.Request) {
	if err := h.journey.DeleteDraft(r.Context(), userFrom(r)); err != nil {
		// The application is sent; a draft left behind only refills the form.
		h.log.ErrorContext(r.Context(), "pages: removing a sent draft application", "err", err)
	}
	expireDraftCookie(w, r)
}

// expireDraftCookie removes an old cookie draft.
func expireDraftCookie(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(draftCookie); err != nil {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: draftCookie, Value: "", Path: "/apply", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: web.IsHTTPS(r)})
}
