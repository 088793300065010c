package tenders

// PLACEHOLDER written by the service helper so that tenderservice builds
// and runs before the rules helper's code lands: the signatures are those
// of TENDERS-CONTRACT.md; the bodies are simple but true. The lead deletes
// this file at merge in favour of the rules helper's.

import (
	"fmt"
	"slices"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// SettingsOf returns the council's settings with defaults.
func SettingsOf(o *pathway.Organisation) Settings {
	s := DefaultSettings
	if o == nil {
		return s
	}
	if o.LightTouchThreshold > 0 {
		s.LightTouchThreshold = o.LightTouchThreshold
	}
	if o.MinSocialValue > 0 {
		s.MinSocialValue = o.MinSocialValue
	}
	if o.OCIDPrefix != "" {
		s.OCIDPrefix = o.OCIDPrefix
	}
	return s
}

// Check checks the tender's fields and the main rules between them.
func (t *Tender) Check(s Settings) error {
	if err := validate(t); err != nil {
		return err
	}
	f := map[string]string{}
	sum, price, quality, social := 0, 0, 0, 0
	for _, c := range t.Criteria {
		sum += c.Weight
		switch c.Kind {
		case KindPrice:
			price++
		case KindQuality:
			quality++
		case KindSocialValue:
			social += c.Weight
		}
	}
	if sum != 100 {
		f["criteria"] = fmt.Sprintf("The weights must add up to 100; they add up to %d", sum)
	} else if price != 1 || quality == 0 {
		f["criteria"] = "Give exactly one price criterion and at least one quality criterion"
	} else if social < s.MinSocialValue {
		f["criteria"] = fmt.Sprintf("Social value must weigh at least %d%%", s.MinSocialValue)
	}
	var lots int64
	for _, l := range t.Lots {
		lots += l.Value
	}
	if lots != t.Value {
		f["lots"] = "The lots' values must add up to the tender's value"
	}
	if !t.QuestionsCloseAt.Before(t.TendersCloseAt) {
		f["questionsCloseAt"] = "Must be before the deadline for tenders"
	}
	if t.Term.Start > t.Term.End {
		f["term.end"] = "Must not be before the start"
	}
	if t.Reserved && (!t.LightTouch || t.Procedure != ProcedureCompetitiveFlexible) {
		f["reserved"] = "A reserved contract must be light touch and use the competitive flexible procedure"
	}
	if !t.LightTouch && !t.Standstill.Applies {
		f["standstill.applies"] = "Standstill is mandatory for a contract that is not light touch"
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	t.AboveThreshold = t.Value >= s.LightTouchThreshold
	return nil
}

// Moves lists the statuses each tender status may move to.
var Moves = map[string][]string{
	StatusDraft:       {StatusOpen, StatusCancelled},
	StatusOpen:        {StatusNoBids, StatusEvaluation, StatusCancelled},
	StatusEvaluation:  {StatusModeration, StatusCancelled},
	StatusModeration:  {StatusAward, StatusCancelled},
	StatusAward:       {StatusStandstill, StatusContracting, StatusCancelled},
	StatusStandstill:  {StatusContracting, StatusCancelled},
	StatusContracting: {StatusContracted},
}

// CanMove reports whether a tender may move between the statuses.
func CanMove(from, to string) bool { return slices.Contains(Moves[from], to) }

// Move moves the tender to the status.
func Move(t *Tender, to string, at time.Time) error {
	if !CanMove(t.Status, to) {
		return pathway.Errorf(pathway.ECONFLICT, "The tender is %q, so it cannot become %q.", t.Status, to)
	}
	t.Status, t.UpdatedAt = to, at
	return nil
}

var bidMoves = map[string][]string{
	BidSubmitted: {BidWithdrawn, BidAssessed, BidBelowMin},
	BidAssessed:  {BidWon, BidLost},
}

// MoveBid moves the bid to the status.
func MoveBid(b *Bid, to string, at time.Time) error {
	if !slices.Contains(bidMoves[b.Status], to) {
		return pathway.Errorf(pathway.ECONFLICT, "The bid is %q, so it cannot become %q.", b.Status, to)
	}
	b.Status, b.UpdatedAt = to, at
	return nil
}

// Check checks the bid against its tender.
func (b *Bid) Check(t *Tender) error {
	if err := validate(b); err != nil {
		return err
	}
	f := map[string]string{}
	seen := map[string]bool{}
	for i, l := range b.Lots {
		if seen[l.Lot] || !slices.ContainsFunc(t.Lots, func(x Lot) bool { return x.ID == l.Lot }) {
			f[fmt.Sprintf("lots[%d].lot", i)] = "Must be one of the tender's lots, once"
		}
		seen[l.Lot] = true
	}
	for _, c := range t.Criteria {
		if c.Kind != KindPrice && b.Responses[c.ID] == "" {
			f["responses."+c.ID] = "Answer " + c.Name
		}
	}
	for id := range b.Responses {
		if !slices.ContainsFunc(t.Criteria, func(c Criterion) bool { return c.ID == id && c.Kind != KindPrice }) {
			f["responses."+id] = "Is not a criterion of the tender"
		}
	}
	if t.Reserved {
		for _, c := range Conditions {
			if d := b.Declarations[c.Code]; !d.Met || d.Evidence == "" {
				f["declarations."+c.Code] = "Declare this condition met, with evidence"
			}
		}
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

// CanBid says why the co-op cannot bid (none: it can).
func CanBid(t *Tender, c *pathway.Coop, reservedBefore bool, now time.Time) []pathway.Reason {
	var rs []pathway.Reason
	if t.Status != StatusOpen || !now.Before(t.TendersCloseAt) {
		rs = append(rs, pathway.Reason{Field: "tender", Rule: "open", Message: "The tender is not open for bids"})
	}
	if pathway.StageOf(c.Stage).End() {
		rs = append(rs, pathway.Reason{Field: "coop", Rule: "journey", Message: "The co-op's journey has ended"})
	}
	covered := true
	for _, a := range t.RegulatedActivities {
		covered = covered && slices.Contains(c.RegulatedActivities, a)
	}
	if len(t.RegulatedActivities) > 0 && (!pathway.Registered(c.Stage) || !covered) {
		rs = append(rs, pathway.Reason{Field: "coop", Rule: "cqc", Message: "The co-op must be registered with CQC for the care this tender buys"})
	}
	if t.Reserved && reservedBefore {
		rs = append(rs, pathway.Reason{Field: "coop", Rule: "reserved", Message: "The council gave the co-op a reserved contract in the last 3 years"})
	}
	return rs
}

// CheckScores checks an evaluator's or the lead's scores.
func CheckScores(t *Tender, scores map[string]int, reasons map[string]string) error {
	f := map[string]string{}
	for _, c := range t.Criteria {
		if c.Kind == KindPrice {
			continue
		}
		s, ok := scores[c.ID]
		if !ok || s < 0 || s > MaxScore {
			f["scores."+c.ID] = fmt.Sprintf("Score %s from 0 to %d", c.Name, MaxScore)
		}
		if reasons[c.ID] == "" {
			f["reasons."+c.ID] = "Give a reason for the score of " + c.Name
		}
	}
	for id := range scores {
		if !slices.ContainsFunc(t.Criteria, func(c Criterion) bool { return c.ID == id && c.Kind != KindPrice }) {
			f["scores."+id] = "Is not a criterion scored by people"
		}
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

// Check checks the award against the ranked bids.
func (a *AwardAnswer) Check(t *Tender, bids []*Bid) ([]LotAward, error) {
	if err := validate(a); err != nil {
		return nil, err
	}
	f := map[string]string{}
	var out []LotAward
	for i, ch := range a.Lots {
		var rank int
		var coop string
		for _, b := range bids {
			if b.ID != ch.Bid {
				continue
			}
			for _, r := range b.Results {
				if r.Lot == ch.Lot {
					rank, coop = r.Rank, b.Coop
				}
			}
		}
		switch {
		case rank < 1:
			f[fmt.Sprintf("lots[%d].bid", i)] = "Choose a ranked bid for this lot"
		case rank > 1 && ch.Reason == "":
			f[fmt.Sprintf("lots[%d].reason", i)] = "Say why this bid and not the top-ranked one"
		}
		out = append(out, LotAward{Lot: ch.Lot, Bid: ch.Bid, Coop: coop, TopRanked: rank == 1, Reason: ch.Reason})
	}
	if len(f) > 0 {
		return nil, pathway.Invalid(f)
	}
	return out, nil
}

// ContractNoticeDue returns the last day of the contract details notice.
func ContractNoticeDue(t *Tender, signedOn string) string {
	d, err := time.Parse(time.DateOnly, signedOn)
	if err != nil {
		return ""
	}
	days := 30
	if t.LightTouch {
		days = 120
	}
	return d.AddDate(0, 0, days-1).Format(time.DateOnly)
}
