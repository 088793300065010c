package pathway

import (
	"fmt"
	"slices"
	"strings"
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

// serviceNames says each service type in plain English. Every service a
// co-op may offer (the NAO's list of care and support services) is here, so
// a service missing from this map is not a care or support service.
var serviceNames = map[string]string{
	"home-care":          "home care",
	"supported-living":   "supported living",
	"extra-care-housing": "extra care housing",
	"shared-lives":       "Shared Lives",
	"day-care":           "day care",
	"reablement":         "reablement",
	"care-home":          "care homes",
	"nursing-care":       "nursing care",
	"carers-services":    "carers' services",
	"advice-brokerage":   "advice and brokerage",
	"equipment":          "equipment",
	"meals":              "meals",
	"telecare":           "telecare",
	"prevention":         "prevention",
}

// ServiceName returns a service type in plain English, or the code itself
// when it is not a known service.
func ServiceName(code string) string {
	if n, ok := serviceNames[code]; ok {
		return n
	}
	return code
}

// IsCareService reports whether a service type is a care or support service.
func IsCareService(code string) bool {
	_, ok := serviceNames[code]
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
			"A co-operative gives each member one vote, but %s would have more than one.", joinNames(names)))
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
	return []string{fmt.Sprintf("%s supports only %s, and the co-op offers none of these.", p.Name, joinNames(allowed))}
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

// joinNames joins names as English does: "a", "a and b", "a, b and c".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
