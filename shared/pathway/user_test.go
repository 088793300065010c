package pathway_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestWhoCanSeeACoop(t *testing.T) {
	c := validCoop()
	c.Founders = []string{"founder-1"}
	p := &pathway.Programme{ID: c.Programme, Agency: "org-a"}
	tests := []struct {
		name string
		user pathway.User
		want bool
	}{
		{"its founder", pathway.User{ID: "founder-1", Role: pathway.RoleFounder}, true},
		{"another founder", pathway.User{ID: "founder-2", Role: pathway.RoleFounder}, false},
		{"the programme's agency", pathway.User{ID: "s1", Role: pathway.RoleAgency, Organisation: "org-a"}, true},
		{"another agency", pathway.User{ID: "s2", Role: pathway.RoleAgency, Organisation: "org-b"}, false},
		{"a funder", pathway.User{ID: "s3", Role: pathway.RoleFunder, Organisation: "org-a"}, false},
		{"a commissioner", pathway.User{ID: "s4", Role: pathway.RoleCommissioner, Organisation: "org-a"}, false},
	}
	for _, tt := range tests {
		if got := tt.user.CanSeeCoop(c, p); got != tt.want {
			t.Errorf("%s: CanSeeCoop = %v, want %v", tt.name, got, tt.want)
		}
	}
	agency := pathway.User{ID: "s1", Role: pathway.RoleAgency, Organisation: "org-a"}
	if agency.CanSeeCoop(c, nil) {
		t.Error("an agency saw a co-op whose programme is unknown")
	}
}

func TestWhoCanActOnATask(t *testing.T) {
	c := validCoop()
	c.Founders = []string{"founder-1"}
	panel := &pathway.Task{Coop: c.ID, Organisation: "org-a", Role: pathway.RoleAgency}
	escalation := &pathway.Task{Coop: c.ID, Organisation: "org-a", Role: pathway.RoleAgencyLead}
	submission := &pathway.Task{Coop: c.ID, Role: pathway.RoleFounder}
	staff := pathway.User{ID: "s1", Role: pathway.RoleAgency, Organisation: "org-a"}
	lead := pathway.User{ID: "s2", Role: pathway.RoleAgency, Organisation: "org-a", Lead: true}
	other := pathway.User{ID: "s3", Role: pathway.RoleAgency, Organisation: "org-b", Lead: true}
	founder := pathway.User{ID: "founder-1", Role: pathway.RoleFounder}
	stranger := pathway.User{ID: "founder-9", Role: pathway.RoleFounder}
	tests := []struct {
		name string
		user pathway.User
		task *pathway.Task
		want bool
	}{
		{"staff on panel", staff, panel, true},
		{"other agency on panel", other, panel, false},
		{"staff on escalation", staff, escalation, false},
		{"lead on escalation", lead, escalation, true},
		{"other lead on escalation", other, escalation, false},
		{"founder on submission", founder, submission, true},
		{"stranger on submission", stranger, submission, false},
		{"staff on submission", staff, submission, false},
		{"founder on panel", founder, panel, false},
	}
	for _, tt := range tests {
		if got := tt.user.CanActOn(tt.task, c); got != tt.want {
			t.Errorf("%s: CanActOn = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestWhoCanActOnAFunderLeadTask(t *testing.T) {
	c := validCoop()
	decision := &pathway.Task{Kind: "grant-decision", Coop: c.ID, Organisation: "funder-a", Role: pathway.RoleFunderLead}
	review := &pathway.Task{Kind: "grant-review", Coop: c.ID, Organisation: "funder-a", Role: pathway.RoleFunder}
	tests := []struct {
		name string
		user pathway.User
		task *pathway.Task
		want bool
	}{
		{"funder lead on decision", pathway.User{ID: "f1", Role: pathway.RoleFunder, Organisation: "funder-a", Lead: true}, decision, true},
		{"funder staff on decision", pathway.User{ID: "f2", Role: pathway.RoleFunder, Organisation: "funder-a"}, decision, false},
		{"other funder's lead on decision", pathway.User{ID: "f3", Role: pathway.RoleFunder, Organisation: "funder-b", Lead: true}, decision, false},
		{"agency lead of the same ID on decision", pathway.User{ID: "a1", Role: pathway.RoleAgency, Organisation: "funder-a", Lead: true}, decision, false},
		{"founder on decision", pathway.User{ID: "founder-1", Role: pathway.RoleFounder}, decision, false},
		{"funder lead on review", pathway.User{ID: "f1", Role: pathway.RoleFunder, Organisation: "funder-a", Lead: true}, review, true},
	}
	for _, tt := range tests {
		if got := tt.user.CanActOn(tt.task, c); got != tt.want {
			t.Errorf("%s: CanActOn = %v, want %v", tt.name, got, tt.want)
		}
	}
	valid := &pathway.Task{ID: "t1", Kind: "grant-decision", Coop: c.ID, Organisation: "funder-a", Role: pathway.RoleFunderLead,
		Title: "Decide", Status: pathway.TaskOpen}
	if err := valid.Validate(); err != nil {
		t.Errorf("a funder-lead task does not validate: %v", err)
	}
}

func TestWhoCanActOnACommissionerLeadTask(t *testing.T) {
	c := validCoop()
	award := &pathway.Task{Kind: "tender-award", Organisation: "council-a", Role: pathway.RoleCommissionerLead}
	evaluation := &pathway.Task{Kind: "tender-evaluation", Organisation: "council-a", Role: pathway.RoleCommissioner, User: "c2"}
	tests := []struct {
		name string
		user pathway.User
		task *pathway.Task
		want bool
	}{
		{"council lead on award", pathway.User{ID: "c1", Role: pathway.RoleCommissioner, Organisation: "council-a", Lead: true}, award, true},
		{"council staff on award", pathway.User{ID: "c2", Role: pathway.RoleCommissioner, Organisation: "council-a"}, award, false},
		{"other council's lead on award", pathway.User{ID: "c3", Role: pathway.RoleCommissioner, Organisation: "council-b", Lead: true}, award, false},
		{"funder lead of the same ID on award", pathway.User{ID: "f1", Role: pathway.RoleFunder, Organisation: "council-a", Lead: true}, award, false},
		{"agency lead of the same ID on award", pathway.User{ID: "a1", Role: pathway.RoleAgency, Organisation: "council-a", Lead: true}, award, false},
		{"founder on award", pathway.User{ID: "founder-1", Role: pathway.RoleFounder}, award, false},
		{"the evaluator on their evaluation", pathway.User{ID: "c2", Role: pathway.RoleCommissioner, Organisation: "council-a"}, evaluation, true},
		{"council lead on another's evaluation", pathway.User{ID: "c1", Role: pathway.RoleCommissioner, Organisation: "council-a", Lead: true}, evaluation, false},
	}
	for _, tt := range tests {
		if got := tt.user.CanActOn(tt.task, c); got != tt.want {
			t.Errorf("%s: CanActOn = %v, want %v", tt.name, got, tt.want)
		}
	}
}
