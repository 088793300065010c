package grantservice

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// WithdrawnAnswer is what every wait of the grant workflow gets when the
// founders withdraw the application: the steps after it see the status
// withdrawn and the workflow ends.
var WithdrawnAnswer = json.RawMessage(`{"withdrawn":true}`)

// withdrawable are the statuses the founders may withdraw from: sent but
// not yet decided (grants.Moves allows these to withdrawn).
var withdrawable = []string{grants.StatusSubmitted, grants.StatusInReview, grants.StatusAwaitingDecision}

// CanWithdraw reports whether u may withdraw the application now: a
// founder of its co-op, before the decision.
func CanWithdraw(u *pathway.User, c *pathway.Coop, a *grants.Application) bool {
	return u != nil && u.Role == pathway.RoleFounder && c != nil && slices.Contains(c.Founders, u.ID) &&
		a != nil && slices.Contains(withdrawable, a.Status)
}

// Withdraw moves a founder's application that is not yet decided to
// withdrawn, with its event, in one transaction; then cancels its open
// tasks (so they leave every inbox), each with the answer {"withdrawn":true}
// to the workflow's wait through the outbox, so the workflow ends. A retry
// after the move finishes the cancelling and returns the application.
func (s *Service) Withdraw(ctx context.Context, u *pathway.User, id, reason string) (*ApplicationView, error) {
	if _, err := s.outboxOf(); err != nil {
		return nil, err
	}
	a, c, acc, d, err := s.read(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if u.Role != pathway.RoleFounder || !slices.Contains(c.Founders, u.ID) {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only the co-op's founders can withdraw its grant application.")
	}
	reason = strings.TrimSpace(pathway.NormaliseNewlines(reason))
	if len(reason) > 2000 {
		return nil, pathway.Invalid(map[string]string{"reason": "Must be 2,000 characters or fewer"})
	}
	if a.Status != grants.StatusWithdrawn {
		if !slices.Contains(withdrawable, a.Status) {
			return nil, pathway.Errorf(pathway.ECONFLICT, "The application is %q, so it can no longer be withdrawn.",
				pathway.TermName(grants.Statuses, a.Status))
		}
		from := a.Status
		if err := grants.Move(a, grants.StatusWithdrawn, s.now()); err != nil {
			return nil, err
		}
		words := summary(u, "withdrew the application.")
		var data map[string]string
		if reason != "" {
			words, data = summary(u, "withdrew the application: %s", reason), map[string]string{"reason": pathway.Clip(reason, 500)}
		}
		e := s.newEvent(a, u, grants.ActionWithdrawn, words, data)
		e.From, e.To = from, grants.StatusWithdrawn
		if err := s.grants.UpdateApplication(ctx, a, e); err != nil {
			return nil, err
		}
	}
	if err := s.cancelTasks(ctx, u, a); err != nil {
		return nil, err
	}
	return s.view(ctx, u, a, c, acc, d)
}

// cancelTasks cancels the application's open tasks, each with the
// withdrawn answer's delivery in the same transaction, then sends them.
// Tasks sharing a token (a review and its overdue escalation) answer it
// once: the outbox finds the second one unused.
func (s *Service) cancelTasks(ctx context.Context, u *pathway.User, a *grants.Application) error {
	ob, err := s.outboxOf()
	if err != nil {
		return err
	}
	tasks, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: grants.Subject(a.ID)})
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if t.Status != pathway.TaskOpen {
			continue
		}
		c := pathway.TaskCompletion{By: u.ID, At: s.now(), Outcome: WithdrawnAnswer, Status: pathway.TaskCancelled}
		if t.Token != "" {
			c.Delivery = ob.NewAnswer(t, u.ID, WithdrawnAnswer)
		}
		_, err := s.store.CompleteTask(ctx, t.ID, c)
		if code := pathway.ErrorCode(err); code == pathway.ECONFLICT || code == pathway.ENOTFOUND {
			continue // answered or cancelled meanwhile
		} else if err != nil {
			return err
		}
		if c.Delivery != nil {
			if _, err := ob.Send(ctx, c.Delivery); err != nil {
				s.log.ErrorContext(ctx, "grantservice: sending a withdrawal to the workflow", "task", t.ID, "err", err)
			}
		}
	}
	return nil
}

// Withdrawable reports whether an application in the status may still be
// withdrawn (the pages offer the button only then).
func Withdrawable(status string) bool { return slices.Contains(withdrawable, status) }
