package web

import (
	"net/http"

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
		if err != nil {
			WriteError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(WithUser(r.Context(), u)))
	})
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
