package tenderstore

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// checkQuestion refuses a question that cannot be stored.
func checkQuestion(q *tenders.Question) error {
	if err := pathway.CheckWrite("question", q, nil); err != nil {
		return err
	}
	if bad(q.ID) {
		return pathway.Invalid(map[string]string{"id": "Must not contain #"})
	}
	return nil
}

// PutQuestion stores a new clarification question on its tender with its
// event (which may be nil; its subject the tender), in one transaction.
// A retried put of the same ID changes nothing and returns the question
// stored first in q; an ID taken by another asker's question is
// ECONFLICT. Questions are listed in ID order, so the service gives them
// ULIDs: the order asked.
func (s *Store) PutQuestion(ctx context.Context, q *tenders.Question, e *pathway.Event) error {
	if err := checkQuestion(q); err != nil {
		return err
	}
	if _, _, err := s.readTender(ctx, q.Tender); err != nil {
		return err
	}
	w, err := put(tenderPK(q.Tender), preQuestion+q.ID, 1, q, table.IfAbsent())
	if err != nil {
		return err
	}
	writes, err := withEvent([]table.Write{w}, e, tenders.Subject(q.Tender))
	if err != nil {
		return err
	}
	err = s.t.Transact(ctx, writes...)
	if table.FailedAt(err, 0) {
		_, first, gerr := s.readQuestion(ctx, q.Tender, q.ID)
		if gerr != nil {
			return gerr
		}
		if first.Asker != q.Asker || first.Coop != q.Coop {
			return pathway.Errorf(pathway.ECONFLICT, "A question with the ID %q exists already.", q.ID)
		}
		*q = *first
		return nil
	}
	return mapErr(err)
}

// AnswerQuestion stores the council's answer to the question q's Tender
// and ID name (q's Answer, AnsweredBy and AnsweredAt; the rest is kept as
// asked, whatever q holds) with its event
// (which may be nil; its subject the tender), in one transaction. A
// retried answer of the same words changes nothing; other words replace
// the answer, as a correction. q is then the stored question.
func (s *Store) AnswerQuestion(ctx context.Context, q *tenders.Question, e *pathway.Event) error {
	if q == nil {
		return pathway.Errorf(pathway.EINVALID, "No answer was given.")
	}
	if q.Answer == "" {
		return pathway.Invalid(map[string]string{"answer": "Enter the answer"})
	}
	for attempt := 1; ; attempt++ {
		it, old, err := s.readQuestion(ctx, q.Tender, q.ID)
		if err != nil {
			return err
		}
		if old.Answer == q.Answer {
			*q = *old // a retry
			return nil
		}
		rec := *old
		rec.Answer, rec.AnsweredBy, rec.AnsweredAt = q.Answer, q.AnsweredBy, q.AnsweredAt
		if err := checkQuestion(&rec); err != nil {
			return err
		}
		w, err := put(it.PK, it.SK, it.Version+1, &rec, table.IfVersion(it.Version))
		if err != nil {
			return err
		}
		writes, err := withEvent([]table.Write{w}, e, tenders.Subject(q.Tender))
		if err != nil {
			return err
		}
		err = s.t.Transact(ctx, writes...)
		if lost(err) && attempt < maxAttempts {
			pause(ctx, attempt)
			continue // another answer was written meanwhile: read it
		}
		if err != nil {
			return mapErr(err)
		}
		*q = rec
		return nil
	}
}

// readQuestion reads a question and its item, or ENOTFOUND.
func (s *Store) readQuestion(ctx context.Context, tender, id string) (*table.Item, *tenders.Question, error) {
	if bad(tender) || bad(id) {
		return nil, nil, pathway.NotFound("question")
	}
	var q tenders.Question
	it, err := s.get(ctx, tenderPK(tender), preQuestion+id, "question", &q)
	if err != nil {
		return nil, nil, err
	}
	return it, &q, nil
}

// GetQuestion returns the tender's question with the ID, asker included:
// Question.Anonymous is for other bidders' eyes.
func (s *Store) GetQuestion(ctx context.Context, tender, id string) (*tenders.Question, error) {
	_, q, err := s.readQuestion(ctx, tender, id)
	return q, err
}

// ListQuestions returns every question on the tender, answered or not,
// in ID order, askers included, read from the table.
func (s *Store) ListQuestions(ctx context.Context, tender string) ([]*tenders.Question, error) {
	out := []*tenders.Question{}
	if bad(tender) {
		return out, nil
	}
	items, err := s.queryAll(ctx, table.Query{PK: tenderPK(tender), Sort: table.SortBeginsWith, A: preQuestion})
	if err != nil {
		return nil, err
	}
	for i := range items {
		var q tenders.Question
		if err := decode(&items[i], &q); err != nil {
			return nil, err
		}
		out = append(out, &q)
	}
	return out, nil
}
