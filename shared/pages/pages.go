// Package pages holds the server-rendered web pages of Co-op Care Pathway:
// their templates and page handlers, over the services only.
package pages

// The pages serve founders (apply, then follow the co-op's task list to
// CQC registration) and development agencies (the pipeline board, panel
// decisions, checklist verification, the task inbox). They follow the
// GOV.UK Design System's patterns (task list, check your answers, summary
// lists, status tags, error summaries), use a small stylesheet of their own
// and no JavaScript: every form is a plain HTML form. Every read and write
// goes through the journey service, so the pages and the JSON API apply
// exactly the same rules. Who is calling, the sign-in requirement, CSRF and
// the error pages' words are shared/web's: the composition roots pass the
// Handler to web.New, which serves it under its middleware.

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost/costreport"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/insight/funding"
	"github.com/coopcarepathway/pathway/shared/insight/market"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/web"
)

// Config holds what the pages need. Journey is required: the pages read
// and write only through it, never the store.
type Config struct {
	// Journey runs every use case the pages offer.
	Journey *journey.Service
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Logger receives internal errors; nil means slog.Default().
	Logger *slog.Logger
	// Selectable lists users a founder may add as co-founders at once
	// (locally, the demo founders); nil offers none (founders.go).
	Selectable func(ctx context.Context) ([]*pathway.User, error)
	// Grants runs the grants phase's use cases (grants.go); nil leaves the
	// grants pages answering "page not found".
	Grants *grantservice.Service
	// Tenders runs the tenders phase's use cases (tenders*.go); nil
	// leaves the tenders pages answering "page not found".
	Tenders *tenderservice.Service
	// Funding answers the funder's dashboard (insight_funder.go); nil
	// leaves it answering "page not found".
	Funding *funding.Service
	// Market reads the council dashboard (insight_council.go); nil leaves
	// it answering "page not found".
	Market *market.Service
	// Costs answers what journeys cost (costs.go); nil leaves out the
	// co-op page's cost section and the agency's costs page.
	Costs *costreport.Service
	// Pipeline answers the agency's insight pages (insight_agency*.go);
	// nil leaves them answering "page not found".
	Pipeline PipelineInsight
}

// The Handler is the pages web.New serves.
var _ web.Pages = (*Handler)(nil)

// Handler serves the pages.
type Handler struct {
	journey *journey.Service
	now     func() time.Time
	log     *slog.Logger
	mux     *http.ServeMux
	// selectableUsers is Config.Selectable.
	selectableUsers func(ctx context.Context) ([]*pathway.User, error)
	// grants is Config.Grants.
	grants *grantservice.Service
	// tenders is Config.Tenders.
	tenders *tenderservice.Service
	// funding is Config.Funding.
	funding *funding.Service
	// market is Config.Market.
	market *market.Service
	// costs is Config.Costs.
	costs *costreport.Service
	// pipeline is Config.Pipeline.
	pipeline PipelineInsight
}

