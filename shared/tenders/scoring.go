package tenders

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// FullMarks is a bid's total when it scores full marks on every
// criterion: marks are in hundredths of a percentage point.
const FullMarks = 100 * 100

// CheckScores reports whether scores and reasons score the tender's
// criteria as evaluators and the lead must: every quality and
// social-value criterion scored 0 to MaxScore with a reason, and nothing
// for price (computed, never scored by a person) or unknown IDs.
func CheckScores(t *Tender, scores map[string]int, reasons map[string]string) error {
	f := map[string]string{}
	for _, c := range t.Criteria {
		if !c.Scored() {
			continue
		}
		s, ok := scores[c.ID]
		switch {
		case !ok:
			f["scores."+c.ID] = fmt.Sprintf("Score %q from 0 to %d", c.Name, MaxScore)
		case s < 0 || s > MaxScore:
			f["scores."+c.ID] = fmt.Sprintf("Must be from 0 to %d", MaxScore)
		}
		if blank(reasons[c.ID]) {
			f["reasons."+c.ID] = fmt.Sprintf("Give the reason for the score of %q", c.Name)
		}
	}
	for field, ids := range map[string][]string{"scores": keys(scores), "reasons": keys(reasons)} {
		for _, id := range ids {
			switch c, ok := t.Criterion(id); {
			case !ok:
				f[field+"."+id] = "The tender has no criterion with this ID"
			case !c.Scored():
				f[field+"."+id] = "Price is scored from the prices bid, not by a person"
			}
		}
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

func keys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// Validate reports whether the answer's fields are well formed (its
// tags); Check holds it to a tender's criteria.
func (a *ScoresAnswer) Validate() error { return validate(a) }

// Check reports whether the answer scores t's criteria (CheckScores).
func (a *ScoresAnswer) Check(t *Tender) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return CheckScores(t, a.Scores, a.Reasons)
}

// Rank scores and ranks the bids still in competition: those with Agreed
// set and status submitted, assessed or below-minimum (withdrawn, won and
// lost bids are left as they are). For each it sets Results, one per lot
// of the tender it priced, in the tender's order, and Status: assessed,
// or below-minimum when its quality marks are below MinQuality percent of
// the quality criteria's weights.
//
// Marks are in hundredths of a percentage point. A criterion of weight w
// scored s gives s×w×100÷5. Price gives lowest×w×100÷price, rounded half
// up, where lowest is the lowest price for the lot among the bids still
// in, so the lowest price gets full marks (the tender's
// PriceLowestProportional). Bids are ranked per lot by Total; a tie goes
// to the lower price, then to the bid sent first. Bids below the minimum
// get no price marks and Rank 0.
func Rank(t *Tender, bids []*Bid) {
	var in []*Bid
	for _, b := range bids {
		if b.Agreed != nil && slices.Contains([]string{BidSubmitted, BidAssessed, BidBelowMin}, b.Status) {
			in = append(in, b)
		}
	}
	qw := qualityWeight(t)
	for _, b := range in {
		q, sv := scoredMarks(t, b.Agreed.Scores)
		b.Status = BidAssessed
		// Full quality marks are qw×100; the minimum is
		// MinQuality percent of that.
		if q < t.MinQuality*qw {
			b.Status = BidBelowMin
		}
		b.Results = nil
		for _, l := range t.Lots {
			if _, ok := priceOf(b, l.ID); ok {
				b.Results = append(b.Results, LotResult{Lot: l.ID, Quality: q, SocialValue: sv, Total: q + sv})
			}
		}
	}
	price, _ := priceCriterion(t)
	for _, l := range t.Lots {
		rankLot(l.ID, price.Weight, in)
	}
}

// scoredMarks adds up the marks of the quality and social-value criteria.
func scoredMarks(t *Tender, scores map[string]int) (quality, social int) {
	for _, c := range t.Criteria {
		m := scores[c.ID] * c.Weight * 100 / MaxScore
		switch c.Kind {
		case KindQuality:
			quality += m
		case KindSocialValue:
			social += m
		}
	}
	return quality, social
}

// rankLot gives the price marks and ranks of one lot among the bids in
// that priced it and met the minimum.
func rankLot(lot string, weight int, in []*Bid) {
	type entry struct {
		b     *Bid
		r     *LotResult
		price int64
	}
	var es []entry
	for _, b := range in {
		p, ok := priceOf(b, lot)
		if !ok || b.Status != BidAssessed {
			continue
		}
		es = append(es, entry{b, result(b, lot), p})
	}
	if len(es) == 0 {
		return
	}
	lowest := slices.MinFunc(es, func(a, b entry) int { return cmp.Compare(a.price, b.price) }).price
	for _, e := range es {
		// lowest×w×100÷price rounded half up, in integers.
		e.r.Price = int((2*lowest*int64(weight)*100 + e.price) / (2 * e.price))
		e.r.Total = e.r.Quality + e.r.SocialValue + e.r.Price
	}
	slices.SortStableFunc(es, func(a, b entry) int {
		return cmp.Or(cmp.Compare(b.r.Total, a.r.Total), cmp.Compare(a.price, b.price),
			a.b.CreatedAt.Compare(b.b.CreatedAt), cmp.Compare(a.b.ID, b.b.ID))
	})
	for i, e := range es {
		e.r.Rank = i + 1
	}
}

// priceOf returns b's price for the lot.
func priceOf(b *Bid, lot string) (int64, bool) {
	for _, l := range b.Lots {
		if l.Lot == lot {
			return l.Price, true
		}
	}
	return 0, false
}

// result returns b's result for the lot, or nil.
func result(b *Bid, lot string) *LotResult {
	for i := range b.Results {
		if b.Results[i].Lot == lot {
			return &b.Results[i]
		}
	}
	return nil
}

// Result returns the bid's result for the lot, and whether it has one.
func (b *Bid) Result(lot string) (LotResult, bool) {
	if r := result(b, lot); r != nil {
		return *r, true
	}
	return LotResult{}, false
}

// priceCriterion returns the tender's price criterion.
func priceCriterion(t *Tender) (Criterion, bool) {
	for _, c := range t.Criteria {
		if c.Kind == KindPrice {
			return c, true
		}
	}
	return Criterion{}, false
}

// Marks writes marks in hundredths of a percentage point as people read
// them: 8240 is "82.40".
func Marks(m int) string { return fmt.Sprintf("%d.%02d", m/100, m%100) }
