// Package pages is the web pages of Co-op Care Pathway: server-rendered
// HTML for founders (apply, then follow the co-op's task list to CQC
// registration) and for development agencies (the pipeline board, panel
// decisions, checklist verification, the task inbox).
//
// The pages follow the GOV.UK Design System's patterns (task list, check
// your answers, summary lists, status tags, error summaries), use a small
// stylesheet of their own and no JavaScript: every form is a plain HTML
// form. Every read and write goes through the journey service, so the pages
// and the JSON API (shared/web) apply exactly the same rules.
//
// shared/web mounts the handler for every path outside /api/.
package pages

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Authenticator says who is calling; shared/web's Authenticator has the
// same method, so any of its implementations serves here too.
type Authenticator interface {
	Authenticate(r *http.Request) (*pathway.User, error)
}

// Config holds what the pages need. Journey, Store and Auth are required.
type Config struct {
	// Journey runs every use case the pages offer.
	Journey *journey.Service
	// Store is read directly only for lists the journey service does not
	// assemble (a founder's co-ops, programme names, stage counts).
	Store pathway.Store
	// Auth says who is calling.
	Auth Authenticator
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Logger receives internal errors; nil means slog.Default().
	Logger *slog.Logger
	// SignInURL is where a visitor who is not signed in is sent; empty
	// answers with a page asking them to sign in.
	SignInURL string
	// SignOutURL is where the sign-out button posts; empty shows a link to
	// SignInURL instead.
	SignOutURL string
}

// Handler serves the pages.
type Handler struct {
	journey *journey.Service
	store   pathway.Store
	auth    Authenticator
	now     func() time.Time
	log     *slog.Logger
	signIn  string
	signOut string
	mux     *http.ServeMux
}

// BoardColumnSize is how many co-ops each column of the pipeline board
// shows; a "show all" link pages through the rest.
const BoardColumnSize = 5

// New returns the pages handler. It panics when Journey, Store or Auth is
// nil: that is a wiring mistake in a composition root.
func New(cfg Config) *Handler {
	if cfg.Journey == nil || cfg.Store == nil || cfg.Auth == nil {
		panic("pages.New: Config.Journey, Config.Store and Config.Auth are required")
	}
	h := &Handler{
		journey: cfg.Journey, store: cfg.Store, auth: cfg.Auth, now: cfg.Now, log: cfg.Logger,
		signIn: cfg.SignInURL, signOut: cfg.SignOutURL, mux: http.NewServeMux(),
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	for pattern, fn := range h.routes() {
		h.mux.HandleFunc(pattern, fn)
	}
	return h
}

// routes lists every page by ServeMux pattern.
func (h *Handler) routes() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"GET /{$}":                             h.signedIn(h.home),
		"GET " + stylesheetPath:                serveStylesheet,
		"GET /apply":                           h.signedIn(h.applyStart),
		"GET /apply/{step}":                    h.signedIn(h.applyStep),
		"POST /apply/{step}":                   h.signedIn(RequireCSRF(h.applySave)),
		"GET /coops/{id}":                      h.signedIn(h.coopPage),
		"GET /coops/{id}/application":          h.signedIn(h.applicationPage),
		"GET /coops/{id}/history":              h.signedIn(h.historyPage),
		"GET /coops/{id}/checklist/{group}":    h.signedIn(h.groupPage),
		"GET /coops/{id}/items/{item}":         h.signedIn(h.itemPage),
		"POST /coops/{id}/items/{item}":        h.signedIn(RequireCSRF(h.markDone)),
		"POST /coops/{id}/items/{item}/verify": h.signedIn(RequireCSRF(h.verify)),
		"GET /tasks":                           h.signedIn(h.inbox),
		"GET /tasks/{id}":                      h.signedIn(h.taskPage),
		"POST /tasks/{id}":                     h.signedIn(RequireCSRF(h.answerTask)),
		"GET /board":                           h.signedIn(h.board),
		"GET /board/{programme}/{stage}":       h.signedIn(h.boardColumn),
	}
}

// Patterns returns the ServeMux patterns the pages answer, for a parent
// mux to route to ServeHTTP.
func (h *Handler) Patterns() []string {
	return slices.Collect(maps.Keys(h.routes()))
}

// ServeHTTP serves a page; a path that is no page gets the "page not
// found" page.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := h.mux.Handler(r); pattern == "" {
		h.NotFound(w, r)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// NotFound answers with the "page not found" page.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	u, _ := h.auth.Authenticate(r)
	h.errorPage(w, r, u, pathway.NotFound("page"))
}

// userKey keys the signed-in user in a request's context.
type userKey struct{}

// userFrom returns the user signedIn put in the context.
func userFrom(r *http.Request) *pathway.User {
	u, _ := r.Context().Value(userKey{}).(*pathway.User)
	return u
}

// withUser returns ctx carrying the signed-in user.
func withUser(ctx context.Context, u *pathway.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// signedIn runs next for a signed-in user. A visitor who is not signed in
// is sent to the sign-in page (or, without one, shown a page asking them
// to sign in); an account that may not use the service sees why.
func (h *Handler) signedIn(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := h.auth.Authenticate(r)
		if err == nil && u == nil {
			err = pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")
		}
		if err != nil {
			if pathway.ErrorCode(err) == pathway.EUNAUTHORIZED && h.signIn != "" {
				http.Redirect(w, r, h.signIn, http.StatusSeeOther)
				return
			}
			h.errorPage(w, r, nil, err)
			return
		}
		w.Header().Set("Cache-Control", "private, no-store")
		next(w, r.WithContext(withUser(r.Context(), u)))
	}
}
