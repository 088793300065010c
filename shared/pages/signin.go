package pages

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/web"
)

// RenderSignIn writes the local server's sign-in page (infra/local/devauth
// asks web.WriteSignInPage for it) in the pages' layout: the demo users,
// each with a button that posts its ID as "user" to the action (web.Pages).
func (h *Handler) RenderSignIn(w http.ResponseWriter, r *http.Request, v web.SignInView) error {
	return h.renderPage(w, r, http.StatusOK, "signin", &page{Title: "Sign in", Data: v})
}
