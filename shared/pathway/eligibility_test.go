package pathway_test

import (
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// eligibleCoop is an application every test programme accepts as it is.
func eligibleCoop() *pathway.Coop {
	return &pathway.Coop{
		ID: "coop-screen", Name: "Holme Valley Home Care Co-op", Programme: "prog-start",
		LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart, LocalAuthority: "Kirklees",
		Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
		Members: []pathway.Member{
			{Name: "Wren Oakshott", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
			{Name: "Tamsin Hale", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
			{Name: "Ivo Pennock", Class: pathway.ClassServiceUser, Role: pathway.MemberOrdinary, Votes: 1},
		},
		Stage: pathway.StageApplied,
	}
}

func screenProgramme() *pathway.Programme {
	return &pathway.Programme{
		ID: "prog-start", Name: "Care Co-op Start-up Programme", Agency: "org-cda", Pathway: pathway.PathwayStartUp,
		Open: true, PanelDays: 14,
		Eligibility: pathway.Eligibility{MinFounders: 3, EnglandOnly: true},
	}
}

func TestScreen(t *testing.T) {
	tests := []struct {
		name      string
		coop      func(c *pathway.Coop)
		programme func(p *pathway.Programme)
		want      []string // a fragment of each reason, in order; none means eligible
	}{
		{name: "eligible"},
		{name: "council written with its suffix and odd case",
			coop: func(c *pathway.Coop) { c.LocalAuthority = "KIRKLEES council" }},
		{name: "Welsh council", coop: func(c *pathway.Coop) { c.LocalAuthority = "Cardiff" },
			want: []string{`"Cardiff" is not a local authority in England`}},
		{name: "Welsh council allowed when the programme is not England-only",
			coop:      func(c *pathway.Coop) { c.LocalAuthority = "Cardiff" },
			programme: func(p *pathway.Programme) { p.Eligibility.EnglandOnly = false }},
		{name: "not a care service", coop: func(c *pathway.Coop) { c.Services = []string{"bicycle-repair"} },
			want: []string{"must provide a care or support service"}},
		{name: "service outside the programme's list",
			programme: func(p *pathway.Programme) { p.Eligibility.Services = []string{"supported-living", "shared-lives"} },
			want:      []string{"supports only supported living and Shared Lives"}},
		{name: "one of several services in the programme's list",
			coop:      func(c *pathway.Coop) { c.Services = []string{"home-care", "shared-lives"} },
			programme: func(p *pathway.Programme) { p.Eligibility.Services = []string{"shared-lives"} }},
		{name: "intends to incorporate", coop: func(c *pathway.Coop) { c.LegalForm = pathway.FormNotYetIncorporated }},
		{name: "community interest company", coop: func(c *pathway.Coop) { c.LegalForm = pathway.FormCommunityInterest }},
		{name: "private company converting", coop: func(c *pathway.Coop) {
			c.LegalForm, c.Origin = pathway.FormPrivateCompany, pathway.OriginConversion
		}},
		{name: "private company not converting", coop: func(c *pathway.Coop) { c.LegalForm = pathway.FormPrivateCompany },
			want: []string{"private company is eligible only when it is converting"}},
		{name: "unknown legal form", coop: func(c *pathway.Coop) { c.LegalForm = "sole-trader" },
			want: []string{"co-operative legal form"}},
		{name: "too few founders", coop: func(c *pathway.Coop) { c.Members = c.Members[:2] },
			want: []string{"needs at least 3 founding members; the application names 2"}},
		{name: "minimum founders of zero still needs one member",
			coop:      func(c *pathway.Coop) { c.Members = nil },
			programme: func(p *pathway.Programme) { p.Eligibility.MinFounders = 0 },
			want:      []string{"needs at least 1 founding members; the application names 0"}},
		{name: "a member with two votes", coop: func(c *pathway.Coop) { c.Members[0].Votes = 2 },
			want: []string{"one vote, but Wren Oakshott would have more than one"}},
		{name: "every rule broken, reasons in rule order",
			coop: func(c *pathway.Coop) {
				c.LocalAuthority, c.Services, c.LegalForm = "Glasgow", []string{"x"}, pathway.FormPrivateCompany
				c.Members = []pathway.Member{{Name: "A", Votes: 5}, {Name: "B", Votes: 3}}
			},
			want: []string{"not a local authority in England", "care or support service", "private company",
				"at least 3 founding members", "A and B would have more than one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := eligibleCoop(), screenProgramme()
			if tt.coop != nil {
				tt.coop(c)
			}
			if tt.programme != nil {
				tt.programme(p)
			}
			got := pathway.Screen(c, p)
			if len(got) != len(tt.want) {
				t.Fatalf("Screen() = %q, want %d reasons like %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("reason %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func TestScreenMissingRecords(t *testing.T) {
	if got := pathway.Screen(nil, screenProgramme()); len(got) != 1 {
		t.Errorf("Screen(nil, p) = %q, want one reason", got)
	}
	if got := pathway.Screen(eligibleCoop(), nil); len(got) != 1 {
		t.Errorf("Screen(c, nil) = %q, want one reason", got)
	}
}
