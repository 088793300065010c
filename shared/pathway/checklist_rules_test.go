package pathway_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func itemIDs(items []*pathway.ChecklistItem) []string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

func itemByID(items []*pathway.ChecklistItem, id string) *pathway.ChecklistItem {
	for _, it := range items {
		if it.ID == id {
			return it
		}
	}
	return nil
}

func TestBuildChecklistForPersonalCare(t *testing.T) {
	c := eligibleCoop()
	c.Members = append(c.Members,
		pathway.Member{Name: "Ossian Marr", Class: pathway.ClassCommunity, Role: pathway.MemberCommitteeMember},
		pathway.Member{Name: "Bryony Keld", Class: pathway.ClassWorker, Role: pathway.MemberNominatedIndividual})
	items := pathway.BuildChecklist(c)
	want := []string{
		"ORG-LEGAL", "ORG-PREM", "RA-SCOPE",
		"PPL-NI", "PPL-RM", "PPL-FPPR-1", "PPL-FPPR-2", "PPL-REC",
		"SOP-01", "SOP-02", "SOP-03", "SOP-04", "SOP-05",
		"POL-CONSENT", "POL-EDHR", "POL-GOV", "POL-IPC", "POL-MEDS", "POL-RECRUIT", "POL-SAFEG", "POL-COMPLAINTS",
		"FIN-BP", "FIN-FVS", "ORG-INS-EL", "ORG-INS-PL", "ORG-INS-PI", "SUB-READY",
	}
	if got := itemIDs(items); !slices.Equal(got, want) {
		t.Fatalf("item IDs = %v\nwant %v", got, want)
	}
	for _, it := range items {
		if err := it.Validate(); err != nil {
			t.Errorf("%s does not validate: %v", it.ID, err)
		}
		if it.Coop != c.ID || it.Status != pathway.ItemNotStarted || it.Guidance == "" {
			t.Errorf("%s = %+v, want the co-op's ID, not started, with guidance", it.ID, it)
		}
		wantRequired := it.ID != "ORG-INS-PL" && it.ID != "ORG-INS-PI"
		if it.Required != wantRequired {
			t.Errorf("%s required = %v, want %v", it.ID, it.Required, wantRequired)
		}
	}
	checks := []struct{ id, group, title, guidance string }{
		{"PPL-FPPR-1", pathway.GroupPeople, "Fit and proper person checks: Wren Oakshott", "Reg 5"},
		{"PPL-FPPR-2", pathway.GroupPeople, "Fit and proper person checks: Ossian Marr", "Reg 5"},
		{"PPL-RM", pathway.GroupPeople, "Registered manager: Tamsin Hale", "countersigned enhanced DBS certificate with the adult barred list, less than 12 months old"},
		{"PPL-NI", pathway.GroupPeople, "Nominated individual: Bryony Keld", "Reg 6"},
		{"PPL-REC", pathway.GroupPeople, "Safer recruitment", "Reg 19 and Schedule 3"},
		{"SOP-03", pathway.GroupPurpose, "provider and registered manager contact details", "Reg 12 and Schedule 3, CQC (Registration) Regulations 2009"},
		{"SOP-05", pathway.GroupPurpose, "locations", "Schedule 3"},
		{"RA-SCOPE", pathway.GroupOrganisation, "Regulated activities", "register for personal care."},
		{"ORG-LEGAL", pathway.GroupOrganisation, "legal registration", "certificate of registration"},
		{"ORG-INS-EL", pathway.GroupInsurance, "Employers' liability", "Legally required"},
		{"POL-SAFEG", pathway.GroupPolicies, "safeguarding lead", "Reg 13"},
		{"FIN-FVS", pathway.GroupFinance, "viability", "accountant"},
		{"SUB-READY", pathway.GroupSubmission, "Ready to apply", "incomplete"},
	}
	for _, ck := range checks {
		it := itemByID(items, ck.id)
		// A citation is in Why ("Why we ask"); the plain words in Guidance.
		says := it.Guidance
		if strings.Contains(ck.guidance, "Reg ") || strings.Contains(ck.guidance, "Schedule") {
			says = it.Why
		}
		if it.Group != ck.group || !strings.Contains(it.Title, ck.title) || !strings.Contains(says, ck.guidance) {
			t.Errorf("%s = group %q title %q guidance %q why %q; want group %q, title with %q, guidance or why with %q",
				ck.id, it.Group, it.Title, it.Guidance, it.Why, ck.group, ck.title, ck.guidance)
		}
	}
	for _, it := range items {
		if strings.Contains(it.Guidance, "Reg ") || strings.Contains(it.Guidance, "Regulations 20") {
			t.Errorf("%s guidance cites a regulation; citations belong in Why: %q", it.ID, it.Guidance)
		}
	}
	// The DBS items link to GOV.UK's DBS pages; the last check to CQC's
	// provider portal.
	for _, id := range []string{"PPL-RM", "PPL-NI", "PPL-FPPR-1", "PPL-REC"} {
		if !slices.Contains(itemByID(items, id).Links, pathway.LinkDBS) {
			t.Errorf("%s links = %v, want the DBS page", id, itemByID(items, id).Links)
		}
	}
	if !slices.Contains(itemByID(items, "SUB-READY").Links, pathway.LinkProviderPortal) {
		t.Errorf("SUB-READY links = %v, want the provider portal", itemByID(items, "SUB-READY").Links)
	}
}

