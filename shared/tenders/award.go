package tenders

import (
	"cmp"
	"fmt"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Validate reports whether the answer's fields are well formed (its
// tags) and names each lot once; Check holds it to the tender and bids.
func (a *AwardAnswer) Validate() error {
	if err := validate(a); err != nil {
		return err
	}
	f := map[string]string{}
	seen := map[string]bool{}
	for i, c := range a.Lots {
		if seen[c.Lot] {
			f[fmt.Sprintf("lots[%d].lot", i)] = "Choose one bid for each lot: this lot is chosen twice"
		}
		seen[c.Lot] = true
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

// Check holds the lead's award to the tender and its ranked bids (after
// Rank) and returns the award per lot, in the tender's order. Every lot
// with at least one ranked bid is chosen exactly once; the bid chosen
// priced the lot and is ranked in it; choosing another than the
// top-ranked needs a reason. The Act awards to the most advantageous
// tender (s.19), which the ranking finds; the reason records why the
// lead judged otherwise.
func (a *AwardAnswer) Check(t *Tender, bids []*Bid) ([]LotAward, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	byID := make(map[string]*Bid, len(bids))
	for _, b := range bids {
		byID[b.ID] = b
	}
	f := map[string]string{}
	chosen := map[string]LotAward{}
	for i, c := range a.Lots {
		at := fmt.Sprintf("lots[%d]", i)
		if _, ok := t.Lot(c.Lot); !ok {
			f[at+".lot"] = fmt.Sprintf("The tender has no lot %q", c.Lot)
			continue
		}
		b := byID[c.Bid]
		if b == nil || b.Tender != t.ID {
			f[at+".bid"] = "There is no such bid for this tender"
			continue
		}
		r, ok := b.Result(c.Lot)
		switch {
		case !ok:
			f[at+".bid"] = "This bid did not price the lot"
			continue
		case r.Rank < 1:
			f[at+".bid"] = "This bid is out of the competition for the lot (below the minimum quality score, or not assessed)"
			continue
		case r.Rank > 1 && blank(c.Reason):
			f[at+".reason"] = fmt.Sprintf("This bid ranked %s, not first: say why it is the most advantageous tender", ordinal(r.Rank))
			continue
		}
		chosen[c.Lot] = LotAward{Lot: c.Lot, Bid: b.ID, Coop: b.Coop, TopRanked: r.Rank == 1, Reason: c.Reason}
	}
	var out []LotAward
	for _, l := range t.Lots {
		if la, ok := chosen[l.ID]; ok {
			out = append(out, la)
		} else if ranked(bids, l.ID) && !named(a, l.ID) {
			f["lots"] = fmt.Sprintf("Choose a bid for %s", l.Name)
		}
	}
	if len(f) > 0 {
		return nil, pathway.Invalid(f)
	}
	return out, nil
}

// ranked reports whether any bid is ranked in the lot.
func ranked(bids []*Bid, lot string) bool {
	for _, b := range bids {
		if r, ok := b.Result(lot); ok && r.Rank > 0 {
			return true
		}
	}
	return false
}

// named reports whether the answer names the lot (rightly or not).
func named(a *AwardAnswer, lot string) bool {
	for _, c := range a.Lots {
		if c.Lot == lot {
			return true
		}
	}
	return false
}

// ordinal writes 1 as "1st", 2 as "2nd", 11 as "11th".
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// Validate reports whether the answer is well formed: its tags, the
// contract's end on or after its start, and each lot's value once.
func (a *ContractAnswer) Validate() error {
	if err := validate(a); err != nil {
		return err
	}
	f := map[string]string{}
	if a.End < a.Start {
		f["end"] = "The contract's end must be on or after its start"
	}
	seen := map[string]bool{}
	for i, l := range a.Lots {
		if seen[l.Lot] {
			f[fmt.Sprintf("lots[%d].lot", i)] = "Give each lot's value once"
		}
		seen[l.Lot] = true
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

// Check holds the answer to the tender's award: a value for every lot
// awarded and for no other, and, where a standstill ran, a contract
// entered into no earlier than the first day allowed (s.51: a contract
// may not be entered into before the standstill ends). It returns the
// contract's lots with their suppliers.
func (a *ContractAnswer) Check(t *Tender) ([]ContractLot, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if t.Award == nil {
		return nil, pathway.Errorf(pathway.ECONFLICT, "No lot has been awarded yet, so no contract can be recorded.")
	}
	f := map[string]string{}
	if t.Period != nil && a.SignedOn < t.Period.EnterFrom {
		f["signedOn"] = "The contract may not be entered into before the standstill ends: sign it on or after " + dateWords(t.Period.EnterFrom)
	}
	awarded := map[string]LotAward{}
	for _, la := range t.Award.Lots {
		awarded[la.Lot] = la
	}
	var out []ContractLot
	given := map[string]bool{}
	for i, l := range a.Lots {
		la, ok := awarded[l.Lot]
		if !ok {
			f[fmt.Sprintf("lots[%d].lot", i)] = fmt.Sprintf("Lot %q was not awarded", l.Lot)
			continue
		}
		given[l.Lot] = true
		out = append(out, ContractLot{Lot: l.Lot, Coop: la.Coop, Bid: la.Bid, Value: l.Value})
	}
	for _, la := range t.Award.Lots {
		if !given[la.Lot] {
			lot, _ := t.Lot(la.Lot)
			f["lots"] = fmt.Sprintf("Give the contract's value for %s", cmp.Or(lot.Name, la.Lot))
		}
	}
	if len(f) > 0 {
		return nil, pathway.Invalid(f)
	}
	return out, nil
}
