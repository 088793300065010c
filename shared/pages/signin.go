package pages

import (
	"log/slog"
	"net/http"
	"time"
)

// SignInUser is a demo user the local sign-in page lists.
type SignInUser struct {
	ID, Name, Role, Organisation string
}

// RenderSignIn writes the local server's sign-in page (infra/local/devauth)
// in the pages' layout: the demo users, each with a button that posts its
// ID as "user" to action. In AWS people sign in on Cognito's page instead.
func RenderSignIn(w http.ResponseWriter, r *http.Request, action string, users []SignInUser) {
	h := &Handler{log: slog.Default(), now: time.Now}
	h.render(w, r, http.StatusOK, "signin", &page{Title: "Sign in", Data: map[string]any{"Action": action, "Users": users}})
}
