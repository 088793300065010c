package tenders_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// ranked returns tender() and threeBids() ranked, with C below a 60%
// minimum (north: B 1st, A 2nd, C out; south: A 1st, C out).
func ranked() (*tenders.Tender, []*tenders.Bid) {
	td := tender()
	td.MinQuality = 60
	bids := threeBids()
	bids[2].Agreed.Scores["q2"] = 2
	tenders.Rank(td, bids)
	return td, bids
}

// TestAwardCheck: s.19, award to the most advantageous tender: the
// top-ranked, or another with the lead's reason.
func TestAwardCheck(t *testing.T) {
	tests := []struct {
		name   string
		lots   []tenders.AwardChoice
		fields []string
		want   []tenders.LotAward
	}{
		{"top-ranked in each lot", []tenders.AwardChoice{{Lot: "south", Bid: "a"}, {Lot: "north", Bid: "b"}}, nil,
			[]tenders.LotAward{{Lot: "north", Bid: "b", Coop: "coop-b", TopRanked: true}, {Lot: "south", Bid: "a", Coop: "coop-a", TopRanked: true}}},
		{"another with a reason", []tenders.AwardChoice{{Lot: "north", Bid: "a", Reason: "B cannot staff the north."}, {Lot: "south", Bid: "a"}}, nil,
			[]tenders.LotAward{{Lot: "north", Bid: "a", Coop: "coop-a", Reason: "B cannot staff the north."}, {Lot: "south", Bid: "a", Coop: "coop-a", TopRanked: true}}},
		{"another without a reason", []tenders.AwardChoice{{Lot: "north", Bid: "a"}, {Lot: "south", Bid: "a"}}, []string{"lots[0].reason"}, nil},
		{"an unknown bid", []tenders.AwardChoice{{Lot: "north", Bid: "zz"}, {Lot: "south", Bid: "a"}}, []string{"lots[0].bid"}, nil},
		{"a bid below the minimum", []tenders.AwardChoice{{Lot: "north", Bid: "c", Reason: "Local."}, {Lot: "south", Bid: "a"}}, []string{"lots[0].bid"}, nil},
		{"a bid that did not price the lot", []tenders.AwardChoice{{Lot: "north", Bid: "b"}, {Lot: "south", Bid: "b"}}, []string{"lots[1].bid"}, nil},
		{"an unknown lot", []tenders.AwardChoice{{Lot: "north", Bid: "b"}, {Lot: "south", Bid: "a"}, {Lot: "east", Bid: "a"}}, []string{"lots[2].lot"}, nil},
		{"a lot twice", []tenders.AwardChoice{{Lot: "north", Bid: "b"}, {Lot: "north", Bid: "a", Reason: "r"}, {Lot: "south", Bid: "a"}}, []string{"lots[1].lot"}, nil},
		{"a lot missing", []tenders.AwardChoice{{Lot: "north", Bid: "b"}}, []string{"lots"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td, bids := ranked()
			a := tenders.AwardAnswer{Lots: tt.lots}
			got, err := a.Check(td, bids)
			wantFields(t, err, tt.fields...)
			if len(got) != len(tt.want) {
				t.Fatalf("award = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("lot %d: %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
	// A lot no bid is ranked in needs no choice.
	td, bids := ranked()
	bids[0].Lots, bids[0].Results = bids[0].Lots[:1], bids[0].Results[:1]
	if _, err := (&tenders.AwardAnswer{Lots: []tenders.AwardChoice{{Lot: "north", Bid: "b"}}}).Check(td, bids); err != nil {
		t.Errorf("a lot with no ranked bid: %v", err)
	}
}

func TestContractAnswer(t *testing.T) {
	award := &tenders.Award{Lots: []tenders.LotAward{{Lot: "north", Bid: "b", Coop: "coop-b", TopRanked: true}, {Lot: "south", Bid: "a", Coop: "coop-a", TopRanked: true}}}
	both := []tenders.ContractLotLine{{Lot: "north", Value: 580_000_00}, {Lot: "south", Value: 390_000_00}}
	tests := []struct {
		name   string
		a      tenders.ContractAnswer
		period *tenders.StandstillPeriod
		fields []string
	}{
		{"valid", tenders.ContractAnswer{SignedOn: "2027-09-20", Start: "2027-10-01", End: "2030-09-30", Lots: both}, nil, nil},
		{"end before start", tenders.ContractAnswer{SignedOn: "2027-09-20", Start: "2027-10-01", End: "2027-09-30", Lots: both}, nil, []string{"end"}},
		{"a malformed date", tenders.ContractAnswer{SignedOn: "20/09/2027", Start: "2027-10-01", End: "2030-09-30", Lots: both}, nil, []string{"signedOn"}},
		{"a lot of no value", tenders.ContractAnswer{SignedOn: "2027-09-20", Start: "2027-10-01", End: "2030-09-30", Lots: []tenders.ContractLotLine{{Lot: "north"}, both[1]}}, nil, []string{"lots[0].value"}},
		{"a lot twice", tenders.ContractAnswer{SignedOn: "2027-09-20", Start: "2027-10-01", End: "2030-09-30", Lots: append(both, both[0])}, nil, []string{"lots[2].lot"}},
		{"a lot not awarded", tenders.ContractAnswer{SignedOn: "2027-09-20", Start: "2027-10-01", End: "2030-09-30", Lots: append(both, tenders.ContractLotLine{Lot: "east", Value: 1})}, nil, []string{"lots[2].lot"}},
		{"an awarded lot missing", tenders.ContractAnswer{SignedOn: "2027-09-20", Start: "2027-10-01", End: "2030-09-30", Lots: both[:1]}, nil, []string{"lots"}},
		{"s.51 signed during standstill", tenders.ContractAnswer{SignedOn: "2027-09-20", Start: "2027-10-01", End: "2030-09-30", Lots: both},
			&tenders.StandstillPeriod{From: "2027-09-13", LastDay: "2027-09-22", EnterFrom: "2027-09-23"}, []string{"signedOn"}},
		{"s.51 signed the first day allowed", tenders.ContractAnswer{SignedOn: "2027-09-23", Start: "2027-10-01", End: "2030-09-30", Lots: both},
			&tenders.StandstillPeriod{From: "2027-09-13", LastDay: "2027-09-22", EnterFrom: "2027-09-23"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := tender()
			td.Award, td.Period = award, tt.period
			lots, err := tt.a.Check(td)
			wantFields(t, err, tt.fields...)
			if err == nil && (len(lots) != 2 || lots[0].Coop != "coop-b" || lots[1].Bid != "a" || lots[1].Value != 390_000_00) {
				t.Errorf("contract lots %+v", lots)
			}
		})
	}
	if _, err := (&tenders.ContractAnswer{SignedOn: "2027-09-20", Start: "2027-10-01", End: "2030-09-30", Lots: both}).Check(tender()); pathway.ErrorCode(err) != pathway.ECONFLICT {
		t.Errorf("no award yet: %v", err)
	}
}

// TestSummaries: s.50(3), an assessment summary for every assessed bid,
// with its own scores and reasons, the winner's, and why.
func TestSummaries(t *testing.T) {
	td, bids := ranked()
	td.Award = &tenders.Award{Lots: []tenders.LotAward{
		{Lot: "north", Bid: "a", Coop: "coop-a", Reason: "Bid B cannot staff the north in time."},
		{Lot: "south", Bid: "a", Coop: "coop-a", TopRanked: true},
	}}
	bids[0].Status, bids[1].Status = tenders.BidWon, tenders.BidLost
	withdrawn := scored("w", 5, 5, 5, 1, 1, 5)
	withdrawn.Status = tenders.BidWithdrawn
	sent := deadline.Add(30 * 24 * time.Hour)
	ss := tenders.Summaries(td, append(bids, withdrawn), sent)
	if len(ss) != 3 {
		t.Fatalf("%d summaries, want one per assessed bid (3)", len(ss))
	}
	tests := []struct {
		summary int
		lot     int
		won     bool
		says    []string
	}{
		{0, 0, true, []string{"Your bid won Lot 1: north", "ranked 2nd with 86.00 marks", "because: Bid B cannot staff"}},
		{0, 1, true, []string{"Your bid won Lot 2: south", "most advantageous tender, ranked first with 90.00 marks"}},
		{1, 0, false, []string{"ranked 1st for Lot 1: north with 96.00 marks", "did not win", "winning bid scored 86.00", "did not rank first, because: Bid B"}},
		{2, 0, false, []string{"quality marks, 26.00, were below the minimum of 30.00 (60% of the quality marks)", "could not win Lot 1: north"}},
	}
	for _, tt := range tests {
		s := ss[tt.summary]
		if s.Tender != "t1" || !s.SentAt.Equal(sent) || len(s.Criteria) != 4 || s.Scores["q1"] != bids[tt.summary].Agreed.Scores["q1"] || s.Reasons["q1"] == "" {
			t.Errorf("summary %d: %+v", tt.summary, s)
		}
		l := s.Lots[tt.lot]
		if l.Won != tt.won {
			t.Errorf("summary %d lot %s: won %v", tt.summary, l.Lot, l.Won)
		}
		for _, w := range tt.says {
			if !strings.Contains(l.Why, w) {
				t.Errorf("summary %d lot %s: %q, want it to say %q", tt.summary, l.Lot, l.Why, w)
			}
		}
	}
	if l := ss[1].Lots[0]; l.WinnerResult == nil || l.WinnerResult.Total != 8600 || l.WinnerScores["q1"] != 4 {
		t.Errorf("the loser sees the winner's scores: %+v", l)
	}
	if l := ss[0].Lots[0]; l.WinnerResult != nil || l.WinnerScores != nil {
		t.Errorf("the winner's own summary repeats no winner: %+v", l)
	}
	td.Award = nil
	if why := tenders.Summaries(td, bids, sent)[1].Lots[0].Why; !strings.Contains(why, "has not been awarded") {
		t.Errorf("no award yet: %q", why)
	}
}
