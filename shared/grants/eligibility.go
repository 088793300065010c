package grants

import (
	"fmt"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Eligibility rules of a programme, as reasons name them.
const (
	RuleNotYetOpen   = "programme-not-yet-open"
	RuleClosed       = "programme-closed"
	RuleStageReached = "stage-reached"
	RuleCouncilArea  = "council-area"
	RuleServices     = "programme-services"
	RuleLegalForm    = "legal-form"
	RuleAmountRange  = "amount-range"
)

// leftJourney are the stages of co-ops that left the journey: no stage
// they reached earlier makes them eligible.
var leftJourney = []string{pathway.StageIneligible, pathway.StageDeclined, pathway.StageCQCRefused, pathway.StageWithdrawn}

// Eligible reports whether the co-op may apply to the programme on the
// UK day of now and, when not, each rule it does not meet, in the order
// of the programme's form. It reads both records and changes neither.
func Eligible(c *pathway.Coop, p *Programme, now time.Time) (bool, []pathway.Reason) {
	if c == nil || p == nil {
		return false, []pathway.Reason{{Field: "programme", Rule: "programme", Message: "The co-op or the programme is missing, so eligibility cannot be checked."}}
	}
	var rs []pathway.Reason
	rs = append(rs, openReasons(p, now)...)
	rs = append(rs, stageReasons(c, p)...)
	if len(p.Rules.CouncilAreas) > 0 && !inCouncilAreas(c.LocalAuthority, p.Rules.CouncilAreas) {
		rs = append(rs, pathway.Reason{Field: "localAuthority", Rule: RuleCouncilArea, Message: fmt.Sprintf(
			"%s funds co-ops in %s only, and the co-op serves %s.", p.Name, pathway.JoinOr(p.Rules.CouncilAreas), c.LocalAuthority)})
	}
	if len(p.Rules.Services) > 0 && !slices.ContainsFunc(c.Services, func(s string) bool { return slices.Contains(p.Rules.Services, s) }) {
		names := make([]string, len(p.Rules.Services))
		for i, s := range p.Rules.Services {
			names[i] = pathway.ServiceName(s)
		}
		rs = append(rs, pathway.Reason{Field: "services", Rule: RuleServices, Message: fmt.Sprintf(
			"%s funds only %s, and the co-op offers none of these.", p.Name, pathway.JoinOr(names))})
	}
	if len(p.Rules.LegalForms) > 0 && !slices.Contains(p.Rules.LegalForms, c.LegalForm) {
		names := make([]string, len(p.Rules.LegalForms))
		for i, f := range p.Rules.LegalForms {
			names[i] = lower(pathway.TermName(pathway.LegalForms, f))
		}
		rs = append(rs, pathway.Reason{Field: "legalForm", Rule: RuleLegalForm, Message: fmt.Sprintf(
			"%s funds only a %s, and the co-op is a %s.", p.Name, pathway.JoinOr(names), lower(pathway.TermName(pathway.LegalForms, c.LegalForm)))})
	}
	return len(rs) == 0, rs
}

// ScreenApplication is screening: the co-op's eligibility and the amount
// asked for against the programme's range.
func ScreenApplication(a *Application, c *pathway.Coop, p *Programme, now time.Time) []pathway.Reason {
	_, rs := Eligible(c, p, now)
	if a != nil && p != nil && (a.Amount < p.MinAward || a.Amount > p.MaxAward) {
		rs = append(rs, pathway.Reason{Field: "amount", Rule: RuleAmountRange, Message: fmt.Sprintf(
			"%s awards from %s to %s, and the application asks for %s.", p.Name, Pounds(p.MinAward), Pounds(p.MaxAward), Pounds(a.Amount))})
	}
	return rs
}

// openReasons says when the programme is not taking applications.
func openReasons(p *Programme, now time.Time) []pathway.Reason {
	today := Today(now)
	if today < p.OpensOn {
		return []pathway.Reason{{Field: "opensOn", Rule: RuleNotYetOpen, Message: fmt.Sprintf(
			"%s opens for applications on %s.", p.Name, dateWords(p.OpensOn))}}
	}
	if today > p.ClosesOn {
		return []pathway.Reason{{Field: "closesOn", Rule: RuleClosed, Message: fmt.Sprintf(
			"%s closed for applications on %s.", p.Name, dateWords(p.ClosesOn))}}
	}
	return nil
}

// stageReasons checks that the co-op is still on its journey and has
// reached the programme's stage.
func stageReasons(c *pathway.Coop, p *Programme) []pathway.Reason {
	if slices.Contains(leftJourney, c.Stage) {
		return []pathway.Reason{{Field: "stage", Rule: RuleStageReached, Message: fmt.Sprintf(
			"The co-op's journey has ended (%s), so it cannot apply.", lower(pathway.StageName(c.Stage)))}}
	}
	if p.Rules.StageReached == "" {
		return nil
	}
	if pathway.StageOf(c.Stage).Step < pathway.StageOf(p.Rules.StageReached).Step {
		return []pathway.Reason{{Field: "stage", Rule: RuleStageReached, Message: fmt.Sprintf(
			"%s is for co-ops that have reached the stage %q; the co-op is at %q.", p.Name,
			lower(pathway.StageName(p.Rules.StageReached)), lower(pathway.StageName(c.Stage)))}}
	}
	return nil
}

// inCouncilAreas reports whether the co-op's council is among areas,
// compared as the canonical names of English local authorities.
func inCouncilAreas(la string, areas []string) bool {
	name, ok := pathway.EnglishLocalAuthority(la)
	if !ok {
		return false
	}
	for _, a := range areas {
		if n, ok := pathway.EnglishLocalAuthority(a); ok && n == name {
			return true
		}
	}
	return false
}

// dateWords writes a YYYY-MM-DD date as people read it.
func dateWords(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("2 January 2006")
}

// lower puts the first letter in lower case, for a name in the middle
// of a sentence, but leaves an acronym ("CQC proposes…") as it is.
func lower(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || (len(s) > n && unicode.IsUpper(rune(s[n]))) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
