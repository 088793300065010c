package tenders

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// assessedStatuses are the statuses of bids that were assessed: each
// gets an assessment summary (s.50(3)).
var assessedStatuses = []string{BidAssessed, BidWon, BidLost, BidBelowMin}

// Summaries prepares the assessment summary of every assessed bid (after
// Rank and the award): before publishing the contract award notice the
// council gives each supplier that submitted an assessed tender its own
// scores with reasons and the winner's (Procurement Act 2023 s.50(3)-(4);
// Procurement Regulations 2024 reg 31). Each lot the bid priced says in
// plain English why it won or did not.
func Summaries(t *Tender, bids []*Bid, sentAt time.Time) []AssessmentSummary {
	byID := make(map[string]*Bid, len(bids))
	for _, b := range bids {
		byID[b.ID] = b
	}
	var out []AssessmentSummary
	for _, b := range bids {
		if !slices.Contains(assessedStatuses, b.Status) || b.Agreed == nil {
			continue
		}
		s := AssessmentSummary{Bid: b.ID, Tender: t.ID, Coop: b.Coop, Criteria: slices.Clone(t.Criteria),
			Scores: maps.Clone(b.Agreed.Scores), Reasons: maps.Clone(b.Agreed.Reasons), SentAt: sentAt}
		for _, r := range b.Results {
			s.Lots = append(s.Lots, summaryLot(t, b, r, byID))
		}
		out = append(out, s)
	}
	return out
}

// summaryLot is the summary's word on one lot.
func summaryLot(t *Tender, b *Bid, r LotResult, byID map[string]*Bid) SummaryLot {
	lot, _ := t.Lot(r.Lot)
	sl := SummaryLot{Lot: r.Lot, Result: r}
	la, awarded := awardOf(t, r.Lot)
	if awarded && la.Bid == b.ID {
		sl.Won = true
		if la.TopRanked {
			sl.Why = fmt.Sprintf("Your bid won %s: it was the most advantageous tender, ranked first with %s marks out of 100.", lot.Name, Marks(r.Total))
		} else {
			sl.Why = fmt.Sprintf("Your bid won %s: it ranked %s with %s marks out of 100, and the council chose it because: %s",
				lot.Name, ordinal(r.Rank), Marks(r.Total), la.Reason)
		}
		return sl
	}
	var winner string
	if awarded {
		if w := byID[la.Bid]; w != nil {
			if wr, ok := w.Result(r.Lot); ok {
				sl.WinnerResult = &wr
				winner = fmt.Sprintf(" The winning bid scored %s.", Marks(wr.Total))
			}
			if w.Agreed != nil {
				sl.WinnerScores = maps.Clone(w.Agreed.Scores)
			}
		}
		if !la.TopRanked {
			winner += " The council chose a bid that did not rank first, because: " + la.Reason
		}
	}
	switch {
	case r.Rank == 0:
		sl.Why = fmt.Sprintf("Your bid's quality marks, %s, were below the minimum of %s (%d%% of the quality marks), so it could not win %s.%s",
			Marks(r.Quality), Marks(t.MinQuality*qualityWeight(t)), t.MinQuality, lot.Name, winner)
	case !awarded:
		sl.Why = fmt.Sprintf("Your bid ranked %s for %s with %s marks out of 100. The lot has not been awarded.", ordinal(r.Rank), lot.Name, Marks(r.Total))
	default:
		sl.Why = fmt.Sprintf("Your bid ranked %s for %s with %s marks out of 100, and did not win.%s", ordinal(r.Rank), lot.Name, Marks(r.Total), winner)
	}
	return sl
}

// awardOf returns the award of the lot, if there is one.
func awardOf(t *Tender, lot string) (LotAward, bool) {
	if t.Award == nil {
		return LotAward{}, false
	}
	for _, la := range t.Award.Lots {
		if la.Lot == lot {
			return la, true
		}
	}
	return LotAward{}, false
}

// qualityWeight is the total weight of the quality criteria.
func qualityWeight(t *Tender) int {
	w := 0
	for _, c := range t.Criteria {
		if c.Kind == KindQuality {
			w += c.Weight
		}
	}
	return w
}
