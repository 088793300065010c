package web

import (
	"mime"
	"net/http"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// authenticate asks the handler's Authenticator who is calling; no user and
// no error is "not signed in".
func (s *server) authenticate(r *http.Request) (*pathway.User, error) {
	if s.auth == nil {
		return nil, errSignIn
	}
	u, err := s.auth.Authenticate(r)
	if err == nil && u == nil {
		err = errSignIn
	}
	if err != nil {
		return nil, err
	}
	noteCaller(r, u)
	return u, nil
}

// errSignIn is the answer to a request that names no caller.
var errSignIn = pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")

// requireUser authenticates an API caller and puts the user in the
// context; a request without a valid caller gets the JSON 401 or 403.
func (s *server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.authenticate(r)
		if err == nil {
			err = s.checkCookieCall(r)
		}
		if err != nil {
			WriteError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(WithUser(r.Context(), u)))
	})
}

// checkCookieCall refuses, EFORBIDDEN, an API request that may change
// something (any method but GET, HEAD and OPTIONS) when its caller signed
// in with the session cookie rather than an Authorization header, unless
// it says application/json and comes from this site: an Origin of this
// server's own scheme and host, or a Sec-Fetch-Site of same-origin,
// same-site or none (typed by the person), and never cross-site. A browser
// sends the cookie with a request another site makes, but that site can
// neither send application/json without a CORS preflight this server
// never grants, nor forge the Origin and Sec-Fetch-Site headers; so
// without these checks a page elsewhere could apply, answer tasks or
// verify evidence in the name of whoever visits it. A bearer token is
// sent only by a client that holds it, and needs none of this.
func (s *server) checkCookieCall(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if !s.cookieSignedIn(r) {
		return nil
	}
	if !jsonContentType(r.Header.Get("Content-Type")) {
		return pathway.Errorf(pathway.EFORBIDDEN, "A request signed in by the session cookie must send its body as application/json. "+
			"API clients send Authorization: Bearer <token> instead.")
	}
	if !sameSite(r) {
		return pathway.Errorf(pathway.EFORBIDDEN, "A request signed in by the session cookie is accepted only from this site's own pages. "+
			"API clients send Authorization: Bearer <token> instead.")
	}
	return nil
}

// cookieSignedIn reports whether the request's credential is the browser's
// session cookie: it has a session (SessionAuthenticator) and no
// Authorization header, which only a client holding a token can add.
func (s *server) cookieSignedIn(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" {
		return false
	}
	sa, ok := s.auth.(SessionAuthenticator)
	return ok && sa.SessionID(r) != ""
}

// jsonContentType reports whether a Content-Type is application/json,
// with no parameter but an optional charset=utf-8.
func jsonContentType(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return false
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return false
		}
	}
	return true
}

// sameSite reports whether the browser says the request comes from this
// site: Sec-Fetch-Site is same-origin, same-site or none, or the Origin is
// this server's own scheme and host. A cross-site Sec-Fetch-Site is
// refused whatever the Origin says.
func sameSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "same-site", "none":
		return true
	case "cross-site":
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		return false
	}
	scheme := "http"
	if IsHTTPS(r) {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return host != "" && strings.EqualFold(origin, scheme+"://"+host)
}

// SignedIn runs next for a signed-in user, who UserFrom then returns. A
// visitor who is not signed in is sent to the sign-in page (or, without
// one, shown a page asking them to sign in); an account that may not use
// the service is shown why. The answer is never cached: it depends on who
// asked.
func SignedIn(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := serverOf(r)
		u, err := s.authenticate(r)
		if err != nil {
			if pathway.ErrorCode(err) == pathway.EUNAUTHORIZED && s.signIn != "" {
				http.Redirect(w, r, s.signIn, http.StatusSeeOther)
				return
			}
			WriteErrorPage(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "private, no-store")
		next(w, r.WithContext(WithUser(r.Context(), u)))
	}
}

// SignInLinks returns where the pages' layout sends a visitor to sign in
// and where its sign-out form posts ("" for none).
func SignInLinks(r *http.Request) (signIn, signOut string) {
	s := serverOf(r)
	return s.signIn, s.signOut
}

// notFoundPage answers a browser's request for a path that is no page,
// showing who is signed in when someone is.
func (s *server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	if UserFrom(r.Context()) == nil {
		if u, err := s.authenticate(r); err == nil {
			r = r.WithContext(WithUser(r.Context(), u))
		}
	}
	WriteErrorPage(w, r, pathway.NotFound("page"))
}

// SignInView is the local server's sign-in page (infra/local/devauth): the
// demo users, each with a button that posts its ID as "user" to Action. In
// AWS people sign in on Cognito's page instead.
type SignInView struct {
	Action string
	Users  []SignInUser
}

// SignInUser is a demo user the sign-in page lists; Organisation is the
// name people know it by.
type SignInUser struct {
	ID, Name, Role, Organisation string
}

// WriteSignInPage writes the local sign-in page, in the pages' layout when
// the handler has pages (plain otherwise).
func WriteSignInPage(w http.ResponseWriter, r *http.Request, v SignInView) {
	s := serverOf(r)
	if s.pages != nil {
		err := s.pages.RenderSignIn(w, r, v)
		if err == nil {
			return
		}
		WriteErrorPage(w, r, err)
		return
	}
	writePlain(w, http.StatusOK, plainSignIn, struct {
		Heading, Action, CSRF string
		Users                 []SignInUser
	}{"Sign in", v.Action, CSRFToken(w, r), v.Users})
}
