package tenderservice

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/oklog/ulid/v2"
)

// TaskWaitChallenge is tenders.TaskWaitChallenge.
const TaskWaitChallenge = tenders.TaskWaitChallenge

// IsTenderTask reports whether the task is one of this phase's: on the
// subject of a tender or a bid.
func IsTenderTask(t *pathway.Task) bool {
	return t != nil && (t.Subject.Kind == tenders.SubjectTender || t.Subject.Kind == tenders.SubjectBid)
}

// Target is what a tender task is about: its tender and, for a task on a
// bid, the bid.
type Target struct {
	Tender *tenders.Tender
	Bid    *tenders.Bid
}

// AnswerFor returns an empty answer of the type a tender task of the kind
// takes, to decode the request body into.
func AnswerFor(kind string) (any, error) {
	switch kind {
	case tenders.TaskEvaluation, tenders.TaskModeration:
		return &tenders.ScoresAnswer{}, nil
	case tenders.TaskAward:
		return &tenders.AwardAnswer{}, nil
	case tenders.TaskContractEntry:
		return &tenders.ContractAnswer{}, nil
	case tenders.TaskContractNotice:
		return &tenders.NoticeAnswer{}, nil
	case tenders.TaskEvaluationOverdue:
		return &tenders.ExcuseAnswer{}, nil
	}
	return nil, pathway.Errorf(pathway.ECONFLICT, "Tasks of this kind cannot be answered here.")
}

// TaskToAnswer returns the open tender task id that u may answer, with
// what it is about. A task of a bid u may not see (sealed, or a declared
// conflict, for good) or of another council is ENOTFOUND, like a missing
// one; one u may see but not answer EFORBIDDEN; one answered ECONFLICT.
func (s *Service) TaskToAnswer(ctx context.Context, u *pathway.User, id string) (*pathway.Task, *Target, error) {
	t, err := pathway.TaskFor(ctx, s.store, u, id)
	if err != nil {
		return nil, nil, err
	}
	return s.AnswerableTask(ctx, u, t)
}

// AnswerableTask is TaskToAnswer for a tender task already read: it
// refuses as TaskToAnswer does, and reads the task's tender and bid.
func (s *Service) AnswerableTask(ctx context.Context, u *pathway.User, t *pathway.Task) (*pathway.Task, *Target, error) {
	if u == nil || !IsTenderTask(t) {
		return nil, nil, pathway.NotFound("task")
	}
	tg, err := s.target(ctx, u, t)
	if err != nil {
		return nil, nil, err
	}
	if !u.CanActOn(t, nil) {
		return nil, nil, pathway.Errorf(pathway.EFORBIDDEN, "%s, so you can see this task but not answer it.", whoActs(t))
	}
	if t.Status != pathway.TaskOpen {
		return nil, nil, alreadyDone()
	}
	if _, err := AnswerFor(t.Kind); err != nil {
		return nil, nil, err
	}
	return t, tg, nil
}

// target reads the task's tender (and bid), refusing as "not found" a
// task of another council's tender, or of a bid sealed or excluded for u.
func (s *Service) target(ctx context.Context, u *pathway.User, t *pathway.Task) (*Target, error) {
	tg := &Target{}
	tenderID := t.Subject.ID
	if t.Subject.Kind == tenders.SubjectBid {
		b, err := s.tenders.GetBid(ctx, t.Subject.ID)
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			return nil, pathway.NotFound("task")
		} else if err != nil {
			return nil, err
		}
		tg.Bid, tenderID = b, b.Tender
	}
	td, err := s.tenders.GetTender(ctx, tenderID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND || (err == nil && !IsCouncilStaff(u, td.Council)) {
		return nil, pathway.NotFound("task")
	} else if err != nil {
		return nil, err
	}
	tg.Tender = td
	if tg.Bid != nil {
		if Sealed(td, s.now()) {
			return nil, pathway.NotFound("task")
		}
		excluded, err := s.tenders.IsExcluded(ctx, tg.Bid.ID, u.ID)
		if err != nil {
			return nil, err
		}
		if excluded {
			return nil, pathway.NotFound("task")
		}
	}
	return tg, nil
}

// whoActs says who must answer a task.
func whoActs(t *pathway.Task) string {
	switch {
	case t.Role == pathway.RoleCommissionerLead:
		return "Only the council's lead can answer this task"
	case t.User != "":
		return "Only the evaluator assigned can answer this task"
	}
	return "Only the council's staff can answer this task"
}

