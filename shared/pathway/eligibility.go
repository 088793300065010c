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

// Screen checks a co-op's application against a programme's eligibility
// settings and returns the reasons it is not eligible, each a sentence in
// plain English for the founders; none means eligible. Screen reads both
// records and changes neither.
func Screen(c *Coop, p *Programme) (reasons []string) {
	if c == nil || p == nil {
		return []string{"The application or the programme is missing, so it cannot be screened."}
	}
	if p.Eligibility.EnglandOnly {
		if _, ok := EnglishLocalAuthority(c.LocalAuthority); !ok {
			reasons = append(reasons, fmt.Sprintf(
				"%q is not a local authority in England, and %s supports co-ops in England only.",
				c.LocalAuthority, p.Name))
		}
	}
	reasons = append(reasons, screenServices(c, p)...)
	reasons = append(reasons, screenLegalForm(c)...)
	if need := max(p.Eligibility.MinFounders, 1); len(c.Members) < need {
		reasons = append(reasons, fmt.Sprintf(
			"%s needs at least %d founding members; the application names %d.", p.Name, need, len(c.Members)))
	}
	if names := multiVoteMembers(c); len(names) > 0 {
		reasons = append(reasons, fmt.Sprintf(
			"A co-operative gives each member one vote, but %s would have more than one.", JoinAnd(names)))
	}
	return reasons
}

// screenServices checks that the co-op offers a care or support service and,
// when the programme names the services it supports, one of those.
func screenServices(c *Coop, p *Programme) []string {
	var care []string
	for _, s := range c.Services {
		if IsCareService(s) {
			care = append(care, s)
		}
	}
	if len(care) == 0 {
		return []string{"The co-op must provide a care or support service, such as home care or supported living."}
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
	return []string{fmt.Sprintf("%s supports only %s, and the co-op offers none of these.", p.Name, JoinAnd(allowed))}
}

// screenLegalForm checks for a co-operative legal form, or the intention to
// form one; a private company is eligible only when it is converting.
func screenLegalForm(c *Coop) []string {
	switch {
	case slices.Contains(cooperativeForms, c.LegalForm):
		return nil
	case c.LegalForm == FormPrivateCompany && c.Origin == OriginConversion:
		return nil
	case c.LegalForm == FormPrivateCompany:
		return []string{"A private company is eligible only when it is converting to a co-operative; choose conversion as how the co-op came about, or another legal form."}
	}
	return []string{"The co-op must have a co-operative legal form (such as a co-operative society) or intend to form one."}
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
