package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"mime"
	"net/http"
)

// Cross-site request forgery protection. Every browser gets a random value
// in a cookie; every form repeats a token that is the HMAC, under the
// handler's CSRF key, of that value and of the browser's session (the
// sign-in cookie SessionAuthenticator names). A POST is served only when
// its token is the one the request's cookies give. A forged form on
// another site can make the browser send the cookies but cannot read them,
// so it cannot fill in the field; and because the token is bound to the
// session, a token someone obtained in their own session, or a cookie value
// planted in the browser, is worth nothing in the victim's. It keeps no
// state on the server, so it works the same on every Lambda instance that
// shares the key.
const (
	// CSRFCookie names the cookie holding the browser's random value.
	CSRFCookie = "pathway_csrf"
	// CSRFField names the hidden form field holding the token.
	CSRFField = "csrf_token"
	// MaxFormBytes bounds a form post: the longest form (an application's
	// members) is far smaller.
	MaxFormBytes = 256 << 10
)

// CSRFToken returns the token the forms of the page being written repeat,
// setting the browser's CSRF cookie when the request has none (or one that
// is not a value this package made).
func CSRFToken(w http.ResponseWriter, r *http.Request) string {
	v := csrfCookie(r)
	if v == "" {
		b := make([]byte, 32)
		_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
		v = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(w, &http.Cookie{
			Name: CSRFCookie, Value: v, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: IsHTTPS(r),
		})
		// The value is in the request from now on, so a page rendered in
		// the same response (an error page after a form) repeats the
		// same token.
		r.AddCookie(&http.Cookie{Name: CSRFCookie, Value: v})
	}
	return serverOf(r).csrfMAC(v, r)
}

// csrfCookie returns the request's CSRF cookie value, or "" when it has
// none of the shape this package makes: 32 random bytes in base64url.
func csrfCookie(r *http.Request) string {
	c, err := r.Cookie(CSRFCookie)
	if err != nil {
		return ""
	}
	if b, err := base64.RawURLEncoding.DecodeString(c.Value); err != nil || len(b) != 32 {
		return ""
	}
	return c.Value
}

// csrfMAC returns the token for the browser's CSRF value and the request's
// session.
func (s *server) csrfMAC(browser string, r *http.Request) string {
	session := ""
	if sa, ok := s.auth.(SessionAuthenticator); ok {
		session = sa.SessionID(r)
	}
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte("pathway-csrf-v1\x00"))
	m.Write([]byte(browser))
	m.Write([]byte{0})
	m.Write([]byte(session))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF reports whether the request's form field holds the token its
// cookies give. The form must have been parsed.
func checkCSRF(r *http.Request) bool {
	v := csrfCookie(r)
	sent := r.PostForm.Get(CSRFField)
	return v != "" && sent != "" && hmac.Equal([]byte(sent), []byte(serverOf(r).csrfMAC(v, r)))
}

// RequireCSRF reads the form (at most MaxFormBytes of it) and serves next
// only when it carries the request's CSRF token. A form that cannot be read
// gets a 400 page saying what to do, a missing or wrong token a 403 page;
// nothing is changed either way. Every page form post goes through it,
// and New puts every form post to a mounted route (sign-in, sign-out)
// through it too.
func RequireCSRF(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxFormBytes)
		if err := r.ParseForm(); err != nil {
			refuseForm(w, r, unreadableForm(err))
			return
		}
		if !checkCSRF(r) {
			refuseForm(w, r, ErrorView{Status: http.StatusForbidden, Heading: "Sorry, we could not accept that form",
				Message: "The form was missing its security code or the code had expired. Nothing was saved. Go back, reload the page and try again."})
			return
		}
		next(w, r)
	}
}

// unreadableForm says why a form could not be read and what to do.
func unreadableForm(err error) ErrorView {
	v := ErrorView{Status: http.StatusBadRequest, Heading: "Sorry, we could not read that form",
		Message: "Your browser sent the form in a way we could not read. Nothing was saved. Go back, reload the page and try again."}
	if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
		v.Heading = "Sorry, that form was too large"
		v.Message = "A form can hold at most 256 KiB. Nothing was saved. Go back, shorten the longest answers (or put long documents in your shared drive and give the link) and send it again."
	}
	return v
}

// refuseForm writes the page for a form refused before any handler ran: a
// plain page, which needs nothing from the form, the session or the pages.
func refuseForm(w http.ResponseWriter, r *http.Request, v ErrorView) {
	v.Links = []Link{{"/", "Go to your home page"}}
	w.Header().Set("Cache-Control", "no-store")
	writePlain(w, v.Status, plainError, v)
}

// checkForms guards a route mounted outside /api/ (the sign-in routes):
// every request that may change something, any method but GET, HEAD and
// OPTIONS, needs the CSRF token, as the pages' forms do, unless its body
// is JSON. Without it another site could sign a visitor in as a user of
// its choosing, or sign them out. A JSON body needs no token: an HTML form
// on another site can only send form-urlencoded, multipart or text/plain
// bodies, and a script there can send application/json only after a CORS
// preflight this server never grants, so a request that says
// application/json comes from an API client (curl, a test), not from a
// victim's browser.
func checkForms(next http.Handler) http.Handler {
	checked := RequireCSRF(next.ServeHTTP)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/json" {
			next.ServeHTTP(w, r)
			return
		}
		checked(w, r)
	})
}