// alreadyDone is the answer to a second completion.
func alreadyDone() error { return outbox.AnsweredAlready() }

// Answer answers tender task t (from TaskToAnswer) for u with ans (from
// AnswerFor, filled): the record changes first (an evaluation, the agreed
// scores, the award, the contract, the contract details notice), then the
// task is completed with the answer's delivery to the workflow in one
// transaction, and the answer is sent. A retry after the record changed
// finds it changed and only completes the task.
func (s *Service) Answer(ctx context.Context, u *pathway.User, t *pathway.Task, tg *Target, ans any) (*pathway.Task, error) {
	if _, err := s.outboxOf(); err != nil {
		return nil, err
	}
	var (
		outcome string
		err     error
	)
	switch a := ans.(type) {
	case *tenders.ScoresAnswer:
		if tg.Bid == nil {
			return nil, pathway.Errorf(pathway.ECONFLICT, "This task is not about a bid.")
		}
		if t.Kind == tenders.TaskModeration {
			outcome, err = "scores agreed", s.moderate(ctx, u, tg, a)
		} else {
			outcome, err = "scored", s.evaluate(ctx, u, tg, a)
		}
	case *tenders.AwardAnswer:
		outcome, err = "award decided", s.award(ctx, u, tg.Tender, a)
	case *tenders.ContractAnswer:
		outcome, err = "contract entered into on "+a.SignedOn, s.contract(ctx, u, tg.Tender, a)
	case *tenders.NoticeAnswer:
		outcome, err = "contract details notice published on "+a.PublishedOn, s.notice(ctx, u, tg.Tender, a)
	case *tenders.ExcuseAnswer:
		// Nothing to record but the answer: the workflow's step records
		// that the lead went on without the evaluation.
		outcome, err = "went on without the overdue evaluation", a.Validate()
	default:
		err = pathway.Errorf(pathway.ECONFLICT, "Tasks of this kind cannot be answered here.")
	}
	if err != nil {
		return nil, err
	}
	return s.complete(ctx, u, t, ans, outcome)
}

// complete closes the task with its answer and the answer's delivery in
// one transaction (the exactly-once gate, as grantservice does), then
// sends it.
func (s *Service) complete(ctx context.Context, u *pathway.User, t *pathway.Task, answer any, outcome string) (*pathway.Task, error) {
	ob, err := s.outboxOf()
	if err != nil {
		return nil, err
	}
	payload, err := json.Marshal(answer)
	if err != nil {
		return nil, err
	}
	e := &pathway.Event{
		ID: ulid.Make().String(), Subject: t.Subject, Coop: t.Coop, At: s.now(), Actor: u.ID,
		Action: pathway.ActionTaskAnswered, Summary: pathway.Clip(summary(u, "answered “%s”: %s.", t.Title, outcome), 1000),
		Data: map[string]string{"task": t.ID, "kind": t.Kind, "outcome": pathway.Clip(outcome, 200)},
	}
	done, unused, err := ob.Answer(ctx, "tenderservice", t, u.ID, payload, e)
	if err != nil {
		return nil, err
	} else if unused {
		return nil, outbox.NoLongerNeeded()
	}
	return pathway.WithoutToken(done), nil
}

// evaluate stores an evaluator's scores, once they declared no conflict.
func (s *Service) evaluate(ctx context.Context, u *pathway.User, tg *Target, a *tenders.ScoresAnswer) error {
	ev, err := s.tenders.GetEvaluation(ctx, tg.Bid.ID, u.ID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return pathway.Errorf(pathway.ECONFLICT, "Declare whether you have a conflict of interest with this bid before you score it.")
	} else if err != nil {
		return err
	}
	if ev.Conflict {
		return pathway.NotFound("task")
	}
	if err := tenders.CheckScores(tg.Tender, a.Scores, a.Reasons); err != nil {
		return err
	}
	ev.Scores, ev.Reasons, ev.ScoredAt = a.Scores, a.Reasons, s.now()
	_, err = s.tenders.PutEvaluation(ctx, ev, s.bidEvent(tg.Bid, u, ActionEvaluated, summary(u, "scored the bid."), nil))
	return err
}

