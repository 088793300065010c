package grants_test

import (
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestEligibleRules holds each eligibility rule to its reason.
func TestEligibleRules(t *testing.T) {
	tests := []struct {
		name        string
		change      func(c *pathway.Coop, p *grants.Programme)
		field, rule string
		says        string
	}{
		{"closed programme", func(c *pathway.Coop, p *grants.Programme) { p.ClosesOn = "2027-05-31" }, "closesOn", grants.RuleClosed, "closed for applications on 31 May 2027"},
		{"not yet open", func(c *pathway.Coop, p *grants.Programme) { p.OpensOn = "2027-06-02" }, "opensOn", grants.RuleNotYetOpen, "opens for applications on 2 June 2027"},
		{"stage not reached", func(c *pathway.Coop, p *grants.Programme) { c.Stage = pathway.StageAwaitingPanel }, "stage", grants.RuleStageReached, `reached the stage "preparing for CQC"`},
		{"stage not reached, named as CQC is", func(c *pathway.Coop, p *grants.Programme) {
			c.Stage, p.Rules.StageReached = pathway.StageCQCProposalToRefuse, pathway.StageCQCRegistered
		}, "stage", grants.RuleStageReached, `reached the stage "registered with CQC"; the co-op is at "CQC proposes to refuse"`},
		{"journey ended", func(c *pathway.Coop, p *grants.Programme) { c.Stage = pathway.StageCQCRefused }, "stage", grants.RuleStageReached, "journey has ended"},
		{"withdrawn, no stage rule", func(c *pathway.Coop, p *grants.Programme) {
			c.Stage, p.Rules.StageReached = pathway.StageWithdrawn, ""
		}, "stage", grants.RuleStageReached, "journey has ended"},
		{"wrong council area", func(c *pathway.Coop, p *grants.Programme) { p.Rules.CouncilAreas = []string{"Bradford", "Kirklees"} }, "localAuthority", grants.RuleCouncilArea, "Bradford or Kirklees only, and the co-op serves Leeds"},
		{"service not funded", func(c *pathway.Coop, p *grants.Programme) { p.Rules.Services = []string{"shared-lives", "day-care"} }, "services", grants.RuleServices, "Shared Lives or day care"},
		{"legal form not funded", func(c *pathway.Coop, p *grants.Programme) {
			p.Rules.LegalForms = []string{pathway.FormCommunityBenefit}
		}, "legalForm", grants.RuleLegalForm, "only a community benefit society, and the co-op is a co-operative society"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, p := coop(), programme()
			if ok, rs := grants.Eligible(c, p, day); !ok || len(rs) != 0 {
				t.Fatalf("fixture not eligible: %v", rs)
			}
			tc.change(c, p)
			ok, rs := grants.Eligible(c, p, day)
			if ok || len(rs) != 1 {
				t.Fatalf("eligible %v, reasons %v: want one reason", ok, rs)
			}
			r := rs[0]
			if r.Field != tc.field || r.Rule != tc.rule || !strings.Contains(r.Message, tc.says) {
				t.Errorf("reason = %+v, want field %s, rule %s, saying %q", r, tc.field, tc.rule, tc.says)
			}
		})
	}
}

func TestEligiblePasses(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *pathway.Coop, p *grants.Programme)
	}{
		{"stage past the one asked", func(c *pathway.Coop, p *grants.Programme) { c.Stage = pathway.StageCQCRegistered }},
		{"stage exactly reached", func(c *pathway.Coop, p *grants.Programme) { c.Stage = pathway.StageCQCPreparing }},
		{"council named as it writes itself", func(c *pathway.Coop, p *grants.Programme) {
			p.Rules.CouncilAreas = []string{"Leeds City Council"}
		}},
		{"one service of several", func(c *pathway.Coop, p *grants.Programme) {
			c.Services = []string{"day-care", "home-care"}
			p.Rules.Services = []string{"home-care"}
		}},
		{"last day open", func(c *pathway.Coop, p *grants.Programme) { p.ClosesOn = "2027-06-01" }},
		{"first day open", func(c *pathway.Coop, p *grants.Programme) { p.OpensOn = "2027-06-01" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, p := coop(), programme()
			tc.change(c, p)
			if ok, rs := grants.Eligible(c, p, day); !ok {
				t.Errorf("refused: %v", rs)
			}
		})
	}
}

func TestScreenApplicationAmount(t *testing.T) {
	for _, tc := range []struct {
		amount int64
		ok     bool
	}{{199_999, false}, {200_000, true}, {1_000_000, true}, {1_000_001, false}} {
		a := application()
		a.Amount = tc.amount
		rs := grants.ScreenApplication(a, coop(), programme(), day)
		if (len(rs) == 0) != tc.ok {
			t.Errorf("amount %d: reasons %v", tc.amount, rs)
		}
		if !tc.ok && (rs[0].Field != "amount" || rs[0].Rule != grants.RuleAmountRange || !strings.Contains(rs[0].Message, "from £2,000 to £10,000")) {
			t.Errorf("amount %d: reason %+v", tc.amount, rs[0])
		}
	}
}

func TestEligibleMissing(t *testing.T) {
	if ok, rs := grants.Eligible(nil, programme(), day); ok || len(rs) != 1 {
		t.Errorf("nil co-op: %v %v", ok, rs)
	}
}
