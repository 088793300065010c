// Package web is the HTTP interface of Co-op Care Pathway: one net/http
// handler that AWS Lambda serves through aws-lambda-go-api-proxy and the local
// binary serves directly, so both run exactly the same code.
//
// Every /api/ route needs an authenticated caller (see Authenticator); every
// error leaves as {"error": {"code", "message", "fields"}} with the status
// chosen in one place (StatusOf). The API handlers only map HTTP to the
// journey service (shared/journey), where the rules live, so the pages can
// use the same rules.
package web

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Config holds what the handler needs. Store and Auth are required.
type Config struct {
	// Store keeps every record.
	Store pathway.Store
	// Workflows starts executions and answers callback tasks.
	Workflows pathway.Workflows
	// Auth says who is calling.
	Auth Authenticator
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Logger receives request logs and internal errors; nil means slog.Default().
	Logger *slog.Logger
	// SignInURL is where the pages send a visitor who is not signed in;
	// empty answers 401 instead.
	SignInURL string
	// SignOutURL is where the pages' sign-out button posts (locally the
	// dev-logout route); empty shows a link to SignInURL instead.
	SignOutURL string
	// Mount adds handlers under extra ServeMux patterns (e.g. the local
	// binary's "/auth/" sign-in routes), wrapped in the same middleware.
	// Patterns under /api/ still require an authenticated caller.
	Mount map[string]http.Handler
}

// server holds the dependencies every route handler uses.
type server struct {
	store     pathway.Store
	workflows pathway.Workflows
	journey   *journey.Service
	auth      Authenticator
	now       func() time.Time
	log       *slog.Logger
	signIn    string
	mux       *http.ServeMux
	pages     *pages.Handler
}

// New returns the application's HTTP handler. It panics if Store or Auth is
// nil, because that is a wiring mistake in a composition root, not a request
// error.
func New(cfg Config) http.Handler {
	if cfg.Store == nil || cfg.Auth == nil {
		panic("web.New: Config.Store and Config.Auth are required")
	}
	s := &server{
		store:     cfg.Store,
		workflows: cfg.Workflows,
		auth:      cfg.Auth,
		now:       cfg.Now,
		log:       cfg.Logger,
		signIn:    cfg.SignInURL,
		mux:       http.NewServeMux(),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.journey = journey.New(s.store, s.workflows, s.now).WithLogger(s.log)
	s.pages = pages.New(pages.Config{Journey: s.journey, Store: s.store, Auth: s.auth, Now: s.now,
		Logger: s.log, SignInURL: cfg.SignInURL, SignOutURL: cfg.SignOutURL})
	s.routes(cfg.Mount)
	// Outermost first: logging sees the final status, recovery turns a
	// panic into that status, headers are set before any handler writes.
	return s.logRequests(s.recoverPanics(securityHeaders(http.HandlerFunc(s.dispatch))))
}

// routes registers every route. Routes under /api/ are wrapped in
// requireUser; the others are public.
func (s *server) routes(mount map[string]http.Handler) {
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	for _, pattern := range s.pages.Patterns() {
		s.mux.Handle(pattern, s.pages)
	}
	s.api("GET /api/programmes", s.handleProgrammes)
	s.api("POST /api/coops", s.handleApply)
	s.api("GET /api/coops", s.handlePipeline)
	s.api("GET /api/coops/{id}", s.handleGetCoop)
	s.api("GET /api/coops/{id}/events", s.handleEvents)
	s.api("GET /api/coops/{id}/checklist", s.handleChecklist)
	s.api("PUT /api/coops/{id}/checklist/{item}", s.handleMarkDone)
	s.api("POST /api/coops/{id}/checklist/{item}/verify", s.handleVerify)
	s.api("GET /api/tasks", s.handleInbox)
	s.api("POST /api/tasks/{id}/decision", s.handleDecision)
	for pattern, h := range mount {
		if isAPI(patternPath(pattern)) {
			h = s.requireUser(h)
		}
		s.mux.Handle(pattern, h)
	}
}

// patternPath returns the path part of a ServeMux pattern ("GET /a/{b}" → "/a/{b}").
func patternPath(pattern string) string {
	if _, path, ok := strings.Cut(pattern, " "); ok {
		pattern = strings.TrimLeft(path, " \t")
	}
	if i := strings.IndexByte(pattern, '/'); i > 0 {
		pattern = pattern[i:] // drop a host
	}
	return pattern
}

// isAPI reports whether a path is under /api/, where every request needs an
// authenticated caller.
func isAPI(path string) bool { return path == "/api" || strings.HasPrefix(path, "/api/") }

// api registers an authenticated API route.
func (s *server) api(pattern string, h http.HandlerFunc) {
	s.mux.Handle(pattern, s.requireUser(h))
}

// dispatch serves the request through the mux, but answers the mux's own
// "404 page not found" and "405 method not allowed" in the JSON error
// envelope, so API clients only ever see one error shape.
func (s *server) dispatch(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r) // sets r.Pattern and the path values
		return
	}
	probe := &statusProbe{header: http.Header{}}
	h.ServeHTTP(probe, r)
	var answer http.Handler
	switch probe.status {
	case http.StatusNotFound:
		if !isAPI(r.URL.Path) && wantsHTML(r) {
			s.pages.NotFound(w, r) // a browser gets a page, not JSON
			return
		}
		answer = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			WriteError(w, r, pathway.Errorf(pathway.ENOTFOUND, "There is nothing at %s.", r.URL.Path))
		})
	case http.StatusMethodNotAllowed:
		answer = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", probe.header.Get("Allow"))
			writeEnvelope(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed here.", nil)
		})
	default: // a redirect to the cleaned path: let the mux answer it
		s.mux.ServeHTTP(w, r)
		return
	}
	// Under /api/ even a wrong address needs a caller first, so that an
	// anonymous client cannot map the API by probing it.
	if isAPI(r.URL.Path) {
		answer = s.requireUser(answer)
	}
	answer.ServeHTTP(w, r)
}

// statusProbe records the status and headers a handler would write and
// discards its body.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header { return p.header }
func (p *statusProbe) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}
func (p *statusProbe) Write(b []byte) (int, error) {
	p.WriteHeader(http.StatusOK)
	return len(b), nil
}
