package ocds

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestCoopAndCouncilParties(t *testing.T) {
	cases := []struct {
		coop   pathway.Coop
		scheme string
		id     string
	}{
		{pathway.Coop{Name: "A", LegalForm: pathway.FormCooperativeSociety, RegisterNumber: "IP031455"}, "GB-MPR", "IP031455"},
		{pathway.Coop{Name: "B", LegalForm: pathway.FormCommunityBenefit, RegisterNumber: "7654R"}, "GB-MPR", "7654R"},
		{pathway.Coop{Name: "C", LegalForm: pathway.FormCommunityInterest, RegisterNumber: "9506232"}, "GB-COH", "09506232"},
		{pathway.Coop{Name: "D", LegalForm: pathway.FormGuarantee, RegisterNumber: "SC123456"}, "GB-COH", "SC123456"},
		{pathway.Coop{Name: "E", LegalForm: pathway.FormNotYetIncorporated}, "", ""},
		{pathway.Coop{Name: "F", LegalForm: pathway.FormCooperativeSociety}, "", ""},
	}
	for _, c := range cases {
		p := CoopParty(&c.coop)
		if p.Name != c.coop.Name || p.Scheme != c.scheme || p.RegisterID != c.id {
			t.Errorf("CoopParty(%+v) = %+v", c.coop, p)
		}
	}
	p := CouncilParty(&pathway.Organisation{Name: "Examplebury Council", OrgID: "GB-LAE-XMP"})
	if p != (Party{Name: "Examplebury Council", Scheme: "GB-LAE", RegisterID: "XMP"}) {
		t.Errorf("CouncilParty = %+v", p)
	}
	if p := CouncilParty(&pathway.Organisation{Name: "No id"}); p.Scheme != "" || p.RegisterID != "" {
		t.Errorf("CouncilParty without org-id = %+v", p)
	}
}
