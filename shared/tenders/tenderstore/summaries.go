package tenderstore

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// PutSummaries stores each bid's assessment summary, once: a summary
// stored already is kept as it was, so a retried step sends no other
// words than the first. Those not stored yet are written together, up to
// the table's limit of writes at a time. The events of sending them are
// the caller's (with the tender's change that records the sending).
func (s *Store) PutSummaries(ctx context.Context, sums []tenders.AssessmentSummary) error {
	for i := range sums {
		if bad(sums[i].Bid) || bad(sums[i].Tender) {
			return pathway.Invalid(map[string]string{"bid": "Each summary needs its bid and tender"})
		}
	}
	for attempt := 1; ; attempt++ {
		writes, err := s.newSummaries(ctx, sums)
		if err != nil {
			return err
		}
		err = s.putAll(ctx, writes)
		if lost(err) && attempt < maxAttempts {
			pause(ctx, attempt)
			continue // another writer stored some meanwhile
		}
		return mapErr(err)
	}
}

// newSummaries returns the writes of the summaries not stored yet.
func (s *Store) newSummaries(ctx context.Context, sums []tenders.AssessmentSummary) ([]table.Write, error) {
	var writes []table.Write
	seen := map[string]bool{}
	for i := range sums {
		if seen[sums[i].Bid] {
			continue
		}
		seen[sums[i].Bid] = true
		stored, err := s.exists(ctx, bidPK(sums[i].Bid), skSummary)
		if err != nil {
			return nil, err
		}
		if stored {
			continue
		}
		w, err := put(bidPK(sums[i].Bid), skSummary, 1, &sums[i], table.IfAbsent())
		if err != nil {
			return nil, err
		}
		writes = append(writes, w)
	}
	return writes, nil
}

// putAll applies writes in transactions of at most table.MaxWrites.
func (s *Store) putAll(ctx context.Context, writes []table.Write) error {
	for len(writes) > 0 {
		n := min(len(writes), table.MaxWrites)
		if err := s.t.Transact(ctx, writes[:n]...); err != nil {
			return err
		}
		writes = writes[n:]
	}
	return nil
}

// GetSummary returns the bid's assessment summary, or ENOTFOUND before
// it is stored.
func (s *Store) GetSummary(ctx context.Context, bid string) (*tenders.AssessmentSummary, error) {
	if bad(bid) {
		return nil, pathway.NotFound("assessment summary")
	}
	var a tenders.AssessmentSummary
	if _, err := s.get(ctx, bidPK(bid), skSummary, "assessment summary", &a); err != nil {
		return nil, err
	}
	return &a, nil
}
