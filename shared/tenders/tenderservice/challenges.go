package tenderservice

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// challengeable are the statuses in which a challenge to the award may
// be recorded: once the award is decided, until the contract is entered.
var challengeable = []string{tenders.StatusAward, tenders.StatusStandstill, tenders.StatusContracting}

// RecordChallenge records a supplier's challenge to the award, which
// during standstill keeps the contract from being entered into until its
// outcome is recorded. The same challenge recorded again (a retry) is
// returned as it is.
func (s *Service) RecordChallenge(ctx context.Context, u *pathway.User, id string, in tenders.ChallengeInput) (*tenders.Challenge, error) {
	t, err := s.visibleTender(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !IsCouncilLead(u, t.Council) {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a lead of the council can record a challenge.")
	}
	in.From, in.Summary = strings.TrimSpace(in.From), strings.TrimSpace(pathway.NormaliseNewlines(in.Summary))
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.Received > tenders.Today(s.now()) {
		return nil, pathway.Invalid(map[string]string{"received": "Must not be in the future"})
	}
	for _, c := range t.Challenges {
		if c.Received == in.Received && c.From == in.From && c.Summary == in.Summary {
			return &c, nil
		}
	}
	if !slices.Contains(challengeable, t.Status) {
		return nil, pathway.Errorf(pathway.ECONFLICT, "The tender is %q: a challenge to the award can be recorded only once the award is decided and before the contract is entered into.",
			pathway.TermName(tenders.Statuses, t.Status))
	}
	now := s.now()
	c := tenders.Challenge{ID: fmt.Sprintf("c%d", len(t.Challenges)+1), Received: in.Received, From: in.From, Summary: in.Summary,
		Status: tenders.ChallengeOpen, RecordedBy: u.ID, RecordedAt: now}
	t.Challenges, t.UpdatedAt = append(t.Challenges, c), now
	e := s.tenderEvent(t, u, ActionChallenge, summary(u, "recorded a challenge from %s.", c.From), map[string]string{"challenge": c.ID})
	if err := s.tenders.UpdateTender(ctx, t, e); err != nil {
		return nil, err
	}
	return &c, nil
}

// ChallengeResult is the answer the workflow's wait on challenges gets
// when the last open challenge's outcome is recorded.
type ChallengeResult struct {
	Challenge string `json:"challenge"`
	Outcome   string `json:"outcome"`
}

// DecideChallenge records a challenge's outcome. When no challenge is left
// open, the workflow's wait on them (a tender-wait-challenge task), if
// one is open, is completed through the outbox, so the contract may be
// entered into. Recording the same outcome again finishes that step.
func (s *Service) DecideChallenge(ctx context.Context, u *pathway.User, id, cid string, in tenders.ChallengeOutcome) (*tenders.Challenge, error) {
	t, err := s.visibleTender(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !IsCouncilLead(u, t.Council) {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a lead of the council can record a challenge's outcome.")
	}
	i := slices.IndexFunc(t.Challenges, func(c tenders.Challenge) bool { return c.ID == cid })
	if i < 0 {
		return nil, pathway.NotFound("challenge")
	}
	in.Summary = strings.TrimSpace(pathway.NormaliseNewlines(in.Summary))
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c := &t.Challenges[i]
	switch {
	case c.Status == in.Outcome:
		// a retry: the outcome stands; finish the workflow's wait below
	case c.Status != tenders.ChallengeOpen:
		return nil, pathway.Errorf(pathway.ECONFLICT, "This challenge's outcome was recorded already.")
	default:
		now := s.now()
		c.Status, c.Outcome, c.DecidedAt, t.UpdatedAt = in.Outcome, in.Summary, now, now
		e := s.tenderEvent(t, u, ActionOutcome, summary(u, "recorded the outcome of the challenge from %s: %s.", c.From, in.Outcome),
			map[string]string{"challenge": c.ID, "outcome": in.Outcome})
		if err := s.tenders.UpdateTender(ctx, t, e); err != nil {
			return nil, err
		}
	}
	out := *c
	if slices.ContainsFunc(t.Challenges, func(c tenders.Challenge) bool { return c.Status == tenders.ChallengeOpen }) {
		return &out, nil
	}
	return &out, s.endWait(ctx, u, t, ChallengeResult{Challenge: c.ID, Outcome: c.Status})
}

// endWait completes the workflow's open wait on challenges, if any, with
// the answer's delivery in the same transaction.
func (s *Service) endWait(ctx context.Context, u *pathway.User, t *tenders.Tender, res ChallengeResult) error {
	tasks, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: tenders.Subject(t.ID)})
	if err != nil {
		return err
	}
	for _, tk := range tasks {
		if tk.Kind != TaskWaitChallenge || tk.Status != pathway.TaskOpen {
			continue
		}
		if _, err := s.complete(ctx, u, tk, res, "no challenge left open"); err != nil && pathway.ErrorCode(err) != pathway.ECONFLICT {
			return err
		}
	}
	return nil
}

// Summary returns a bid's assessment summary (s.50) to its co-op's
// founders and the council's staff (not one excluded from the bid),
// once the summaries are sent.
func (s *Service) Summary(ctx context.Context, u *pathway.User, bid string) (*tenders.AssessmentSummary, error) {
	b, t, c, _, _, err := s.readBid(ctx, u, bid)
	if err != nil {
		return nil, err
	}
	if !founds(u, c) && !IsCouncilStaff(u, t.Council) {
		return nil, pathway.NotFound("assessment summary")
	}
	if t.Award == nil || t.Award.SummariesSentAt.IsZero() {
		return nil, pathway.NotFound("assessment summary")
	}
	a, err := s.tenders.GetSummary(ctx, b.ID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, pathway.NotFound("assessment summary")
	}
	return a, err
}
