package tenders

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Reasons a co-op cannot bid, as pathway.Reason.Rule names them.
const (
	RuleTenderNotOpen  = "tender-not-open"
	RuleDeadlinePassed = "deadline-passed"
	RuleJourneyEnded   = "journey-ended"
	RuleNotRegistered  = "not-cqc-registered"
	RuleActivities     = "regulated-activities"
	RuleReservedBefore = "reserved-before"
)

// leftJourney are the stages of co-ops that left the journey.
var leftJourney = []string{pathway.StageIneligible, pathway.StageDeclined, pathway.StageCQCRefused, pathway.StageWithdrawn}

// CanBid says why the co-op cannot bid for the tender at now; none means
// it can. reservedBefore, found by the caller, is whether the council
// awarded the co-op a comparable reserved contract in the 3 years before
// (s.33(5)). It reads both records and changes neither.
func CanBid(t *Tender, c *pathway.Coop, reservedBefore bool, now time.Time) []pathway.Reason {
	if t == nil || c == nil {
		return []pathway.Reason{{Field: "tender", Rule: RuleTenderNotOpen, Message: "The tender or the co-op is missing, so whether it can bid cannot be checked."}}
	}
	var rs []pathway.Reason
	switch {
	case t.Status != StatusOpen:
		rs = append(rs, pathway.Reason{Field: "status", Rule: RuleTenderNotOpen, Message: fmt.Sprintf(
			"%s is not open for bids: %s.", t.Title, strings.ToLower(pathway.TermName(Statuses, t.Status)))})
	case !now.Before(t.TendersCloseAt):
		rs = append(rs, pathway.Reason{Field: "tendersCloseAt", Rule: RuleDeadlinePassed, Message: fmt.Sprintf(
			"The deadline for bids for %s passed on %s.", t.Title, pathway.FormatDate(t.TendersCloseAt))})
	}
	switch {
	case slices.Contains(leftJourney, c.Stage):
		rs = append(rs, pathway.Reason{Field: "stage", Rule: RuleJourneyEnded, Message: fmt.Sprintf(
			"The co-op's journey has ended (%s), so it cannot bid.", strings.ToLower(pathway.StageName(c.Stage)))})
	case !pathway.Registered(c.Stage):
		rs = append(rs, pathway.Reason{Field: "stage", Rule: RuleNotRegistered, Message: "The co-op must be registered with CQC (the Care Quality Commission, which registers providers of regulated care in England) before it can bid."})
	}
	if missing := missingActivities(t.RegulatedActivities, c.RegulatedActivities); len(missing) > 0 {
		rs = append(rs, pathway.Reason{Field: "regulatedActivities", Rule: RuleActivities, Message: fmt.Sprintf(
			"The services need registration with CQC for %s, and the co-op is not registered for it.", strings.ToLower(pathway.JoinAnd(missing)))})
	}
	if t.Reserved && reservedBefore {
		// s.33(5): a qualifying public service mutual has not entered into
		// a comparable contract (same kind of services, same authority,
		// reserved under s.33) in the 3 years ending with the award.
		rs = append(rs, pathway.Reason{Field: "reserved", Rule: RuleReservedBefore, Message: "The tender is reserved for public service mutuals, and the council gave the co-op a comparable reserved contract in the last 3 years, so it cannot bid (Procurement Act 2023, section 33)."})
	}
	return rs
}

// missingActivities names the activities needed that the co-op has not.
func missingActivities(need, has []string) []string {
	var names []string
	for _, a := range need {
		if !slices.Contains(has, a) {
			names = append(names, pathway.TermName(pathway.RegulatedActivities, a))
		}
	}
	return names
}

// Validate reports whether b's fields are well formed (its tags).
func (b *Bid) Validate() error { return validate(b) }

// Check reports whether b is a well-formed bid for t: its tags (the
// caller sets ID, Council and Status first), then the rules between the
// bid and the tender, each fault naming the field: lots of the tender,
// each at most once; a response for every quality and social-value
// criterion and none for others; for a reserved tender, every condition
// of a public service mutual declared met with evidence (s.33(5)-(6)).
func (b *Bid) Check(t *Tender) error {
	if err := validate(b); err != nil {
		return err
	}
	f := map[string]string{}
	seen := map[string]bool{}
	for i, l := range b.Lots {
		if _, ok := t.Lot(l.Lot); !ok {
			f[fmt.Sprintf("lots[%d].lot", i)] = fmt.Sprintf("The tender has no lot %q", l.Lot)
		} else if seen[l.Lot] {
			f[fmt.Sprintf("lots[%d].lot", i)] = "Price each lot once"
		}
		seen[l.Lot] = true
	}
	for _, c := range t.Criteria {
		if c.Scored() && blank(b.Responses[c.ID]) {
			f["responses."+c.ID] = fmt.Sprintf("Answer %q", c.Name)
		}
	}
	for id := range b.Responses {
		switch c, ok := t.Criterion(id); {
		case !ok:
			f["responses."+id] = "The tender has no criterion with this ID"
		case !c.Scored():
			f["responses."+id] = "Price is taken from the lots' prices: give no written response for it"
		}
	}
	if t.Reserved {
		for _, cond := range Conditions {
			d := b.Declarations[cond.Code]
			switch {
			case !d.Met:
				f["declarations."+cond.Code] = "Only a public service mutual can bid for this reserved tender: declare that " + lowerFirst(cond.Name)
			case blank(d.Evidence):
				f["declarations."+cond.Code+".evidence"] = "Say how the co-op meets this condition"
			}
		}
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

// lowerFirst puts the first letter in lower case, for a sentence in the
// middle of another.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
