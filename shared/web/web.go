// Package web is the one HTTP layer of Co-op Care Pathway: who is calling,
// the sign-in requirement, CSRF, security headers, the mapping of
// application errors to statuses and error pages, and the JSON API routes.
package web

// The handler is one net/http handler that AWS Lambda serves through
// aws-lambda-go-api-proxy and the local binary serves directly, so both run
// exactly the same code. Every /api/ route needs an authenticated caller
// (see Authenticator); every API error leaves as {"error": {"code",
// "message", "fields"}} with the status chosen in one place (StatusOf). The
// API handlers only map HTTP to the journey service (shared/journey), where
// the rules live, so the pages (shared/pages, which the composition roots
// pass in as Config.Pages) apply the same rules.

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// Config holds what the handler needs. Store and Auth are required.
type Config struct {
	// Store keeps every record.
	Store pathway.Store
	// Workflows starts executions and answers callback tasks.
	Workflows pathway.Workflows
	// Journey runs the journey's use cases; nil means one over Store and
	// Workflows. A composition root passes the one its pages use.
	Journey *journey.Service
	// Grants runs the grants phase's use cases; nil means one over Store
	// (when it holds its table, as shared/store does) and Workflows.
	Grants *grantservice.Service
	// Tenders runs the tenders phase's use cases; nil means one over Store
	// (when it holds its table, as shared/store does) and Workflows.
	Tenders *tenderservice.Service
	// Pipeline answers the agency's pipeline insight (/api/insight/pipeline…);
	// nil answers those routes as unavailable.
	Pipeline *pipeline.Service
	// Auth says who is calling.
	Auth Authenticator
	// Pages serves every page route and renders the error and sign-in
	// pages this handler writes in the pages' layout; nil serves the API
	// and the mounted routes only, with plain error pages.
	Pages Pages
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Logger receives request logs and internal errors; nil means slog.Default().
	Logger *slog.Logger
	// QuietRequests leaves out the line per request (internal errors are
	// still logged): the local server's default, which only logs requests
	// when asked (--log-requests).
	QuietRequests bool
	// SignInURL is where the pages send a visitor who is not signed in;
	// empty answers 401 instead.
	SignInURL string
	// SignOutURL is where the pages' sign-out button posts (locally the
	// dev-logout route); empty shows a link to SignInURL instead.
	SignOutURL string
	// CSRFKey signs the pages' CSRF tokens. Every process serving the same
	// site must use the same key (every Lambda instance, a restarted local
	// server); nil means a random key made by New, right for one process
	// that lives as long as its pages (tests).
	CSRFKey []byte
	// Mount adds handlers under extra ServeMux patterns (e.g. the sign-in
	// routes under /auth/), wrapped in the same middleware. Patterns under
	// /api/ require an authenticated caller; elsewhere every form post
	// needs the CSRF token, as the pages' forms do.
	Mount map[string]http.Handler
}

// server holds the dependencies every route handler uses.
type server struct {
	store     pathway.Store
	workflows pathway.Workflows
	journey   *journey.Service
	grants    *grantservice.Service
	tenders   *tenderservice.Service
	pipeline  *pipeline.Service
	auth      Authenticator
	pages     Pages
	now       func() time.Time
	log       *slog.Logger
	quiet     bool
	signIn    string
	signOut   string
	csrfKey   []byte
	mux       *http.ServeMux
}

// New returns the application's HTTP handler. It panics if Store or Auth is
// nil, because that is a wiring mistake in a composition root, not a request
// error.
func New(cfg Config) http.Handler {
	if cfg.Store == nil || cfg.Auth == nil {
		panic("web.New: Config.Store and Config.Auth are required")
	}
	s := newServer(cfg)
	s.routes(cfg.Mount)
	// Outermost first: compression sees every byte (pages and JSON alike),
	// logging sees the final status (and puts the request's settings in
	// its context), recovery turns a panic into that status, headers are
	// set before any handler writes.
	return gzipResponses(s.logRequests(s.recoverPanics(securityHeaders(http.HandlerFunc(s.dispatch)))))
}

