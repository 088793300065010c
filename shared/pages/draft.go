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
	"github.com/coopcarepathway/pathway/shared/web"
)

// An application in progress lives in a cookie until it is submitted, so
// the multi-page form needs no server-side state and every page, the back
// links and the "Change" links of check your answers are plain GETs.
const (
	// draftCookie names the cookie; it is sent only to /apply pages.
	draftCookie = "pathway_apply"
	// maxDraftBytes keeps the cookie within what every browser stores.
	maxDraftBytes = 3800
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
}

// loadDraft returns the request's draft, or a new empty one.
func loadDraft(r *http.Request) *draft {
	d := &draft{}
	if c, err := r.Cookie(draftCookie); err == nil {
		if raw, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil {
			if b, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(raw)), 64<<10)); err == nil {
				_ = json.Unmarshal(b, d) // a damaged draft starts again
			}
		}
	}
	if d.Key == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		d.Key = hex.EncodeToString(b)
	}
	return d
}

// save stores the draft in its cookie; it reports false when the answers
// are too long to keep.
func (d *draft) save(w http.ResponseWriter, r *http.Request) bool {
	b, _ := json.Marshal(d) // strings and slices of them: cannot fail
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	v := base64.RawURLEncoding.EncodeToString(buf.Bytes())
	if len(v) > maxDraftBytes {
		return false
	}
	http.SetCookie(w, &http.Cookie{Name: draftCookie, Value: v, Path: "/apply", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: web.IsHTTPS(r)})
	return true
}

// clearDraft removes the draft once the application is submitted.
func clearDraft(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: draftCookie, Value: "", Path: "/apply", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: web.IsHTTPS(r)})
}
