package devauth

import (
	"mime"
	"net/http"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// Routes returns the sign-in routes keyed by ServeMux pattern, for
// web.Config.Mount, which checks the CSRF token of every form post to them
// (a JSON post, from an API client, needs none). Without that check another
// site could sign a visitor in as a demo user of its choosing, or sign them
// out. A JSON sign-in sets no cookie: it returns a token that only the
// caller reads.
func (a *Auth) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"GET /auth/dev-users":   http.HandlerFunc(a.handleUsers),
		"POST /auth/dev-login":  http.HandlerFunc(a.handleLogin),
		"POST /auth/dev-logout": http.HandlerFunc(a.handleLogout),
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
	if err != nil && web.WantsHTML(r) {
		web.WriteErrorPage(w, r, err)
		return
	} else if err != nil {
		web.WriteError(w, r, err)
		return
	}
	list := make([]devUser, len(users))
	for i, u := range users {
		list[i] = devUser{ID: u.ID, Name: u.Name, Role: u.Role, Organisation: u.Organisation}
	}
	if web.WantsHTML(r) {
		// Staff of one organisation share its name: read each once.
		orgNames := map[string]string{}
		page := web.SignInView{Action: "/auth/dev-login", Users: make([]web.SignInUser, len(list))}
		for i, u := range list {
			name, ok := orgNames[u.Organisation]
			if !ok {
				name = a.organisationName(r, u.Organisation)
				orgNames[u.Organisation] = name
			}
			page.Users[i] = web.SignInUser{ID: u.ID, Name: u.Name, Role: u.Role, Organisation: name}
		}
		web.WriteSignInPage(w, r, page)
		return
	}
	web.WriteJSON(w, http.StatusOK, list)
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
		// web read the form (bounded) when it checked the CSRF token.
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
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: web.IsHTTPS(r),
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

// handleLogout signs the request's session out: its token (the session
// cookie's, or an API client's bearer token) is revoked on the server, so
// a copy of it kept anywhere is refused from now on. A browser's cookie is
// cleared and the browser sent back to the sign-in page; an API client
// (a JSON post) gets 204.
func (a *Auth) handleLogout(w http.ResponseWriter, r *http.Request) {
	isForm := isFormPost(r)
	if token, err := requestToken(r); err == nil {
		if err := a.Revoke(token); err != nil {
			if isForm {
				web.WriteErrorPage(w, r, err)
			} else {
				web.WriteError(w, r, err)
			}
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: web.IsHTTPS(r)})
	if !isForm {
		w.WriteHeader(http.StatusNoContent)
		return
	}
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
