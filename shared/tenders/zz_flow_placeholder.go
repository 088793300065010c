package tenders

// Placeholders written by the flow helper so that the tender workflow's
// steps compile before the rules helper's code lands: each has the
// signature of TENDERS-CONTRACT.md and a simple real body. The lead
// deletes this file at merge in favour of the rules helper's.

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// StatusMove is one allowed change of a tender's status.
type StatusMove struct{ From, To string }

// Moves is the tender status table.
var Moves = []StatusMove{
	{StatusDraft, StatusOpen}, {StatusOpen, StatusNoBids}, {StatusOpen, StatusEvaluation},
	{StatusEvaluation, StatusModeration}, {StatusModeration, StatusAward}, {StatusAward, StatusStandstill},
	{StatusAward, StatusContracting}, {StatusStandstill, StatusContracting}, {StatusContracting, StatusContracted},
	{StatusDraft, StatusCancelled}, {StatusOpen, StatusCancelled}, {StatusEvaluation, StatusCancelled},
	{StatusModeration, StatusCancelled}, {StatusAward, StatusCancelled}, {StatusStandstill, StatusCancelled},
}

// CanMove reports whether the table allows from → to.
func CanMove(from, to string) bool {
	return slices.Contains(Moves, StatusMove{from, to})
}

// Move changes the tender's status if the table allows it.
func Move(t *Tender, to string, at time.Time) error {
	if !CanMove(t.Status, to) {
		return pathway.Errorf(pathway.ECONFLICT, "The tender is %q, so it cannot become %q.", t.Status, to)
	}
	t.Status, t.UpdatedAt = to, at
	return nil
}

var bidMoves = []StatusMove{{BidSubmitted, BidWithdrawn}, {BidSubmitted, BidAssessed},
	{BidSubmitted, BidBelowMin}, {BidAssessed, BidWon}, {BidAssessed, BidLost}}

// MoveBid changes the bid's status if the table allows it.
func MoveBid(b *Bid, to string, at time.Time) error {
	if !slices.Contains(bidMoves, StatusMove{b.Status, to}) {
		return pathway.Errorf(pathway.ECONFLICT, "The bid is %q, so it cannot become %q.", b.Status, to)
	}
	b.Status, b.UpdatedAt = to, at
	return nil
}

// Rank sets Results and Status of the bids with agreed scores.
func Rank(t *Tender, bids []*Bid) {
	qualityWeight := 0
	for _, c := range t.Criteria {
		if c.Kind == KindQuality {
			qualityWeight += c.Weight
		}
	}
	var in []*Bid
	for _, b := range bids {
		if b.Agreed == nil || b.Status == BidWithdrawn {
			continue
		}
		b.Results = nil
		q, sv := 0, 0
		for _, c := range t.Criteria {
			m := b.Agreed.Scores[c.ID] * c.Weight * 100 / MaxScore
			switch c.Kind {
			case KindQuality:
				q += m
			case KindSocialValue:
				sv += m
			}
		}
		if q*100 < t.MinQuality*qualityWeight*100 {
			b.Status = BidBelowMin
			for _, lp := range b.Lots {
				b.Results = append(b.Results, LotResult{Lot: lp.Lot, Quality: q, SocialValue: sv, Total: q + sv})
			}
			continue
		}
		b.Status = BidAssessed
		for _, lp := range b.Lots {
			b.Results = append(b.Results, LotResult{Lot: lp.Lot, Quality: q, SocialValue: sv})
		}
		in = append(in, b)
	}
	priceWeight := 0
	for _, c := range t.Criteria {
		if c.Kind == KindPrice {
			priceWeight += c.Weight
		}
	}
	for _, lot := range t.Lots {
		type entry struct {
			b     *Bid
			r     *LotResult
			price int64
		}
		var es []entry
		var lowest int64
		for _, b := range in {
			for i, lp := range b.Lots {
				if lp.Lot == lot.ID {
					es = append(es, entry{b, &b.Results[i], lp.Price})
					if lowest == 0 || lp.Price < lowest {
						lowest = lp.Price
					}
				}
			}
		}
		for _, e := range es {
			num := lowest * int64(priceWeight) * 100
			e.r.Price = int((2*num + e.price) / (2 * e.price))
			e.r.Total = e.r.Quality + e.r.SocialValue + e.r.Price
		}
		sort.SliceStable(es, func(i, j int) bool {
			a, b := es[i], es[j]
			if a.r.Total != b.r.Total {
				return a.r.Total > b.r.Total
			}
			if a.price != b.price {
				return a.price < b.price
			}
			return a.b.CreatedAt.Before(b.b.CreatedAt)
		})
		for i, e := range es {
			e.r.Rank = i + 1
		}
	}
}

// Summaries returns one assessment summary per assessed bid.
func Summaries(t *Tender, bids []*Bid, sentAt time.Time) []AssessmentSummary {
	byID := map[string]*Bid{}
	for _, b := range bids {
		byID[b.ID] = b
	}
	winner := map[string]*Bid{}
	if t.Award != nil {
		for _, la := range t.Award.Lots {
			winner[la.Lot] = byID[la.Bid]
		}
	}
	var out []AssessmentSummary
	for _, b := range bids {
		switch b.Status {
		case BidAssessed, BidWon, BidLost, BidBelowMin:
		default:
			continue
		}
		s := AssessmentSummary{Bid: b.ID, Tender: t.ID, Coop: b.Coop, Criteria: t.Criteria, SentAt: sentAt}
		if b.Agreed != nil {
			s.Scores, s.Reasons = b.Agreed.Scores, b.Agreed.Reasons
		}
		for _, r := range b.Results {
			l := SummaryLot{Lot: r.Lot, Result: r}
			w := winner[r.Lot]
			switch {
			case b.Status == BidBelowMin:
				l.Why = "Its quality score was below the tender's minimum, so it could not win."
			case w != nil && w.ID == b.ID:
				l.Won, l.Why = true, "It was the most advantageous tender for this lot."
			default:
				l.Why = fmt.Sprintf("It ranked %d; another tender was chosen as the most advantageous.", r.Rank)
			}
			if w != nil && w.ID != b.ID {
				for _, wr := range w.Results {
					if wr.Lot == r.Lot {
						wr := wr
						l.WinnerResult = &wr
					}
				}
				if w.Agreed != nil {
					l.WinnerScores = w.Agreed.Scores
				}
			}
			s.Lots = append(s.Lots, l)
		}
		out = append(out, s)
	}
	return out
}

// ContractNoticeDue is the last day for the contract details notice:
// 30 days beginning with the day the contract is entered into, 120 for
// light touch.
func ContractNoticeDue(t *Tender, signedOn string) string {
	d, err := time.Parse(time.DateOnly, signedOn)
	if err != nil {
		return ""
	}
	n := 30
	if t.LightTouch {
		n = 120
	}
	return d.AddDate(0, 0, n-1).Format(time.DateOnly)
}

// Calculator works out a standstill of workingDays from the day an award
// notice is published: its last day and the first day the contract may be
// entered into.
type Calculator func(from string, workingDays int) (lastDay, enterFrom string, err error)

// StandstillPeriodOf returns the standstill from publishedOn by calc.
func StandstillPeriodOf(t *Tender, publishedOn string, calc Calculator) (*StandstillPeriod, error) {
	last, enter, err := calc(publishedOn, t.Standstill.WorkingDays)
	if err != nil {
		return nil, err
	}
	return &StandstillPeriod{From: publishedOn, LastDay: last, EnterFrom: enter}, nil
}
