package journey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Resubmit sends a screened-out application again, corrected: only a
// founder of the co-op may, only while it is ineligible. The co-op takes
// the new answers, moves back to applied (pathway.FounderMoves), and
// counts a new attempt; its event and the start of the application
// workflow's new execution (named after the co-op and the attempt,
// pathway.ApplicationExecution) are stored in the same transaction, and
// the start is sent after, as Apply's is.
//
// A retried request is safe: once the co-op has left the ineligible
// stage with these answers, Resubmit only makes sure this attempt's
// execution is started (its name is the same, so nothing starts twice);
// and answers exactly as screened out before are refused, since the
// screening would refuse them again.
func (s *Service) Resubmit(ctx context.Context, u *pathway.User, coopID string, a Application) (*CoopView, error) {
	if err := MayApply(u); err != nil {
		return nil, err
	}
	c, p, err := s.Coop(ctx, u, coopID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(c.Founders, u.ID) {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only the co-op's founders can send its application again.")
	}
	a.normalise()
	if a.Programme == "" {
		a.Programme = c.Programme
	}
	if a.Programme != c.Programme {
		return nil, pathway.Invalid(map[string]string{"programme": "An application can be sent again only to the programme it was sent to"})
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	same := ApplicationOf(c).Fingerprint() == a.Fingerprint()
	switch {
	case c.Stage != pathway.StageIneligible && same && c.Attempt >= 2:
		if err := s.startAttempt(ctx, c); err != nil {
			return nil, err
		}
		return s.view(ctx, u, c, p)
	case c.Stage != pathway.StageIneligible:
		return nil, pathway.Errorf(pathway.ECONFLICT,
			"Only an application that did not meet the eligibility rules can be sent again; this one is at the %s stage.", pathway.Words(c.Stage))
	case same:
		return nil, pathway.Errorf(pathway.ECONFLICT,
			"These are the answers the screening refused. Change the answers the reasons name, then send the application again.")
	}
	if p == nil {
		return nil, pathway.NotFound("programme")
	}
	return s.resend(ctx, u, c, p, a)
}

// resend stores the corrected application as the co-op's next attempt
// with its event and workflow start, then sends the start.
func (s *Service) resend(ctx context.Context, u *pathway.User, c *pathway.Coop, p *pathway.Programme, a Application) (*CoopView, error) {
	ob, err := s.outboxOf()
	if err != nil {
		return nil, err
	}
	from := c.Stage
	next := a.coop(c.ID, u.ID, s.now())
	c.Name, c.LegalForm, c.Origin, c.LocalAuthority = next.Name, next.LegalForm, next.Origin, next.LocalAuthority
	c.Services, c.RegulatedActivities, c.Members = next.Services, next.RegulatedActivities, next.Members
	c.Attempt = pathway.AttemptNumber(c) + 1
	if err := pathway.Move(c, pathway.StageApplied, s.now()); err != nil {
		return nil, err
	}
	e := s.newEvent(c.ID, u, pathway.ActionApplicationResent,
		fmt.Sprintf("%s sent the application to %s again (attempt %d).", u.Name, p.Name, c.Attempt),
		map[string]string{"attempt": fmt.Sprint(c.Attempt)})
	e.From, e.To = from, pathway.StageApplied
	input, _ := json.Marshal(pathway.CoopStart{CoopID: c.ID})
	start := ob.NewStart(pathway.CoopSubject(c.ID), pathway.WorkflowApplication, pathway.ApplicationExecution(c), input, u.ID)
	if err := s.store.UpdateCoopStart(ctx, c, e, start); err != nil {
		return nil, err
	}
	if _, err := ob.Send(ctx, start); err != nil {
		s.log.ErrorContext(ctx, "journey: recording a workflow start", "coop", c.ID, "err", err)
	}
	return s.view(ctx, u, c, p)
}

// startAttempt starts the application workflow's execution of the co-op's
// current attempt, for a retried resubmission: already started is done.
func (s *Service) startAttempt(ctx context.Context, c *pathway.Coop) error {
	wf, err := s.workflows()
	if err != nil {
		return err
	}
	input, _ := json.Marshal(pathway.CoopStart{CoopID: c.ID})
	err = wf.StartExecution(context.WithoutCancel(ctx), pathway.WorkflowApplication, pathway.ApplicationExecution(c), input)
	if err == nil || errors.Is(err, pathway.ErrAlreadyStarted) {
		return nil
	}
	return unavailable(err, "Your application is saved, but we could not start processing it just now. Send it again and we will carry on from where we stopped.")
}

// MayResubmit reports whether u may send co-op c's application again
// now, for a page to offer the way to do it.
func MayResubmit(u *pathway.User, c *pathway.Coop) bool {
	return u != nil && u.Role == pathway.RoleFounder && c.Stage == pathway.StageIneligible && slices.Contains(c.Founders, u.ID)
}
