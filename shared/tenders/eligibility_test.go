package tenders_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

func TestCanBid(t *testing.T) {
	open := deadline.Add(-24 * time.Hour)
	tests := []struct {
		name           string
		change         func(*tenders.Tender, *pathway.Coop)
		reservedBefore bool
		now            time.Time
		rules          []string
		says           string
	}{
		{"registered co-op, open tender", func(*tenders.Tender, *pathway.Coop) {}, false, open, nil, ""},
		{"a co-op with a contract bids again", func(_ *tenders.Tender, c *pathway.Coop) { c.Stage = pathway.StageContracted }, false, open, nil, ""},
		{"draft tender", func(t *tenders.Tender, _ *pathway.Coop) { t.Status = tenders.StatusDraft }, false, open, []string{tenders.RuleTenderNotOpen}, "is not open for bids: draft"},
		{"at the deadline", func(*tenders.Tender, *pathway.Coop) {}, false, deadline, []string{tenders.RuleDeadlinePassed}, "passed on 15 July 2027"},
		{"journey ended", func(_ *tenders.Tender, c *pathway.Coop) { c.Stage = pathway.StageWithdrawn }, false, open, []string{tenders.RuleJourneyEnded}, "journey has ended"},
		{"not yet registered with CQC", func(_ *tenders.Tender, c *pathway.Coop) { c.Stage = pathway.StageCQCSubmitted }, false, open, []string{tenders.RuleNotRegistered}, "registered with CQC"},
		{"activities not covered", func(t *tenders.Tender, _ *pathway.Coop) {
			t.RegulatedActivities = []string{pathway.ActivityPersonalCare, pathway.ActivityNursingCare}
		}, false, open, []string{tenders.RuleActivities}, "for nursing care"},
		{"s.33(5) reserved, comparable contract in 3 years", func(t *tenders.Tender, _ *pathway.Coop) { t.Reserved = true }, true, open, []string{tenders.RuleReservedBefore}, "comparable reserved contract in the last 3 years"},
		{"s.33(5) not reserved, reserved contract before", func(*tenders.Tender, *pathway.Coop) {}, true, open, nil, ""},
		{"several at once", func(t *tenders.Tender, c *pathway.Coop) {
			t.Status, c.Stage, c.RegulatedActivities = tenders.StatusAward, pathway.StageCQCReady, nil
		}, false, open, []string{tenders.RuleTenderNotOpen, tenders.RuleNotRegistered, tenders.RuleActivities}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td, c := tender(), coop()
			td.Status = tenders.StatusOpen
			tt.change(td, c)
			rs := tenders.CanBid(td, c, tt.reservedBefore, tt.now)
			var rules []string
			for _, r := range rs {
				rules = append(rules, r.Rule)
				if r.Message == "" || r.Field == "" {
					t.Errorf("reason %+v lacks words or a field", r)
				}
			}
			if !slices.Equal(rules, tt.rules) {
				t.Fatalf("rules = %v, want %v (%v)", rules, tt.rules, rs)
			}
			if tt.says != "" && !strings.Contains(rs[0].Message, tt.says) {
				t.Errorf("message %q, want it to say %q", rs[0].Message, tt.says)
			}
		})
	}
}

func TestBidCheck(t *testing.T) {
	declared := map[string]tenders.Declaration{}
	for _, c := range tenders.Conditions {
		declared[c.Code] = tenders.Declaration{Met: true, Evidence: "Our rules, clause 4."}
	}
	tests := []struct {
		name     string
		reserved bool
		change   func(*tenders.Bid)
		fields   []string
	}{
		{"valid", false, func(*tenders.Bid) {}, nil},
		{"both lots", false, func(b *tenders.Bid) { b.Lots = append(b.Lots, tenders.LotPrice{Lot: "south", Price: 1}) }, nil},
		{"unknown lot", false, func(b *tenders.Bid) { b.Lots[0].Lot = "east" }, []string{"lots[0].lot"}},
		{"a lot twice", false, func(b *tenders.Bid) { b.Lots = append(b.Lots, b.Lots[0]) }, []string{"lots[1].lot"}},
		{"price of nothing", false, func(b *tenders.Bid) { b.Lots[0].Price = 0 }, []string{"lots[0].price"}},
		{"no response to a quality criterion", false, func(b *tenders.Bid) { delete(b.Responses, "q2") }, []string{"responses.q2"}},
		{"blank response to social value", false, func(b *tenders.Bid) { b.Responses["sv"] = "  " }, []string{"responses.sv"}},
		{"response to price", false, func(b *tenders.Bid) { b.Responses["price"] = "cheap" }, []string{"responses.price"}},
		{"response to an unknown criterion", false, func(b *tenders.Bid) { b.Responses["q9"] = "?" }, []string{"responses.q9"}},
		{"s.33(6) reserved, all declared with evidence", true, func(b *tenders.Bid) { b.Declarations = declared }, nil},
		{"s.33(6) reserved, none declared", true, func(*tenders.Bid) {}, []string{
			"declarations.public-services", "declarations.profits", "declarations.employee-control", "declarations.no-recent-reserved"}},
		{"s.33(6)(c) reserved, employee control not met", true, func(b *tenders.Bid) {
			b.Declarations = maps(declared)
			b.Declarations["employee-control"] = tenders.Declaration{Met: false, Evidence: "Members are carers and clients."}
		}, []string{"declarations.employee-control"}},
		{"s.33(5) reserved, no evidence", true, func(b *tenders.Bid) {
			b.Declarations = maps(declared)
			b.Declarations["no-recent-reserved"] = tenders.Declaration{Met: true}
		}, []string{"declarations.no-recent-reserved.evidence"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td, b := tender(), bid()
			td.Reserved = tt.reserved
			tt.change(b)
			wantFields(t, b.Check(td), tt.fields...)
		})
	}
}

func maps(m map[string]tenders.Declaration) map[string]tenders.Declaration {
	out := map[string]tenders.Declaration{}
	for k, v := range m {
		out[k] = v
	}
	return out
}
