package devauth

import (
	"mime"
	"net/http"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// Routes returns the sign-in routes keyed by ServeMux pattern, for
// web.Config.Mount.
func (a *Auth) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"GET /auth/dev-users":   http.HandlerFunc(a.handleUsers),
		"POST /auth/dev-login":  csrfUnlessJSON(a.handleLogin),
		"POST /auth/dev-logout": csrfUnlessJSON(a.handleLogout),
	}
}

// csrfUnlessJSON checks the CSRF token of every post except a JSON one,
// exactly as the pages check theirs (pages.RequireCSRF: the double-submit
// cookie). Without it another site could sign a visitor in as a demo user
// of its choosing, or sign them out. A JSON post needs no token: an HTML
// form on another site can only send form-urlencoded, multipart or
// text/plain bodies, and a script there can send application/json only
// after a CORS preflight this server never grants; so a request that says
// application/json comes from an API client (curl, a test), not from a
// victim's browser. A JSON sign-in also sets no cookie: it returns a token
// that only the caller reads.
func csrfUnlessJSON(next http.HandlerFunc) http.HandlerFunc {
	checked := pages.RequireCSRF(next)
	return func(w http.ResponseWriter, r *http.Request) {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/json" {
			next(w, r)
			return
		}
		checked(w, r)
	}
}

// devUser is how a demo user is listed.
type devUser struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Role         string `json:"role"`
	Organisation string `json:"organisation"`
}

// handleUsers lists the users one can sign in as: JSON for API clients, and
// for a browser (which asks for text/html) a page with a sign-in button for
// each.
func (a *Auth) handleUsers(w http.ResponseWriter, r *http.Request) {
	users, err := a.store.ListUsers(r.Context())
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	list := make([]devUser, len(users))
	for i, u := range users {
		list[i] = devUser{ID: u.ID, Name: u.Name, Role: u.Role, Organisation: u.Organisation}
	}
	if wantsHTML(r) {
		// Staff of one organisation share its name: read each once.
		orgNames := map[string]string{}
		page := make([]pages.SignInUser, len(list))
		for i, u := range list {
			name, ok := orgNames[u.Organisation]
			if !ok {
				name = a.organisationName(r, u.Organisation)
				orgNames[u.Organisation] = name
			}
			page[i] = pages.SignInUser{ID: u.ID, Name: u.Name, Role: u.Role, Organisation: name}
		}
		pages.RenderSignIn(w, r, "/auth/dev-login", page)
		return
	}
	web.WriteJSON(w, http.StatusOK, list)
}

// wantsHTML reports whether the client prefers a page to JSON: browsers
// list text/html first in Accept.
func wantsHTML(r *http.Request) bool {
	first, _, _ := strings.Cut(r.Header.Get("Accept"), ",")
	return strings.TrimSpace(first) == "text/html"
}

// loginRequest is the body of POST /auth/dev-login.
type loginRequest struct {
	User string `json:"user"`
}

// handleLogin signs a demo user in. A JSON request gets {"token": …}; a
// form post (a browser) gets the session cookie and a 303 to the home page.
func (a *Auth) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	isForm := isFormPost(r)
	if isForm {
		r.Body = http.MaxBytesReader(w, r.Body, web.MaxBodyBytes)
		if err := r.ParseForm(); err != nil {
			web.WriteError(w, r, pathway.Errorf(pathway.EINVALID, "The form could not be read."))
			return
		}
		req.User = r.PostForm.Get("user")
	} else if err := web.DecodeJSON(w, r, &req); err != nil {
		web.WriteError(w, r, err)
		return
	}
	u, err := a.loginUser(r, strings.TrimSpace(req.User))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	token, exp := a.Token(u.ID)
	if !isForm {
		w.Header().Set("Cache-Control", "no-store")
		web.WriteJSON(w, http.StatusOK, map[string]any{"token": token, "expiresAt": exp})
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: token, Path: "/", Expires: exp,
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// loginUser returns the demo user with the ID, or an EINVALID error naming
// the field.
func (a *Auth) loginUser(r *http.Request, id string) (*pathway.User, error) {
	if id == "" {
		return nil, pathway.Invalid(map[string]string{"user": "Enter the ID of a user from /auth/dev-users"})
	}
	u, err := a.store.GetUser(r.Context(), id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, pathway.Invalid(map[string]string{"user": "No demo user has this ID; see /auth/dev-users"})
	}
	return u, err
}

// handleLogout clears the session cookie and returns the browser to the
// sign-in page.
func (a *Auth) handleLogout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/auth/dev-users", http.StatusSeeOther)
}

// isFormPost reports whether the body is an HTML form.
func isFormPost(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data"
}

// organisationName returns the name people know an organisation by, for
// the sign-in page; the ID when it has none on record, so a user is never
// listed without one.
func (a *Auth) organisationName(r *http.Request, id string) string {
	if id == "" {
		return ""
	}
	o, err := a.store.GetOrganisation(r.Context(), id)
	if err != nil || o.Name == "" {
		return id
	}
	return o.Name
}
