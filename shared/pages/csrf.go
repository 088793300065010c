package pages

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

// Cross-site request forgery protection is the double-submit cookie: every
// page with a form sets a random token in a cookie and repeats it in a
// hidden field; a POST is served only when the two agree. A forged form on
// another site can make the browser send the cookie but cannot read it, so
// it cannot fill in the field. It needs no server-side state, so it works
// the same across Lambda instances.
const (
	// CSRFCookie names the cookie holding the token.
	CSRFCookie = "pathway_csrf"
	// CSRFField names the hidden form field repeating it.
	CSRFField = "csrf_token"
	// maxFormBytes bounds a form post: the longest form (an application's
	// members) is far smaller.
	maxFormBytes = 256 << 10
)

// csrfToken returns the request's token, setting a new cookie when the
// request has none (or one that is not a token this package made).
func csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(CSRFCookie); err == nil && validToken(c.Value) {
		return c.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	token := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{
		Name: CSRFCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: isHTTPS(r),
	})
	// The token is in the request from now on, so a page rendered in the
	// same response (an error page after a form) repeats the same one.
	r.AddCookie(&http.Cookie{Name: CSRFCookie, Value: token})
	return token
}

// validToken reports whether s has the shape of a token: 32 random bytes
// in base64url.
func validToken(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// isHTTPS reports whether the browser reached us over TLS, directly or
// through API Gateway or a proxy that says so.
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// RequireCSRF parses the form (bounded in size) and serves next only when
// its token matches the cookie's; otherwise it answers 400 for an unreadable
// form and 403 with a plain page for a missing or wrong token. Sign-in and
// sign-out routes outside this package use it so that every form post is
// checked the same way.
func RequireCSRF(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "The form could not be read. Go back and try again.", http.StatusBadRequest)
			return
		}
		if !CheckCSRF(r) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusForbidden)
			_ = forbiddenPage.Execute(w, nil)
			return
		}
		next(w, r)
	}
}

// CheckCSRF reports whether the request's form field repeats its CSRF
// cookie's token. It parses the form if nobody has yet; callers bound the
// body first.
func CheckCSRF(r *http.Request) bool {
	if r.PostForm == nil {
		_ = r.ParseForm() // a form that cannot be read has no token: refused below
	}
	c, err := r.Cookie(CSRFCookie)
	sent := r.PostForm.Get(CSRFField)
	return err == nil && validToken(c.Value) && subtle.ConstantTimeCompare([]byte(c.Value), []byte(sent)) == 1
}
