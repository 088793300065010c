// Package grantservice is the service layer of the grants phase: who may
// see and do what with grant programmes and applications, the views the
// API and the pages show, and the answers to grant tasks, which move the
// money (shared/grants/grantstore) and then reach the grant workflow
// through the outbox (shared/outbox), never lost.
//
// Who sees what:
//   - funder staff see their funder's programmes and applications; a
//     reviewer who declared a conflict of interest is told an application
//     is not found, for good; before declaring, staff other than the lead
//     see of an application under review only the co-op's name, council
//     area and the names of its members and founders;
//   - founders see open programmes, with each of their co-ops' eligibility,
//     and their co-ops' applications;
//   - the agency that supports a co-op sees its applications and awards.
//
// It knows nothing of HTTP, so shared/web (JSON) and the pages share one
// set of rules.
package grantservice

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// Service runs the grants phase's use cases.
type Service struct {
	store  pathway.Store
	grants *grantstore.Store
	wf     pathway.Workflows
	ob     *outbox.Outbox
	blobs  pathway.Files // evidence files' storage (WithFiles), or nil
	now    func() time.Time
	log    *slog.Logger
}

// New returns the service over the stores and the workflows. wf may be nil
// where no workflows run (then applying and answering tasks fail with an
// internal error); now nil means time.Now.
func New(store pathway.Store, gs *grantstore.Store, wf pathway.Workflows, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	s := &Service{store: store, grants: gs, wf: wf, now: now, log: slog.Default()}
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

// Grants returns the grants repository the service reads and writes.
func (s *Service) Grants() *grantstore.Store { return s.grants }

// outboxOf returns the outbox, or an internal error when no workflows are
// configured (a wiring mistake, never the caller's fault).
func (s *Service) outboxOf() (*outbox.Outbox, error) { return outbox.Required(s.ob, "grantservice") }

// IsFunderStaff reports whether u works for the funder.
func IsFunderStaff(u *pathway.User, funder string) bool {
	return u != nil && u.Role == pathway.RoleFunder && funder != "" && u.Organisation == funder
}

// IsFunderLead reports whether u is a lead of the funder: they create and
// change programmes and decide applications.
func IsFunderLead(u *pathway.User, funder string) bool { return IsFunderStaff(u, funder) && u.Lead }

// notFound is the answer to anything the caller may not see.
func notFound() error { return pathway.NotFound("grant application") }

// newEvent returns an event on the application's trail, by u, now.
func (s *Service) newEvent(a *grants.Application, u *pathway.User, action, summary string, data map[string]string) *pathway.Event {
	return &pathway.Event{
		ID: ulid.Make().String(), Subject: grants.Subject(a.ID), Coop: a.Coop, At: s.now(), Actor: u.ID,
		Action: action, Summary: pathway.Clip(summary, 1000), Data: data,
	}
}

// coop returns the co-op, or nil when it is missing.
func (s *Service) coop(ctx context.Context, id string) (*pathway.Coop, error) {
	c, err := s.store.GetCoop(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil
	}
	return c, err
}

// seesCoop reports whether u is a founder of the co-op or works for the
// agency that supports it.
func (s *Service) seesCoop(ctx context.Context, u *pathway.User, c *pathway.Coop) (bool, error) {
	if c == nil {
		return false, nil
	}
	switch u.Role {
	case pathway.RoleFounder:
		return slices.Contains(c.Founders, u.ID), nil
	case pathway.RoleAgency:
		p, err := s.store.GetProgramme(ctx, c.Programme)
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			return false, nil
		} else if err != nil {
			return false, err
		}
		return u.CanSeeCoop(c, p), nil
	}
	return false, nil
}

// pounds writes pence as pounds, for the audit trail.
func pounds(p int64) string { return grants.Pounds(p) }

// summary writes an event's words with the actor's name.
func summary(u *pathway.User, format string, args ...any) string {
	return u.Name + " " + fmt.Sprintf(format, args...)
}
