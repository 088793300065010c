// Package tenderservice is the service layer of the tenders phase: who may
// see and do what with councils' tenders and co-ops' bids, the views the
// API and the pages show, and the answers to tender tasks, which change
// the records (shared/tenders/tenderstore) and then reach the tender
// workflow through the outbox (shared/outbox), never lost.
//
// Who sees what:
//   - council staff (commissioners) see their council's tenders in every
//     status, and only the count of bids (Tender.Bids) until the
//     tender's deadline: before it, every bid is "not found" to them
//     (sealed bids); after it, the lead sees every bid, other staff a
//     bid's content only after declaring no conflict of interest; whoever
//     declared a conflict is told the bid is not found, for good;
//   - founders see published tenders, with whether each of their co-ops
//     can bid and why not, and their co-ops' bids;
//   - anyone signed in reads a published tender and its answered
//     clarification questions, never who asked.
//
// It knows nothing of HTTP, so shared/web (JSON) and the pages share one
// set of rules.
package tenderservice

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/oklog/ulid/v2"
)

// Service runs the tenders phase's use cases.
type Service struct {
	store   pathway.Store
	tenders *tenderstore.Store
	wf      pathway.Workflows
	ob      *outbox.Outbox
	blobs   pathway.Files // bids' files' storage (WithFiles), or nil
	now     func() time.Time
	log     *slog.Logger
}

// New returns the service over the stores and the workflows. wf may be nil
// where no workflows run (then publishing and answering tasks fail with an
// internal error); now nil means time.Now.
func New(store pathway.Store, ts *tenderstore.Store, wf pathway.Workflows, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	s := &Service{store: store, tenders: ts, wf: wf, now: now, log: slog.Default()}
	s.ob = outbox.For(store, wf, now, s.log)
	return s
}

// WithLogger makes the service log to l what it does not return, and
// returns the service.
func (s *Service) WithLogger(l *slog.Logger) *Service {
	if l != nil {
		s.log = l
		s.ob = outbox.For(s.store, s.wf, s.now, l)
	}
	return s
}

// TenderStore returns the tenders repository the service reads and writes.
func (s *Service) TenderStore() *tenderstore.Store { return s.tenders }

// outboxOf returns the outbox, or an internal error when no workflows are
// configured (a wiring mistake, never the caller's fault).
func (s *Service) outboxOf() (*outbox.Outbox, error) { return outbox.Required(s.ob, "tenderservice") }

// IsCouncilStaff reports whether u works for the council.
func IsCouncilStaff(u *pathway.User, council string) bool {
	return u != nil && u.Role == pathway.RoleCommissioner && council != "" && u.Organisation == council
}

// IsCouncilLead reports whether u is a lead of the council: they write and
// publish tenders, moderate, award and record the contract.
func IsCouncilLead(u *pathway.User, council string) bool { return IsCouncilStaff(u, council) && u.Lead }

// Sealed reports whether the tender's bids are still sealed at now: until
// its deadline passes no council user reads them.
func Sealed(t *tenders.Tender, now time.Time) bool { return now.Before(t.TendersCloseAt) }

// tenderEvent returns an event on the tender's trail, by u, now.
func (s *Service) tenderEvent(t *tenders.Tender, u *pathway.User, action, summary string, data map[string]string) *pathway.Event {
	return &pathway.Event{
		ID: ulid.Make().String(), Subject: tenders.Subject(t.ID), At: s.now(), Actor: u.ID,
		Action: action, Summary: pathway.Clip(summary, 1000), Data: data,
	}
}

// bidEvent returns an event on the bid's trail, by u, now.
func (s *Service) bidEvent(b *tenders.Bid, u *pathway.User, action, summary string, data map[string]string) *pathway.Event {
	return &pathway.Event{
		ID: ulid.Make().String(), Subject: tenders.BidSubject(b.ID), Coop: b.Coop, At: s.now(), Actor: u.ID,
		Action: action, Summary: pathway.Clip(summary, 1000), Data: data,
	}
}

// Actions of the tenders phase's audit trail.
const (
	ActionCreated     = "tender.created"
	ActionUpdated     = "tender.updated"
	ActionPublished   = "tender.published"
	ActionAsked       = "tender.question-asked"
	ActionAnswered    = "tender.question-answered"
	ActionChallenge   = "tender.challenge-recorded"
	ActionOutcome     = "tender.challenge-decided"
	ActionAwarded     = "tender.awarded"
	ActionContract    = "tender.contract-entered"
	ActionNotice      = "tender.notice-published"
	ActionBidSent     = "bid.submitted"
	ActionBidChanged  = "bid.changed"
	ActionBidWithdrew = "bid.withdrawn"
	ActionNoConflict  = "bid.no-conflict"
	ActionConflict    = "bid.conflict"
	ActionEvaluated   = "bid.evaluated"
	ActionModerated   = "bid.moderated"
)

// coop returns the co-op, or nil when it is missing.
func (s *Service) coop(ctx context.Context, id string) (*pathway.Coop, error) {
	c, err := s.store.GetCoop(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil
	}
	return c, err
}

// founds reports whether u is a founder of the co-op.
func founds(u *pathway.User, c *pathway.Coop) bool {
	return u != nil && u.Role == pathway.RoleFounder && c != nil && slices.Contains(c.Founders, u.ID)
}

// summary writes an event's words with the actor's name.
func summary(u *pathway.User, format string, args ...any) string {
	return u.Name + " " + fmt.Sprintf(format, args...)
}