// moderate stores the lead's agreed scores on the bid.
func (s *Service) moderate(ctx context.Context, u *pathway.User, tg *Target, a *tenders.ScoresAnswer) error {
	if err := tenders.CheckScores(tg.Tender, a.Scores, a.Reasons); err != nil {
		return err
	}
	b := tg.Bid
	if b.Agreed != nil && maps(b.Agreed.Scores, a.Scores) && mapsS(b.Agreed.Reasons, a.Reasons) {
		return nil // a retry: only the task is left
	}
	b.Agreed = &tenders.Moderation{Scores: a.Scores, Reasons: a.Reasons, AgreedBy: u.ID, AgreedAt: s.now()}
	b.UpdatedAt = s.now()
	return s.tenders.UpdateBid(ctx, b, s.bidEvent(b, u, ActionModerated, summary(u, "agreed the bid's scores."), nil))
}

func maps(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func mapsS(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// award checks the lead's choice per lot against the ranked bids and
// stores it as the tender's award.
func (s *Service) award(ctx context.Context, u *pathway.User, t *tenders.Tender, a *tenders.AwardAnswer) error {
	if t.Award != nil {
		return nil // a retry after the award was stored
	}
	bids, err := s.tenders.ListBids(ctx, t.ID)
	if err != nil {
		return err
	}
	lots, err := a.Check(t, bids)
	if err != nil {
		return err
	}
	now := s.now()
	t.Award, t.UpdatedAt = &tenders.Award{Lots: lots, DecidedBy: u.ID, DecidedAt: now}, now
	return s.tenders.UpdateTender(ctx, t, s.tenderEvent(t, u, ActionAwarded, summary(u, "decided the award."), nil))
}

// contract checks and stores the contract entered into, with the day its
// contract details notice (UK7) falls due.
func (s *Service) contract(ctx context.Context, u *pathway.User, t *tenders.Tender, a *tenders.ContractAnswer) error {
	if err := pathway.Validate(a); err != nil {
		return err
	}
	if t.Contract != nil {
		return nil // a retry after the contract was stored
	}
	f := map[string]string{}
	if a.End < a.Start {
		f["end"] = "Must not be before the start"
	}
	if a.SignedOn > tenders.Today(s.now()) {
		f["signedOn"] = "Must not be in the future"
	}
	if t.Period != nil && a.SignedOn < t.Period.EnterFrom {
		f["signedOn"] = "Must not be before the end of standstill: the contract may be entered into from " + t.Period.EnterFrom
	}
	if t.Award == nil {
		return pathway.Errorf(pathway.ECONFLICT, "The tender has no award yet, so no contract can be recorded.")
	}
	c := &tenders.Contract{SignedOn: a.SignedOn, Start: a.Start, End: a.End, NoticeDue: tenders.ContractNoticeDue(t, a.SignedOn), RecordedBy: u.ID, RecordedAt: s.now()}
	for i, l := range a.Lots {
		j := slices.IndexFunc(t.Award.Lots, func(x tenders.LotAward) bool { return x.Lot == l.Lot })
		if j < 0 {
			f[fmt.Sprintf("lots[%d].lot", i)] = "Is not a lot awarded"
			continue
		}
		c.Lots = append(c.Lots, tenders.ContractLot{Lot: l.Lot, Coop: t.Award.Lots[j].Coop, Bid: t.Award.Lots[j].Bid, Value: l.Value})
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	t.Contract, t.UpdatedAt = c, s.now()
	t.Notices = append(t.Notices, tenders.Notice{Type: tenders.NoticeContractDetails, Due: c.NoticeDue})
	return s.tenders.UpdateTender(ctx, t, s.tenderEvent(t, u, ActionContract, summary(u, "recorded the contract entered into on %s.", a.SignedOn), nil))
}

// notice records the contract details notice (UK7) published.
func (s *Service) notice(ctx context.Context, u *pathway.User, t *tenders.Tender, a *tenders.NoticeAnswer) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if a.PublishedOn > tenders.Today(s.now()) {
		return pathway.Invalid(map[string]string{"publishedOn": "Must not be in the future"})
	}
	i := slices.IndexFunc(t.Notices, func(n tenders.Notice) bool { return n.Type == tenders.NoticeContractDetails })
	switch {
	case i >= 0 && t.Notices[i].PublishedOn != "":
		return nil // a retry after the notice was stored
	case i >= 0:
		t.Notices[i].PublishedOn = a.PublishedOn
	default:
		t.Notices = append(t.Notices, tenders.Notice{Type: tenders.NoticeContractDetails, PublishedOn: a.PublishedOn})
	}
	t.UpdatedAt = s.now()
	return s.tenders.UpdateTender(ctx, t, s.tenderEvent(t, u, ActionNotice, summary(u, "recorded the contract details notice (UK7) published on %s.", a.PublishedOn), nil))
}
