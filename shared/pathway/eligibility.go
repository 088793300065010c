package pathway

import (
	"fmt"
	"slices"
)

// Origins: how a co-op came about.
const (
	OriginNewStart       = "new-start"
	OriginConversion     = "conversion"
	OriginSpinOut        = "spin-out"
	OriginPartnership    = "partnership"
	OriginSocietyVenture = "society-venture"
	OriginContracting    = "contracting"
)

// ServiceName returns a service type in plain English, as it reads in a
// sentence, or the code itself when it is not a known service.
func ServiceName(code string) string {
	if t, ok := TermOf(Services, code); ok {
		return t.Name
	}
	return code
}

// IsCareService reports whether a service type is a care or support service.
func IsCareService(code string) bool {
	_, ok := TermOf(Services, code)
	return ok
}

// cooperativeForms are legal forms a co-operative can take (with
// co-operative rules or articles), plus the stated intention to take one.
var cooperativeForms = []string{
	FormCooperativeSociety, FormCommunityBenefit, FormCommunityInterest,
	FormGuarantee, FormNotYetIncorporated,
}

// Eligibility rules, as the screening's reasons name them.
const (
	RuleEngland      = "england-only"
	RuleCareService  = "care-service"
	RuleServices     = "programme-services"
	RuleLegalForm    = "co-operative-legal-form"
	RuleMinFounders  = "minimum-founders"
	RuleOneMemberOne = "one-member-one-vote"
)

// RuleNames say each eligibility rule in plain English.
var RuleNames = map[string]string{
	RuleEngland:      "The co-op must serve a council area in England",
	RuleCareService:  "The co-op must provide a care or support service",
	RuleServices:     "The co-op must offer a service the programme supports",
	RuleLegalForm:    "The co-op must have, or intend to have, a co-operative legal form",
	RuleMinFounders:  "The application must name enough founding members",
	RuleOneMemberOne: "Each member has one vote",
}

// Reason is one rule an application does not meet: the answer at fault
// (a field of the application), the rule, and a sentence for the founders.
type Reason struct {
	Field   string `json:"field"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Screen checks a co-op's application against a programme's eligibility
// settings and returns the reasons it is not eligible, each a sentence in
// plain English for the founders; none means eligible. Screen reads both
// records and changes neither. It says ScreenReasons' messages.
func Screen(c *Coop, p *Programme) (reasons []string) {
	for _, r := range ScreenReasons(c, p) {
		reasons = append(reasons, r.Message)
	}
	return reasons
}

// ScreenReasons is the screening: the one home of the eligibility rules,
// which the application workflow's screening step, the eligibility
// checker and the check-your-answers page all call. It returns the rules
// the application does not meet, in the order of the form.
func ScreenReasons(c *Coop, p *Programme) (reasons []Reason) {
	if c == nil || p == nil {
		return []Reason{{Field: "programme", Rule: "programme", Message: "The application or the programme is missing, so it cannot be screened."}}
	}
	if p.Eligibility.EnglandOnly {
		if _, ok := EnglishLocalAuthority(c.LocalAuthority); !ok {
			reasons = append(reasons, Reason{"localAuthority", RuleEngland, fmt.Sprintf(
				"%q is not a local authority in England, and %s supports co-ops in England only.",
				c.LocalAuthority, p.Name)})
		}
	}
	reasons = append(reasons, screenServices(c, p)...)
	reasons = append(reasons, screenLegalForm(c)...)
	if need := max(p.Eligibility.MinFounders, 1); len(c.Members) < need {
		reasons = append(reasons, Reason{"members", RuleMinFounders, fmt.Sprintf(
			"%s needs at least %d founding members; the application names %d.", p.Name, need, len(c.Members))})
	}
	if names := multiVoteMembers(c); len(names) > 0 {
		reasons = append(reasons, Reason{"members", RuleOneMemberOne, fmt.Sprintf(
			"A co-operative gives each member one vote, but %s would have more than one.", JoinAnd(names))})
	}
	return reasons
}

// screenServices checks that the co-op offers a care or support service and,
// when the programme names the services it supports, one of those.
func screenServices(c *Coop, p *Programme) []Reason {
	var care []string
	for _, s := range c.Services {
		if IsCareService(s) {
			care = append(care, s)
		}
	}
	if len(care) == 0 {
		return []Reason{{"services", RuleCareService, "The co-op must provide a care or support service, such as home care or supported living."}}
	}
	if len(p.Eligibility.Services) == 0 {
		return nil
	}
	for _, s := range care {
		if slices.Contains(p.Eligibility.Services, s) {
			return nil
		}
	}
	allowed := make([]string, len(p.Eligibility.Services))
	for i, s := range p.Eligibility.Services {
		allowed[i] = ServiceName(s)
	}
	return []Reason{{"services", RuleServices, fmt.Sprintf("%s supports only %s, and the co-op offers none of these.", p.Name, JoinAnd(allowed))}}
}

// screenLegalForm checks for a co-operative legal form, or the intention to
// form one; a private company is eligible only when it is converting.
func screenLegalForm(c *Coop) []Reason {
	switch {
	case slices.Contains(cooperativeForms, c.LegalForm):
		return nil
	case c.LegalForm == FormPrivateCompany && c.Origin == OriginConversion:
		return nil
	case c.LegalForm == FormPrivateCompany:
		return []Reason{{"legalForm", RuleLegalForm, "A private company is eligible only when it is converting to a co-operative; choose conversion as how the co-op came about, or another legal form."}}
	}
	return []Reason{{"legalForm", RuleLegalForm, "The co-op must have a co-operative legal form (such as a co-operative society) or intend to form one."}}
}

// multiVoteMembers returns the names of members with more than one vote.
func multiVoteMembers(c *Coop) []string {
	var names []string
	for _, m := range c.Members {
		if m.Votes > 1 {
			names = append(names, m.Name)
		}
	}
	return names
}