// newServer fills in the defaults of cfg.
func newServer(cfg Config) *server {
	s := &server{
		store: cfg.Store, workflows: cfg.Workflows, journey: cfg.Journey, auth: cfg.Auth, pages: cfg.Pages,
		now: cfg.Now, log: cfg.Logger, quiet: cfg.QuietRequests, signIn: cfg.SignInURL, signOut: cfg.SignOutURL,
		csrfKey: cfg.CSRFKey, mux: http.NewServeMux(),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if len(s.csrfKey) == 0 {
		s.csrfKey = make([]byte, 32)
		_, _ = rand.Read(s.csrfKey) // crypto/rand.Read never fails (Go 1.24+)
	}
	if s.journey == nil && s.store != nil {
		s.journey = journey.New(s.store, s.workflows, s.now).WithLogger(s.log)
	}
	s.grants = cfg.Grants
	if s.grants == nil {
		s.grants = defaultGrants(s)
	}
	s.pipeline = cfg.Pipeline
	s.tenders = cfg.Tenders
	if s.tenders == nil {
		s.tenders = defaultTenders(s)
	}
	if s.grants != nil && s.journey != nil {
		s.journey.WithFounderTasks(s.grants.FounderTasks)
	}
	if s.grants != nil && s.journey != nil && !s.grants.HasFiles() {
		s.grants.WithFiles(s.journey.Blobs()) // grant applications' files share the checklist's storage
	}
	if s.tenders != nil && s.journey != nil && !s.tenders.HasFiles() {
		s.tenders.WithFiles(s.journey.Blobs()) // bids' files share the checklist's storage
	}
	return s
}

// routes registers every route. Routes under /api/ are wrapped in
// requireUser; the pages check their own sign-in (SignedIn); mounted
// routes elsewhere need the CSRF token on every form post.
func (s *server) routes(mount map[string]http.Handler) {
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	if s.pages != nil {
		for _, pattern := range s.pages.Patterns() {
			s.mux.Handle(pattern, s.pages)
		}
	}
	s.api("GET /api/programmes", s.handleProgrammes)
	s.api("POST /api/coops", s.handleApply)
	s.api("GET /api/coops", s.handlePipeline)
	s.api("GET /api/board", s.handleBoard)
	s.api("GET /api/coops/{id}", s.handleGetCoop)
	s.api("GET /api/coops/{id}/events", s.handleEvents)
	s.api("GET /api/coops/{id}/checklist", s.handleChecklist)
	s.api("PUT /api/coops/{id}/checklist/{item}", s.handleMarkDone)
	s.api("POST /api/coops/{id}/checklist/{item}/verify", s.handleVerify)
	s.api("GET /api/tasks", s.handleInbox)
	s.api("POST /api/tasks/{id}/decision", s.handleDecision)
	s.api("POST /api/eligibility", s.handleEligibility)
	s.api("POST /api/coops/{id}/application", s.handleResubmit)
	s.api("POST /api/coops/{id}/founders", s.handleInviteFounder)
	s.api("DELETE /api/coops/{id}/founders/{user}", s.handleRemoveFounder)
	s.api("GET /api/drafts/application", s.handleGetDraft)
	s.api("PUT /api/drafts/application", s.handlePutDraft)
	s.api("DELETE /api/drafts/application", s.handleDeleteDraft)
	s.fileRoutes()
	s.api("GET /api/me/notices", s.handleGetNotices)
	s.api("PUT /api/me/notices", s.handlePutNotices)
	s.api("GET /api/grant-programmes", s.handleGrantProgrammes)
	s.api("POST /api/grant-programmes", s.handleCreateGrantProgramme)
	s.api("GET /api/grant-programmes/{id}", s.handleGrantProgramme)
	s.api("PUT /api/grant-programmes/{id}", s.handleUpdateGrantProgramme)
	s.api("GET /api/grant-programmes/{id}/budget", s.handleGrantBudget)
	s.api("POST /api/grant-applications", s.handleGrantApply)
	s.api("GET /api/grant-applications", s.handleGrantApplications)
	s.api("GET /api/grant-applications/{id}", s.handleGrantApplication)
	s.api("GET /api/grant-applications/{id}/events", s.handleGrantEvents)
	s.api("POST /api/grant-applications/{id}/declarations", s.handleGrantDeclaration)
	s.grantFileRoutes()
	s.api("POST /api/grant-applications/{id}/withdrawal", s.handleGrantWithdrawal)
	s.api("GET /api/drafts/grant-application", s.handleGetGrantDraft)
	s.api("PUT /api/drafts/grant-application", s.handlePutGrantDraft)
	s.api("DELETE /api/drafts/grant-application", s.handleDeleteGrantDraft)
	s.api("GET /api/funders/{org}/360giving.json", s.handleGiving360JSON)
	s.api("GET /api/funders/{org}/360giving.csv", s.handleGiving360CSV)
	s.api("GET /api/standstill", s.handleStandstill)
	s.tenderRoutes()
	s.insightPipelineRoutes()
	for pattern, h := range mount {
		if isAPI(patternPath(pattern)) {
			h = s.requireUser(h)
		} else {
			h = checkForms(h)
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
		if !isAPI(r.URL.Path) && WantsHTML(r) {
			s.notFoundPage(w, r) // a browser gets a page, not JSON
			return
		}
		answer = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			WriteError(w, r, pathway.Errorf(pathway.ENOTFOUND, "There is nothing at %s.", r.URL.Path))
		})
	case http.StatusMethodNotAllowed:
		answer = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", probe.header.Get("Allow"))
			if !isAPI(r.URL.Path) && WantsHTML(r) {
				s.writeErrorView(w, r, ErrorView{Status: http.StatusMethodNotAllowed, Heading: "This page cannot do that",
					Message: "Your browser asked this page for something it does not do. Go back and use the page's own links and buttons.",
					Links:   []Link{{"/", "Go to your home page"}}})
				return
			}
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
