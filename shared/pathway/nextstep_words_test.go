package pathway_test

import (
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestNextStepForFoundersAndStaff(t *testing.T) {
	item := func(id, status string) *pathway.ChecklistItem {
		return &pathway.ChecklistItem{ID: id, Title: "Item " + id, Status: status, Required: true}
	}
	items := []*pathway.ChecklistItem{item("A", pathway.ItemVerified), item("B", pathway.ItemNotStarted), item("C", pathway.ItemDone)}
	tests := []struct {
		name      string
		stage     string
		staff     bool
		want, not string
		next      string
		ended     bool
	}{
		{"founder works through the checklist", pathway.StageCQCPreparing, false,
			"Work through your CQC checklist: 1 of 3 required items verified.", "Next:", "B", false},
		{"staff read where the co-op stands", pathway.StageCQCPreparing, true,
			"Calder Care is working through its CQC checklist: 1 of 3 required items verified; 1 item is waiting for you to check.", "your CQC", "C", false},
		{"declined, to the founders", pathway.StageDeclined, false, "declined your application", "Cannot start", "", true},
		{"declined, to staff", pathway.StageDeclined, true, "declined Calder Care's application, so its journey on the programme has ended", "your application", "", true},
		{"ineligible, to staff", pathway.StageIneligible, true, "journey on the programme has ended", "Your application", "", true},
		{"withdrawn", pathway.StageWithdrawn, true, "withdrawn, so its journey has ended", "", "", true},
		{"refused by CQC", pathway.StageCQCRefused, false, "First-tier Tribunal", "", "", true},
		{"registered is no end of the road", pathway.StageCQCRegistered, false, "registered with CQC", "Next:", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &pathway.Coop{ID: "c1", Name: "Calder Care", Stage: tt.stage, RegulatedActivities: []string{pathway.ActivityPersonalCare}}
			s := pathway.NextStepFor(c, items, nil, tt.staff)
			if !strings.Contains(s.Text, tt.want) || (tt.not != "" && strings.Contains(s.Text, tt.not)) {
				t.Errorf("text = %q, want %q and not %q", s.Text, tt.want, tt.not)
			}
			got := ""
			if s.Next != nil {
				got = s.Next.ID
			}
			if got != tt.next || s.Ended != tt.ended {
				t.Errorf("next = %q, ended = %v; want %q, %v", got, s.Ended, tt.next, tt.ended)
			}
		})
	}
}

func TestGlossaryFormsLongestFirst(t *testing.T) {
	forms := pathway.GlossaryForms()
	pos := map[string]int{}
	for i, f := range forms {
		pos[f.Form] = i
		if _, ok := pathway.DefinitionOf(f.ID); !ok {
			t.Errorf("form %q names no definition %q", f.Form, f.ID)
		}
	}
	for _, pair := range [][2]string{{"adult barred list", "DBS"}, {"regulated activities", "regulated activity"}, {"Care Quality Commission", "CQC"}} {
		if pos[pair[0]] > pos[pair[1]] {
			t.Errorf("%q comes after %q", pair[0], pair[1])
		}
	}
	for _, term := range []string{"cqc", "dbs", "fca", "adult-barred-list", "countersigned", "nominated-individual", "regulated-activity",
		"fit-and-proper-person", "statement-of-purpose", "asset-lock", "co-op", "council", "registered-manager"} {
		if d, ok := pathway.DefinitionOf(term); !ok || d.Meaning == "" {
			t.Errorf("the glossary does not explain %q", term)
		}
	}
}

func TestNextItemFollowsTheTaskList(t *testing.T) {
	// Stores list items by ID: FIN- before ORG-. The next item is the
	// first on the task list, in the organisation group.
	items := []*pathway.ChecklistItem{
		{ID: "FIN-BP", Group: pathway.GroupFinance, Title: "Business plan", Status: pathway.ItemNotStarted, Required: true},
		{ID: "ORG-LEGAL", Group: pathway.GroupOrganisation, Title: "Legal registration", Status: pathway.ItemNotStarted, Required: true},
	}
	c := &pathway.Coop{ID: "c1", Name: "Calder Care", Stage: pathway.StageCQCPreparing}
	if s := pathway.NextStepFor(c, items, nil, false); s.Next == nil || s.Next.ID != "ORG-LEGAL" {
		t.Errorf("next = %+v, want ORG-LEGAL", s.Next)
	}
}
