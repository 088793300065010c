package pathway_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func validCoop() *pathway.Coop {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	return &pathway.Coop{
		ID: "coop-1", Name: "Calder Valley Care Co-op", Programme: "prog-start",
		LegalForm: pathway.FormCooperativeSociety, Origin: "new-start", LocalAuthority: "Calderdale",
		Services: []string{"home-care"}, RegulatedActivities: []string{"personal-care"},
		Members: []pathway.Member{{Name: "Ada Fenwick", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Stage:   pathway.StageApplied, StageEnteredAt: now, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
}

func TestCoopValidateNamesEachFieldInPlainEnglish(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *pathway.Coop)
		field  string
		want   string
	}{
		{"missing name", func(c *pathway.Coop) { c.Name = "" }, "name", "Enter the name"},
		{"short name", func(c *pathway.Coop) { c.Name = "A" }, "name", "Must be at least 2 characters"},
		{"missing local authority", func(c *pathway.Coop) { c.LocalAuthority = "" }, "localAuthority", "Enter the local authority"},
		{"unknown legal form", func(c *pathway.Coop) { c.LegalForm = "plc" }, "legalForm", "Must be one of: co-operative-society, community-benefit-society, community-interest-company, company-limited-by-guarantee, not-yet-incorporated, private-company"},
		{"no services", func(c *pathway.Coop) { c.Services = nil }, "services", "Enter the services"},
		{"unknown service", func(c *pathway.Coop) { c.Services = []string{"gardening"} }, "services[0]", "Must be one of: home-care, supported-living, extra-care-housing, shared-lives, day-care, reablement, care-home, nursing-care, carers-services, advice-brokerage, equipment, meals, telecare, prevention"},
		{"repeated service", func(c *pathway.Coop) { c.Services = []string{"home-care", "home-care"} }, "services", "Each value may appear only once"},
		{"member without class", func(c *pathway.Coop) { c.Members[0].Class = "" }, "members[0].class", "Enter the class"},
		{"unknown stage", func(c *pathway.Coop) { c.Stage = "flying" }, "stage", "Must be a known stage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCoop()
			tt.mutate(c)
			err := c.Validate()
			if got := pathway.ErrorCode(err); got != pathway.EINVALID {
				t.Fatalf("code = %q, want invalid (err %v)", got, err)
			}
			fields := pathway.ErrorFields(err)
			if fields[tt.field] != tt.want {
				t.Errorf("fields[%q] = %q, want %q (all: %v)", tt.field, fields[tt.field], tt.want, fields)
			}
		})
	}
}

func TestValidRecordsPass(t *testing.T) {
	if err := validCoop().Validate(); err != nil {
		t.Fatalf("valid co-op: %v", err)
	}
	p := &pathway.Programme{ID: "prog-start", Name: "Start-up", Agency: "org-a", Pathway: pathway.PathwayStartUp,
		Eligibility: pathway.Eligibility{MinFounders: 3}, PanelDays: 14}
	if err := p.Validate(); err != nil {
		t.Fatalf("valid programme: %v", err)
	}
	u := &pathway.User{ID: "u1", Name: "Bea Holroyd", Role: pathway.RoleFounder}
	if err := u.Validate(); err != nil {
		t.Fatalf("founder without organisation: %v", err)
	}
}

func TestStaffNeedAnOrganisation(t *testing.T) {
	u := &pathway.User{ID: "u2", Name: "Cal Brearley", Role: pathway.RoleAgency}
	if got := pathway.ErrorFields(u.Validate())["organisation"]; got != "Enter the organisation" {
		t.Fatalf("organisation message = %q", got)
	}
}

func TestSlugIDs(t *testing.T) {
	o := &pathway.Organisation{ID: "Org One", Name: "Org One", Kind: pathway.OrgAgency}
	if got := pathway.ErrorFields(o.Validate())["id"]; got != "Use only lower-case letters, digits and hyphens" {
		t.Fatalf("id message = %q", got)
	}
}

func TestChecklistLinkMustBeURL(t *testing.T) {
	i := &pathway.ChecklistItem{Coop: "c", ID: "SOP-01", Group: pathway.GroupPurpose, Title: "Aims", Status: pathway.ItemDone, Link: "not a link"}
	if got := pathway.ErrorFields(i.Validate())["link"]; got == "" {
		t.Fatal("a bad link passed validation")
	}
	i.Link = ""
	if err := i.Validate(); err != nil {
		t.Fatalf("empty link is allowed: %v", err)
	}
}
