package ocds

import (
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Party is what a package says about an organisation in the process: the
// council or a co-op. Scheme and RegisterID are its org-id list code and
// its id on that list (GB-LAE + XMP, GB-MPR + IP031455); both empty when
// it has none yet.
type Party struct {
	Name       string
	Scheme     string
	RegisterID string
}

// CouncilParty is a council organisation's party: its org-id (e.g.
// "GB-LAE-XMP") split into list code and id.
func CouncilParty(o *pathway.Organisation) Party {
	p := Party{Name: o.Name}
	p.Scheme, p.RegisterID = splitOrgID(o.OrgID)
	return p
}

// CoopParty is a co-op's party: a registered society by its FCA mutuals
// register number (GB-MPR), a company by its Companies House number
// (GB-COH, 8 characters, leading zeros kept); a co-op with no number yet
// by name only.
func CoopParty(c *pathway.Coop) Party {
	p := Party{Name: c.Name}
	number := strings.ToUpper(strings.Join(strings.Fields(c.RegisterNumber), ""))
	if number == "" {
		return p
	}
	switch c.LegalForm {
	case pathway.FormCooperativeSociety, pathway.FormCommunityBenefit:
		p.Scheme, p.RegisterID = "GB-MPR", number
	case pathway.FormCommunityInterest, pathway.FormGuarantee, pathway.FormPrivateCompany:
		if len(number) < 8 && strings.Trim(number, "0123456789") == "" {
			number = strings.Repeat("0", 8-len(number)) + number // spreadsheets drop them
		}
		p.Scheme, p.RegisterID = "GB-COH", number
	}
	return p
}

// splitOrgID splits an org-id into its list code (country and register,
// "GB-MPR") and the id on the list, which may hold hyphens itself.
func splitOrgID(orgID string) (scheme, id string) {
	parts := strings.SplitN(orgID, "-", 3)
	if len(parts) < 3 || parts[2] == "" {
		return "", ""
	}
	return parts[0] + "-" + parts[1], parts[2]
}

// organization turns a Party into an OCDS party with an id unique in the
// process: its org-id when it has one, else kind-<pathway id> ("coop-c7"),
// which does not change while the pathway holds it.
func organization(kind, pathwayID string, p Party, roles ...string) Organization {
	o := Organization{ID: kind + "-" + pathwayID, Name: p.Name, Roles: roles}
	if p.Scheme != "" && p.RegisterID != "" {
		o.ID = p.Scheme + "-" + p.RegisterID
		o.Identifier = &Identifier{Scheme: p.Scheme, ID: p.RegisterID, LegalName: p.Name}
	}
	return o
}

func (o Organization) ref() OrganizationReference {
	return OrganizationReference{ID: o.ID, Name: o.Name}
}
