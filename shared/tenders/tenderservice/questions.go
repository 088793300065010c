package tenderservice

import (
	"context"
	"slices"
	"strings"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/oklog/ulid/v2"
)

// QuestionInput is a bidder's clarification question
// (POST /api/tenders/{id}/questions); Coop is optional.
type QuestionInput struct {
	Question string `json:"question"`
	Coop     string `json:"coop,omitempty"`
}

// AnswerInput is the council's answer (POST …/questions/{q}/answer).
type AnswerInput struct {
	Answer string `json:"answer"`
}

// Ask stores a founder's clarification question on an open tender before
// its deadline for questions.
func (s *Service) Ask(ctx context.Context, u *pathway.User, id string, in QuestionInput) (*tenders.Question, error) {
	t, err := s.visibleTender(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if u.Role != pathway.RoleFounder {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a co-op's founders can ask the council about a tender.")
	}
	now := s.now()
	if t.Status != tenders.StatusOpen || !now.Before(t.QuestionsCloseAt) {
		return nil, pathway.Errorf(pathway.ECONFLICT, "The deadline for questions about this tender has passed.")
	}
	if in.Coop != "" {
		cost.Charge(ctx, in.Coop) // the request serves this co-op's journey
		c, err := s.coop(ctx, in.Coop)
		if err != nil {
			return nil, err
		}
		if !founds(u, c) {
			return nil, pathway.Invalid(map[string]string{"coop": "Is not a co-op you are a founder of"})
		}
	}
	q := &tenders.Question{
		ID: "q-" + strings.ToLower(ulid.Make().String()), Tender: id, Asker: u.ID, Coop: in.Coop,
		Question: strings.TrimSpace(pathway.NormaliseNewlines(in.Question)), AskedAt: now,
	}
	if err := pathway.Validate(q); err != nil {
		return nil, err
	}
	e := s.tenderEvent(t, u, ActionAsked, "A bidder asked a clarification question.", map[string]string{"question": q.ID})
	e.Actor = u.ID
	if err := s.tenders.PutQuestion(ctx, q, e); err != nil {
		return nil, err
	}
	return q, nil
}

// AnswerQuestion stores the council's answer to a question, which every
// bidder then reads without the asker's name.
func (s *Service) AnswerQuestion(ctx context.Context, u *pathway.User, id, qid string, in AnswerInput) (*tenders.Question, error) {
	t, err := s.visibleTender(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !IsCouncilStaff(u, t.Council) {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only the council's staff can answer questions about its tender.")
	}
	qs, err := s.tenders.ListQuestions(ctx, id)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(qs, func(q *tenders.Question) bool { return q.ID == qid })
	if i < 0 {
		return nil, pathway.NotFound("question")
	}
	q := qs[i]
	q.Answer = strings.TrimSpace(pathway.NormaliseNewlines(in.Answer))
	if q.Answer == "" {
		return nil, pathway.Invalid(map[string]string{"answer": "Enter the answer"})
	}
	q.AnsweredAt, q.AnsweredBy = s.now(), u.ID
	if err := pathway.Validate(q); err != nil {
		return nil, err
	}
	e := s.tenderEvent(t, u, ActionAnswered, summary(u, "answered a clarification question."), map[string]string{"question": q.ID})
	if err := s.tenders.AnswerQuestion(ctx, q, e); err != nil {
		return nil, err
	}
	return q, nil
}

// Questions returns a tender's questions as u may see them: the council's
// staff every question with who asked; anyone else the answered ones and
// their own, never with the asker's name.
func (s *Service) Questions(ctx context.Context, u *pathway.User, id string) ([]tenders.Question, error) {
	t, err := s.visibleTender(ctx, u, id)
	if err != nil {
		return nil, err
	}
	qs, err := s.tenders.ListQuestions(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]tenders.Question, 0, len(qs))
	for _, q := range qs {
		switch {
		case IsCouncilStaff(u, t.Council):
			out = append(out, *q)
		case q.Answer != "" || q.Asker == u.ID:
			a := q.Anonymous()
			a.AnsweredBy = ""
			out = append(out, a)
		}
	}
	return out, nil
}
