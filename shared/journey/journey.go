// Package journey is the service layer of the programme-entry and CQC
// registration journey: it decides who may see and do what, assembles the
// views the API and the pages show, and turns people's answers into the
// payloads the workflows wait for.
//
// It knows nothing of HTTP, so shared/web (JSON) and the pages (HTML forms)
// share one set of rules.
package journey

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// Service runs the journey's use cases over a store and the workflows.
type Service struct {
	store pathway.Store
	wf    pathway.Workflows
	ob    *outbox.Outbox
	now   func() time.Time
	log   *slog.Logger
	// invitations invites co-founders by email (founders.go); nil: none.
	invitations pathway.Invitations
	blobs       pathway.Files // evidence files' storage (WithFiles), or nil
	// moreFounderTasks lists a co-op's founder tasks on other subjects
	// (grant applications) for the founders' inbox (WithFounderTasks).
	moreFounderTasks FounderTasks
	// mailer and site send at once the mail a request records (mail.go).
	mailer pathway.Mailer
	site   string
}

// New returns the service. wf may be nil where no workflows run (then
// applying and answering tasks fail with an internal error); now nil means
// time.Now.
func New(store pathway.Store, wf pathway.Workflows, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	s := &Service{store: store, wf: wf, now: now, log: slog.Default()}
	s.ob = outbox.For(store, wf, now, s.log)
	return s
}

// WithLogger makes the service log to l the failures it does not return
// (bookkeeping after an answer was delivered), and returns the service.
func (s *Service) WithLogger(l *slog.Logger) *Service {
	if l != nil {
		s.log = l
		s.ob = outbox.For(s.store, s.wf, s.now, l)
	}
	return s
}

// Outbox returns the outbox the service records deliveries in, or nil
// without workflows; the composition roots sweep it.
func (s *Service) Outbox() *outbox.Outbox { return s.ob }

// outboxOf returns the outbox, or an internal error when no workflows are
// configured (a wiring mistake, never the caller's fault).
func (s *Service) outboxOf() (*outbox.Outbox, error) { return outbox.Required(s.ob, "journey") }

// workflows returns the workflow service, or an internal error when none
// is configured (a wiring mistake, never the caller's fault).
func (s *Service) workflows() (pathway.Workflows, error) {
	if s.wf == nil {
		return nil, pathway.Errorf(pathway.EINTERNAL, "journey: no workflows configured")
	}
	return s.wf, nil
}

// Coop returns a co-op the user may see and its programme (nil if the
// programme is missing). A co-op the user may not see is ENOTFOUND, exactly
// like a missing one, so its existence is not disclosed.
func (s *Service) Coop(ctx context.Context, u *pathway.User, id string) (*pathway.Coop, *pathway.Programme, error) {
	if u == nil || id == "" || len(id) > 64 {
		return nil, nil, pathway.NotFound("co-op")
	}
	c, err := s.store.GetCoop(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		// A fresh error value, whatever the adapter said, so a hidden
		// co-op and a missing one read the same.
		return nil, nil, pathway.NotFound("co-op")
	} else if err != nil {
		return nil, nil, err
	}
	p, err := s.store.GetProgramme(ctx, c.Programme)
	if err != nil && pathway.ErrorCode(err) != pathway.ENOTFOUND {
		return nil, nil, err
	}
	if !u.CanSeeCoop(c, p) {
		return nil, nil, pathway.NotFound("co-op")
	}
	cost.Charge(ctx, c.ID) // the request serves this co-op's journey
	return c, p, nil
}

// newEvent returns an event by the user, now, with a fresh ULID.
func (s *Service) newEvent(coop string, u *pathway.User, action, summary string, data map[string]string) *pathway.Event {
	return &pathway.Event{
		ID: ulid.Make().String(), Coop: coop, At: s.now(), Actor: u.ID,
		Action: action, Summary: pathway.Clip(summary, 1000), Data: data,
	}
}

// unavailable returns an EUNAVAILABLE error with the message for people,
// wrapping the cause so that logs show it (pathway.ErrorCode still finds
// the *pathway.Error); shared/web answers it with 503.
func unavailable(cause error, msg string) error {
	return fmt.Errorf("%w (cause: %w)", &pathway.Error{Code: pathway.EUNAVAILABLE, Message: msg}, cause)
}
