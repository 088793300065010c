package grants_test

import (
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
)

func TestProgrammeValid(t *testing.T) {
	if err := programme().Validate(); err != nil {
		t.Fatalf("valid programme refused: %v", err)
	}
}

// TestProgrammeRules holds each rule of a programme to the field it names.
func TestProgrammeRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *grants.Programme)
		field  string
		says   string
	}{
		{"weights short of 100", func(p *grants.Programme) { p.Criteria[0].Weight = 30 }, "criteria", "add up to 100; they add up to 90"},
		{"weights over 100", func(p *grants.Programme) { p.Criteria[2].Weight = 35 }, "criteria", "add up to 110"},
		{"criterion twice", func(p *grants.Programme) { p.Criteria[1].ID = "need" }, "criteria[1].id", "its own ID"},
		{"min above max", func(p *grants.Programme) { p.MinAward = 2_000_000 }, "minAward", "not be more than the maximum"},
		{"max above budget", func(p *grants.Programme) { p.MaxAward = 20_000_000 }, "maxAward", "not be more than the budget"},
		{"closes before it opens", func(p *grants.Programme) { p.ClosesOn = "2027-03-31" }, "closesOn", "on or after the opening date"},
		{"shares short of 100", func(p *grants.Programme) { p.Schedule[1].Share = 40 }, "schedule", "add up to 100%; they add up to 90%"},
		{"date share without months", func(p *grants.Programme) { p.Schedule[1].Trigger = grants.TriggerDate }, "schedule[1].months", "months after the award"},
		{"unknown trigger", func(p *grants.Programme) { p.Schedule[1].Trigger = "later" }, "schedule[1].trigger", "Must be one of"},
		{"scale out of order", func(p *grants.Programme) {
			p.Scale = append([]grants.ScaleStep(nil), p.Scale...)
			p.Scale[2].Score = 4
		}, "scale[2].score", "should be 2"},
		{"scale too short", func(p *grants.Programme) { p.Scale = p.Scale[:5] }, "scale", ""},
		{"no budget", func(p *grants.Programme) { p.Budget = 0 }, "budget", "1 or more"},
		{"bad date", func(p *grants.Programme) { p.OpensOn = "2027-02-30" }, "opensOn", "real date"},
		{"council outside England", func(p *grants.Programme) { p.Rules.CouncilAreas = []string{"Cardiff"} }, "rules.councilAreas[0]", "not a council area in England"},
		{"unknown stage", func(p *grants.Programme) { p.Rules.StageReached = "flying" }, "rules.stageReached", "known stage"},
		{"unknown service", func(p *grants.Programme) { p.Rules.Services = []string{"gardening"} }, "rules.services[0]", "Must be one of"},
		{"unknown legal form", func(p *grants.Programme) { p.Rules.LegalForms = []string{"sole-trader"} }, "rules.legalForms[0]", "Must be one of"},
		{"no reviewers", func(p *grants.Programme) { p.ReviewersPerApplication = 0 }, "reviewersPerApplication", "1 or more"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := programme()
			tc.change(p)
			err := p.Validate()
			wantFields(t, err, tc.field)
			if msg := fieldsOf(err)[tc.field]; !strings.Contains(msg, tc.says) {
				t.Errorf("%s: %q, want it to say %q", tc.field, msg, tc.says)
			}
		})
	}
}

func TestProgrammeIsOpen(t *testing.T) {
	p := programme()
	p.OpensOn, p.ClosesOn = "2027-06-01", "2027-06-01"
	if !p.IsOpen(day) {
		t.Error("a programme open only on the day is not open on it")
	}
	p.ClosesOn = "2027-05-31"
	p.OpensOn = "2027-05-01"
	if p.IsOpen(day) {
		t.Error("a programme closed the day before is open")
	}
}

func TestPounds(t *testing.T) {
	for pence, want := range map[int64]string{0: "£0", 100: "£1", 1_000_000: "£10,000", 125_050: "£1,250.50", 123_456_789_01: "£123,456,789.01", -5: "-£0.05"} {
		if got := grants.Pounds(pence); got != want {
			t.Errorf("Pounds(%d) = %q, want %q", pence, got, want)
		}
	}
}