// New returns the pages handler. It panics when Journey is nil:
// that is a wiring mistake in a composition root.
func New(cfg Config) *Handler {
	if cfg.Journey == nil {
		panic("pages.New: Config.Journey is required")
	}
	h := &Handler{journey: cfg.Journey, now: cfg.Now, log: cfg.Logger, mux: http.NewServeMux(), selectableUsers: cfg.Selectable, grants: cfg.Grants, tenders: cfg.Tenders}
	h.funding = cfg.Funding
	h.market = cfg.Market
	h.costs = cfg.Costs
	h.pipeline = cfg.Pipeline
	if h.now == nil {
		h.now = time.Now
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.grants != nil && !h.grants.HasFiles() {
		h.grants.WithFiles(h.journey.Blobs()) // grant applications' files share the checklist's storage
	}
	if h.tenders != nil && !h.tenders.HasFiles() {
		h.tenders.WithFiles(h.journey.Blobs()) // bids' files share the checklist's storage
	}
	for pattern, fn := range h.routes() {
		h.mux.HandleFunc(pattern, fn)
	}
	return h
}

// routes lists every page by ServeMux pattern. Every page but the
// stylesheet needs a signed-in user, and every form post its CSRF token.
func (h *Handler) routes() map[string]http.HandlerFunc {
	signedIn, csrf := web.SignedIn, web.RequireCSRF
	return map[string]http.HandlerFunc{
		"GET /{$}":                             signedIn(h.home),
		"GET " + stylesheetPath:                serveStylesheet,
		"GET /apply":                           signedIn(h.applyStart),
		"GET /apply/{step}":                    signedIn(h.applyStep),
		"POST /apply/{step}":                   signedIn(csrf(h.applySave)),
		"GET /coops/{id}":                      signedIn(h.coopPage),
		"GET /coops/{id}/application":          signedIn(h.applicationPage),
		"GET /coops/{id}/history":              signedIn(h.historyPage),
		"GET /coops/{id}/checklist/{group}":    signedIn(h.groupPage),
		"GET /coops/{id}/items/{item}":         signedIn(h.itemPage),
		"POST /coops/{id}/items/{item}":        signedIn(csrf(h.markDone)),
		"POST /coops/{id}/items/{item}/verify": signedIn(csrf(h.verify)),
		"GET /tasks":                           signedIn(h.inbox),
		"GET /tasks/{id}":                      signedIn(h.taskPage),
		"POST /tasks/{id}":                     signedIn(csrf(h.answerTask)),
		"GET /board":                           signedIn(h.board),
		"GET /board/{programme}/{stage}":       signedIn(h.boardColumn),
		"GET " + glossaryPath:                  h.glossaryPage,
		"GET " + checkerPath:                   signedIn(h.checker),
		"POST " + checkerPath:                  signedIn(csrf(h.checkEligibility)),
		"GET /coops/{id}/apply-again":          signedIn(h.applyAgain),
		"GET /coops/{id}/founders":             signedIn(h.foundersPage),
		"POST /coops/{id}/founders":            signedIn(csrf(h.invite)),
		"GET /coops/{id}/remove/{user}":        signedIn(h.removePage),
		"POST /coops/{id}/remove/{user}":       signedIn(csrf(h.remove)),

		// Evidence files (files.go).
		"GET /coops/{id}/items/{item}/uploaded": signedIn(h.uploaded),
		"GET /files/{id}":                       signedIn(h.download),
		"GET " + noticesPath:                    signedIn(h.noticesPage),
		"POST " + noticesPath:                   signedIn(csrf(h.saveNotices)),

		// Grants (grants*.go).
		"GET /grants":                                signedIn(h.grantsHome),
		"GET /grants/programmes/{id}":                signedIn(h.grantProgrammePage),
		"GET /grants/programmes/{id}/apply":          signedIn(h.grantApplyForm),
		"POST /grants/programmes/{id}/apply":         signedIn(csrf(h.grantApplyPost)),
		"GET /grants/applications/{id}":              signedIn(h.grantApplicationPage),
		"POST /grants/applications/{id}/declaration": signedIn(csrf(h.grantDeclare)),
		"GET /grants/applications/{id}/uploaded":     signedIn(h.grantUploaded),
		"GET /coops/{id}/grants":                     signedIn(h.coopGrantsPage),
		"GET /grants/programmes/new":                 signedIn(h.newProgrammePage),
		"POST /grants/programmes/new":                signedIn(csrf(h.createProgramme)),
		"GET /grants/programmes/{id}/edit":           signedIn(h.editProgrammePage),
		"POST /grants/programmes/{id}/edit":          signedIn(csrf(h.updateProgramme)),
		"GET /grants/applications/{id}/withdraw":     signedIn(h.grantWithdrawPage),
		"POST /grants/applications/{id}/withdraw":    signedIn(csrf(h.grantWithdraw)),
		"GET " + standstillPath:                      signedIn(h.standstillPage),
		"POST " + standstillPath:                     signedIn(csrf(h.standstillPost)),

		// Tenders: the council's pages (tenders.go, tenders_council*.go).
		"GET /tenders":                              signedIn(h.tendersHome),
		"GET /tenders/new":                          signedIn(h.newTenderPage),
		"POST /tenders/new":                         signedIn(csrf(h.createTender)),
		"GET /tenders/{id}":                         signedIn(h.tenderHome),
		"GET /tenders/{id}/edit":                    signedIn(h.editTenderPage),
		"POST /tenders/{id}/edit":                   signedIn(csrf(h.updateTender)),
		"GET /tenders/{id}/publish":                 signedIn(h.publishPage),
		"POST /tenders/{id}/publish":                signedIn(csrf(h.publishTender)),
		"POST /tenders/{id}/questions/{q}/answer":   signedIn(csrf(h.answerQuestion)),
		"POST /tenders/{id}/challenges":             signedIn(csrf(h.recordChallenge)),
		"POST /tenders/{id}/challenges/{c}/outcome": signedIn(csrf(h.decideChallenge)),
		"GET /tenders/{id}/bids/{bid}":              signedIn(h.councilBidPage),
		"GET /tenders/{id}/cancel":                  signedIn(h.cancelTenderPage),
		"POST /tenders/{id}/cancel":                 signedIn(csrf(h.cancelTender)),

		// Tenders for founders (tenders_founder*.go); GET /tenders and
		// GET /tenders/{id} are the council's pages' (tenders.go), which
		// call founderTendersPage and founderTenderPage for founders.
		"POST /tenders/{id}/questions": signedIn(csrf(h.founderAsk)),
		"GET /tenders/{id}/bid":        signedIn(h.founderBidForm),
		"POST /tenders/{id}/bid":       signedIn(csrf(h.founderBidPost)),
		"GET /bids/{id}/sent":          signedIn(h.founderBidPage),
		"GET /bids/{id}/summary":       signedIn(h.founderSummaryPage),
		"GET /bids/{id}/change":        signedIn(h.founderBidChangeForm),
		"POST /bids/{id}/change":       signedIn(csrf(h.founderBidChangePost)),
		"GET /bids/{id}/withdraw":      signedIn(h.founderWithdrawPage),
		"POST /bids/{id}/withdraw":     signedIn(csrf(h.founderWithdraw)),
		"GET /bids/{id}/uploaded":      signedIn(h.founderBidUploaded),
		"GET /coops/{id}/tenders":      signedIn(h.coopTendersPage),

		// The funder's dashboard (insight_funder.go).
		"GET " + funderInsightPath: signedIn(h.funderInsight),
		// The ends people record on a co-op (coop_ends.go).
		"GET /coops/{id}/withdraw":  signedIn(h.endPage(withdrawEnd)),
		"POST /coops/{id}/withdraw": signedIn(csrf(h.recordEnd(withdrawEnd))),
		"GET /coops/{id}/close":     signedIn(h.endPage(closeEnd)),
		"POST /coops/{id}/close":    signedIn(csrf(h.recordEnd(closeEnd))),
		// The council dashboard (insight_council.go).
		"GET " + councilInsightPath: signedIn(h.councilInsight),
		// What journeys cost, for the agency (costs.go).
		"GET " + costsPath: signedIn(h.insightCostsPage),
		// The agency's insight dashboard (insight_agency*.go).
		"GET " + agencyInsightPath: signedIn(h.agencyDashboard),
		"GET " + agencyCoopsPath:   signedIn(h.agencyCoopsPage),
	}
}

// Patterns returns the ServeMux patterns the pages answer, for web.New to
// route to ServeHTTP.
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
	web.WriteErrorPage(w, r, pathway.NotFound("page"))
}

// userFrom returns the signed-in user web.SignedIn put in the context.
func userFrom(r *http.Request) *pathway.User { return web.UserFrom(r.Context()) }