func TestBuildChecklistDependsOnTheCoop(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *pathway.Coop)
		check  func(t *testing.T, items []*pathway.ChecklistItem)
	}{
		{"no regulated activity: organisation and insurance only",
			func(c *pathway.Coop) { c.RegulatedActivities = nil },
			func(t *testing.T, items []*pathway.ChecklistItem) {
				want := []string{"ORG-LEGAL", "ORG-PREM", "ORG-INS-EL", "ORG-INS-PL", "ORG-INS-PI"}
				if got := itemIDs(items); !slices.Equal(got, want) {
					t.Errorf("item IDs = %v, want %v", got, want)
				}
				if itemByID(items, "ORG-PREM").Required {
					t.Error("ORG-PREM is required without a regulated activity")
				}
			}},
		{"not yet incorporated: incorporate first",
			func(c *pathway.Coop) { c.LegalForm = pathway.FormNotYetIncorporated },
			func(t *testing.T, items []*pathway.ChecklistItem) {
				it := itemByID(items, "ORG-LEGAL")
				if it.Title != "Incorporate the co-op before applying to CQC" || !strings.Contains(it.Guidance, "Financial Conduct Authority") {
					t.Errorf("ORG-LEGAL = %q / %q", it.Title, it.Guidance)
				}
			}},
		{"converting private company: plan to convert",
			func(c *pathway.Coop) { c.LegalForm, c.Origin = pathway.FormPrivateCompany, pathway.OriginConversion },
			func(t *testing.T, items []*pathway.ChecklistItem) {
				if it := itemByID(items, "ORG-LEGAL"); !strings.Contains(it.Title, "plan to convert") {
					t.Errorf("ORG-LEGAL title = %q", it.Title)
				}
			}},
		{"no director: one item asking for the board, no registered manager named",
			func(c *pathway.Coop) {
				c.Members = []pathway.Member{{Name: "Pip Arkle", Class: pathway.ClassWorker, Role: pathway.MemberOrdinary}}
			},
			func(t *testing.T, items []*pathway.ChecklistItem) {
				if it := itemByID(items, "PPL-FPPR-1"); it == nil || !strings.Contains(it.Title, "Name the co-op's directors") {
					t.Errorf("PPL-FPPR-1 = %+v", it)
				}
				if itemByID(items, "PPL-FPPR-2") != nil {
					t.Error("PPL-FPPR-2 exists without a second director")
				}
				if it := itemByID(items, "PPL-RM"); it.Title != "Recruit a registered manager" {
					t.Errorf("PPL-RM title = %q", it.Title)
				}
				if it := itemByID(items, "PPL-NI"); it.Title != "Appoint a nominated individual" {
					t.Errorf("PPL-NI title = %q", it.Title)
				}
			}},
		{"care home: premises regulated and activity named",
			func(c *pathway.Coop) { c.RegulatedActivities = []string{pathway.ActivityAccommodationPersonalCare} },
			func(t *testing.T, items []*pathway.ChecklistItem) {
				if it := itemByID(items, "ORG-PREM"); !it.Required || !strings.Contains(it.Why, "Reg 15") {
					t.Errorf("ORG-PREM = %+v", it)
				}
				if it := itemByID(items, "RA-SCOPE"); !strings.Contains(it.Guidance, "accommodation for persons who require nursing or personal care") {
					t.Errorf("RA-SCOPE guidance = %q", it.Guidance)
				}
			}},
		{"a very long director's name still gives a valid item",
			func(c *pathway.Coop) { c.Members[0].Name = strings.Repeat("Ł", 200) },
			func(t *testing.T, items []*pathway.ChecklistItem) {
				it := itemByID(items, "PPL-FPPR-1")
				if err := it.Validate(); err != nil || !strings.HasSuffix(it.Title, "…") {
					t.Errorf("PPL-FPPR-1 title %q: %v", it.Title, err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := eligibleCoop()
			tt.mutate(c)
			tt.check(t, pathway.BuildChecklist(c))
		})
	}
	if got := pathway.BuildChecklist(nil); got != nil {
		t.Errorf("BuildChecklist(nil) = %v", got)
	}
}
