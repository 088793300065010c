package web

// The tenders phase's API: tenders, clarification questions, sealed bids,
// evaluators' declarations, challenges, assessment summaries and the
// answers to tender tasks. The handlers only map HTTP to the tenders
// service (shared/tenders/tenderservice), where the rules live.

import (
	"context"
	"net/http"
	"net/url"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// defaultTenders returns the tenders service over the server's store, when
// the store holds its table (shared/store does), or nil.
func defaultTenders(s *server) *tenderservice.Service {
	ts, ok := s.store.(interface{ Table() table.Table })
	if !ok {
		return nil
	}
	return tenderservice.New(s.store, tenderstore.New(ts.Table()), s.workflows, s.now).WithLogger(s.log)
}

// tenderRoutes registers the tenders phase's routes.
func (s *server) tenderRoutes() {
	s.api("GET /api/tenders", s.handleTenders)
	s.api("POST /api/tenders", s.handleCreateTender)
	s.api("GET /api/tenders/{id}", s.handleTender)
	s.api("PUT /api/tenders/{id}", s.handleUpdateTender)
	s.api("POST /api/tenders/{id}/publish", s.handlePublishTender)
	s.api("GET /api/tenders/{id}/events", s.handleTenderEvents)
	s.api("GET /api/tenders/{id}/questions", s.handleTenderQuestions)
	s.api("POST /api/tenders/{id}/questions", s.handleAskTender)
	s.api("POST /api/tenders/{id}/questions/{q}/answer", s.handleAnswerTenderQuestion)
	s.api("GET /api/tenders/{id}/bids", s.handleTenderBids)
	s.api("POST /api/tenders/{id}/challenges", s.handleTenderChallenge)
	s.api("POST /api/tenders/{id}/challenges/{c}/outcome", s.handleTenderChallengeOutcome)
	s.api("POST /api/bids", s.handleSubmitBid)
	s.api("GET /api/bids", s.handleCoopBids)
	s.api("GET /api/bids/{id}", s.handleBid)
	s.api("PUT /api/bids/{id}", s.handleUpdateBid)
	s.api("POST /api/bids/{id}/withdraw", s.handleWithdrawBid)
	s.api("POST /api/bids/{id}/declarations", s.handleBidDeclaration)
	s.api("GET /api/bids/{id}/assessment-summary", s.handleAssessmentSummary)
	s.api("POST /api/bids/{id}/files", s.handleBidUpload)
	s.api("GET /api/bids/{id}/files", s.handleBidFiles)
	s.api("GET /api/tenders/{id}/ocds.json", s.handleTenderOCDS)
	s.api("POST /api/tenders/{id}/cancel", s.handleCancelTender)
}

// tendersOf returns the tenders service, or an internal error when none
// is configured (a wiring mistake).
func (s *server) tendersOf() (*tenderservice.Service, error) {
	if s.tenders == nil {
		return nil, pathway.Errorf(pathway.EINTERNAL, "web: no tenders service configured")
	}
	return s.tenders, nil
}

// tenderLocation and bidLocation are the records' addresses.
func tenderLocation(id string) string { return "/api/tenders/" + url.PathEscape(id) }
func bidLocation(id string) string    { return "/api/bids/" + url.PathEscape(id) }

// handleTenders lists the tenders the caller may see: {"tenders": [...]}.
func (s *server) handleTenders(w http.ResponseWriter, r *http.Request) {
	serviceRead(w, r, s.tendersOf, func(g *tenderservice.Service, ctx context.Context, u *pathway.User) (any, error) {
		ts, err := g.Tenders(ctx, u)
		return map[string]any{"tenders": ts}, err
	})
}

// handleTender returns one tender.
func (s *server) handleTender(w http.ResponseWriter, r *http.Request) {
	serviceRead(w, r, s.tendersOf, func(g *tenderservice.Service, ctx context.Context, u *pathway.User) (*tenderservice.TenderView, error) {
		return g.Tender(ctx, u, r.PathValue("id"))
	})
}

// handleCreateTender stores a draft tender of the lead's council: 201
// with its Location.
func (s *server) handleCreateTender(w http.ResponseWriter, r *http.Request) {
	location := func(v *tenderservice.TenderView) string { return tenderLocation(v.ID) }
	serviceCreate(w, r, s.tendersOf, location, func(g *tenderservice.Service, ctx context.Context, u *pathway.User, in *tenderservice.TenderInput) (*tenderservice.TenderView, error) {
		return g.CreateTender(ctx, u, in)
	})
}

// handleUpdateTender replaces a draft tender, if unchanged since the
// version in If-Match (or the body's "version").
func (s *server) handleUpdateTender(w http.ResponseWriter, r *http.Request) {
	version, err := ifMatchVersion(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	serviceWrite(w, r, s.tendersOf, http.StatusOK, false, func(g *tenderservice.Service, ctx context.Context, u *pathway.User, in *tenderservice.TenderInput) (*tenderservice.TenderView, error) {
		return g.UpdateTender(ctx, u, r.PathValue("id"), in, version)
	})
}

// handlePublishTender publishes a draft tender (no body needed).
func (s *server) handlePublishTender(w http.ResponseWriter, r *http.Request) {
	serviceWrite(w, r, s.tendersOf, http.StatusOK, true, func(g *tenderservice.Service, ctx context.Context, u *pathway.User, _ *struct{}) (*tenderservice.TenderView, error) {
		return g.Publish(ctx, u, r.PathValue("id"))
	})
}

// handleTenderEvents returns a page of a tender's audit trail
// (?cursor=&limit=), for the council's staff.
func (s *server) handleTenderEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := queryLimit(q)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	serviceRead(w, r, s.tendersOf, func(g *tenderservice.Service, ctx context.Context, u *pathway.User) (*pathway.EventPage, error) {
		return g.Events(ctx, u, r.PathValue("id"), q.Get("cursor"), limit)
	})
}

// handleTenderQuestions returns a tender's questions: {"questions": [...]}.
func (s *server) handleTenderQuestions(w http.ResponseWriter, r *http.Request) {
	serviceRead(w, r, s.tendersOf, func(g *tenderservice.Service, ctx context.Context, u *pathway.User) (any, error) {
		qs, err := g.Questions(ctx, u, r.PathValue("id"))
		return map[string]any{"questions": qs}, err
	})
}

// handleAskTender stores a founder's question: {"question"} → 201.
func (s *server) handleAskTender(w http.ResponseWriter, r *http.Request) {
	serviceWrite(w, r, s.tendersOf, http.StatusCreated, false, func(g *tenderservice.Service, ctx context.Context, u *pathway.User, in *tenderservice.QuestionInput) (*tenders.Question, error) {
		return g.Ask(ctx, u, r.PathValue("id"), *in)
	})
}

// handleAnswerTenderQuestion stores the council's answer: {"answer"}.
func (s *server) handleAnswerTenderQuestion(w http.ResponseWriter, r *http.Request) {
	serviceWrite(w, r, s.tendersOf, http.StatusOK, false, func(g *tenderservice.Service, ctx context.Context, u *pathway.User, in *tenderservice.AnswerInput) (*tenders.Question, error) {
		return g.AnswerQuestion(ctx, u, r.PathValue("id"), r.PathValue("q"), *in)
	})
}

// handleTenderBids returns a tender's bids as the caller sees them:
// {"bids": [...]}; 404 to council staff before the deadline.
func (s *server) handleTenderBids(w http.ResponseWriter, r *http.Request) {
	serviceRead(w, r, s.tendersOf, func(g *tenderservice.Service, ctx context.Context, u *pathway.User) (any, error) {
		bs, err := g.TenderBids(ctx, u, r.PathValue("id"))
		return map[string]any{"bids": bs}, err
	})
}

// handleTenderChallenge records a challenge: {"received","from","summary"} → 201.
func (s *server) handleTenderChallenge(w http.ResponseWriter, r *http.Request) {
	serviceWrite(w, r, s.tendersOf, http.StatusCreated, false, func(g *tenderservice.Service, ctx context.Context, u *pathway.User, in *tenders.ChallengeInput) (*tenders.Challenge, error) {
		return g.RecordChallenge(ctx, u, r.PathValue("id"), *in)
	})
}

// handleTenderChallengeOutcome records a challenge's outcome:
// {"outcome":"dismissed|upheld|withdrawn","summary"}.
func (s *server) handleTenderChallengeOutcome(w http.ResponseWriter, r *http.Request) {
	serviceWrite(w, r, s.tendersOf, http.StatusOK, false, func(g *tenderservice.Service, ctx context.Context, u *pathway.User, in *tenders.ChallengeOutcome) (*tenders.Challenge, error) {
		return g.DecideChallenge(ctx, u, r.PathValue("id"), r.PathValue("c"), *in)
	})
}

// handleSubmitBid stores a founder's bid: 201 with the bid and its
// Location. With an Idempotency-Key a retry gets the first response back
// (the ID derives from the key, so concurrent duplicates create one bid);
// the same key with another bid is 409, as for POST /api/grant-applications.
func (s *server) handleSubmitBid(w http.ResponseWriter, r *http.Request) {
	serviceCreateOnce(s, w, r, s.tendersOf, "bid", tenderservice.BidInput.Fingerprint,
		func(g *tenderservice.Service, ctx context.Context, u *pathway.User, key string, in tenderservice.BidInput) (string, any, error) {
			v, err := g.Submit(ctx, u, tenderservice.BidID(u.ID, key), in)
			if err != nil {
				return "", nil, err
			}
			return bidLocation(v.ID), v, nil
		})
}

// handleCoopBids returns a co-op's bids (?coop=, its founders): {"bids": [...]}.
func (s *server) handleCoopBids(w http.ResponseWriter, r *http.Request) {
	serviceRead(w, r, s.tendersOf, func(g *tenderservice.Service, ctx context.Context, u *pathway.User) (any, error) {
		coop := r.URL.Query().Get("coop")
		if coop == "" {
			return nil, pathway.Invalid(map[string]string{"coop": "Choose the co-op whose bids to list"})
		}
		bs, err := g.CoopBids(ctx, u, coop)
		return map[string]any{"bids": bs}, err
	})
}

// handleBid returns a bid as the caller may see it.
func (s *server) handleBid(w http.ResponseWriter, r *http.Request) {
	serviceRead(w, r, s.tendersOf, func(g *tenderservice.Service, ctx context.Context, u *pathway.User) (*tenderservice.BidView, error) {
		return g.Bid(ctx, u, r.PathValue("id"))
	})
}

// handleUpdateBid replaces a bid before the deadline, if unchanged since
// the version in If-Match (when given).
func (s *server) handleUpdateBid(w http.ResponseWriter, r *http.Request) {
	version, err := ifMatchVersion(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	serviceWrite(w, r, s.tendersOf, http.StatusOK, false, func(g *tenderservice.Service, ctx context.Context, u *pathway.User, in *tenderservice.BidInput) (*tenderservice.BidView, error) {
		return g.UpdateBid(ctx, u, r.PathValue("id"), *in, version)
	})
}

// handleWithdrawBid withdraws a bid before the deadline: {"reason"}
// (optional, the body too).
func (s *server) handleWithdrawBid(w http.ResponseWriter, r *http.Request) {
	type reason struct {
		Reason string `json:"reason"`
	}
	serviceWrite(w, r, s.tendersOf, http.StatusOK, true, func(g *tenderservice.Service, ctx context.Context, u *pathway.User, in *reason) (*tenderservice.BidView, error) {
		return g.WithdrawBid(ctx, u, r.PathValue("id"), in.Reason)
	})
}

// handleBidDeclaration records an evaluator's declaration:
// {"conflict":false} or {"conflict":true,"reason":"…"}.
func (s *server) handleBidDeclaration(w http.ResponseWriter, r *http.Request) {
	serviceWrite(w, r, s.tendersOf, http.StatusOK, false, func(g *tenderservice.Service, ctx context.Context, u *pathway.User, in *tenders.DeclarationAnswer) (*tenderservice.DeclarationResult, error) {
		return g.Declare(ctx, u, r.PathValue("id"), *in)
	})
}

// handleAssessmentSummary returns a bid's assessment summary.
func (s *server) handleAssessmentSummary(w http.ResponseWriter, r *http.Request) {
	serviceRead(w, r, s.tendersOf, func(g *tenderservice.Service, ctx context.Context, u *pathway.User) (*tenders.AssessmentSummary, error) {
		return g.Summary(ctx, u, r.PathValue("id"))
	})
}

// tenderDecision answers POST /api/tasks/{id}/decision when the task is a
// tender task (its subject a tender or a bid), and reports whether it
// did; other tasks are left to the grants service and the journey.
func (s *server) tenderDecision(w http.ResponseWriter, r *http.Request, task *pathway.Task, body []byte) bool {
	if s.tenders == nil || !tenderservice.IsTenderTask(task) {
		return false // another phase answers
	}
	serviceDecision(w, r, s.tenders, tenderservice.AnswerFor, task, body)
	return true
}
