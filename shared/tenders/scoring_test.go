package tenders_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/tenders"
)

func TestCheckScores(t *testing.T) {
	ok := func() (map[string]int, map[string]string) {
		return map[string]int{"q1": 4, "q2": 0, "sv": 5}, map[string]string{"q1": "Clear plan.", "q2": "Not addressed.", "sv": "Local jobs."}
	}
	tests := []struct {
		name   string
		change func(map[string]int, map[string]string)
		fields []string
	}{
		{"every scored criterion 0 to 5 with a reason", func(map[string]int, map[string]string) {}, nil},
		{"a criterion unscored", func(s map[string]int, _ map[string]string) { delete(s, "q2") }, []string{"scores.q2"}},
		{"a score of 6", func(s map[string]int, _ map[string]string) { s["q1"] = 6 }, []string{"scores.q1"}},
		{"a score of -1", func(s map[string]int, _ map[string]string) { s["sv"] = -1 }, []string{"scores.sv"}},
		{"no reason", func(_ map[string]int, r map[string]string) { delete(r, "q1") }, []string{"reasons.q1"}},
		{"a blank reason", func(_ map[string]int, r map[string]string) { r["sv"] = " " }, []string{"reasons.sv"}},
		{"price scored by a person", func(s map[string]int, _ map[string]string) { s["price"] = 5 }, []string{"scores.price"}},
		{"an unknown criterion", func(s map[string]int, r map[string]string) { s["q9"], r["q9"] = 3, "?" }, []string{"scores.q9", "reasons.q9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, r := ok()
			tt.change(s, r)
			wantFields(t, tenders.CheckScores(tender(), s, r), tt.fields...)
			a := tenders.ScoresAnswer{Scores: s, Reasons: r}
			wantFields(t, a.Check(tender()), tt.fields...)
		})
	}
}

// scored returns a bid with agreed scores for q1, q2 and sv and a price
// per lot ("" for a lot not priced), sent at the minute.
func scored(id string, q1, q2, sv int, north, south int64, minute int) *tenders.Bid {
	b := bid()
	b.ID, b.Coop, b.Lots = id, "coop-"+id, nil
	b.CreatedAt = deadline.Add(-time.Duration(100-minute) * time.Minute)
	if north > 0 {
		b.Lots = append(b.Lots, tenders.LotPrice{Lot: "north", Price: north})
	}
	if south > 0 {
		b.Lots = append(b.Lots, tenders.LotPrice{Lot: "south", Price: south})
	}
	b.Agreed = &tenders.Moderation{Scores: map[string]int{"q1": q1, "q2": q2, "sv": sv},
		Reasons: map[string]string{"q1": "r", "q2": "r", "sv": "r"}}
	return b
}

// threeBids are the worked example, weights quality 50 (q1 30, q2 20),
// price 40, social value 10; a criterion of weight w scored s gives
// s×w×20 hundredths:
//
//	A: q1 4 → 2400, q2 5 → 2000 (quality 4400), sv 3 → 600; north £500,000, south £300,000
//	B: q1 5 → 3000, q2 4 → 1600 (quality 4600), sv 5 → 1000; north £450,000
//	C: q1 3 → 1800, q2 3 → 1200 (quality 3000), sv 4 → 800;  north £600,000, south £280,000
//
// North, lowest £450,000: price A 450/500×4000 = 3600, B 4000, C 450/600×4000 = 3000;
// totals A 8600, B 9600, C 6800: B 1st, A 2nd, C 3rd.
// South, lowest £280,000: price A 280/300×4000 = 3733.33 → 3733, C 4000;
// totals A 8733, C 7800: A 1st, C 2nd.
func threeBids() []*tenders.Bid {
	return []*tenders.Bid{
		scored("a", 4, 5, 3, 500_000_00, 300_000_00, 1),
		scored("b", 5, 4, 5, 450_000_00, 0, 2),
		scored("c", 3, 3, 4, 600_000_00, 280_000_00, 3),
	}
}

func TestRankWorkedExample(t *testing.T) {
	bids := threeBids()
	withdrawn := scored("w", 5, 5, 5, 100_000_00, 100_000_00, 4)
	withdrawn.Status = tenders.BidWithdrawn
	unagreed := bid()
	unagreed.ID = "u"
	tenders.Rank(tender(), append(bids, withdrawn, unagreed))
	want := map[string][]tenders.LotResult{
		"a": {{Lot: "north", Quality: 4400, SocialValue: 600, Price: 3600, Total: 8600, Rank: 2},
			{Lot: "south", Quality: 4400, SocialValue: 600, Price: 3733, Total: 8733, Rank: 1}},
		"b": {{Lot: "north", Quality: 4600, SocialValue: 1000, Price: 4000, Total: 9600, Rank: 1}},
		"c": {{Lot: "north", Quality: 3000, SocialValue: 800, Price: 3000, Total: 6800, Rank: 3},
			{Lot: "south", Quality: 3000, SocialValue: 800, Price: 4000, Total: 7800, Rank: 2}},
	}
	for _, b := range bids {
		if b.Status != tenders.BidAssessed {
			t.Errorf("%s: status %s", b.ID, b.Status)
		}
		if len(b.Results) != len(want[b.ID]) {
			t.Fatalf("%s: results %+v, want %+v", b.ID, b.Results, want[b.ID])
		}
		for i, r := range b.Results {
			if r != want[b.ID][i] {
				t.Errorf("%s: result %+v, want %+v", b.ID, r, want[b.ID][i])
			}
		}
	}
	if withdrawn.Results != nil || withdrawn.Status != tenders.BidWithdrawn || unagreed.Results != nil || unagreed.Status != tenders.BidSubmitted {
		t.Errorf("a withdrawn or unagreed bid was ranked: %+v %+v", withdrawn, unagreed)
	}
}

// TestRankMinimumQuality: with a minimum of 60% of the quality marks
// (60% of 5000 = 3000), C at exactly 3000 stays in; with q2 2 (1800+800 =
// 2600) it is out: rank 0, no price marks, and the south lot's lowest
// price among the bids still in becomes A's £300,000 (A: 4400+600+4000 = 9000).
func TestRankMinimumQuality(t *testing.T) {
	td := tender()
	td.MinQuality = 60
	bids := threeBids()
	tenders.Rank(td, bids)
	if bids[2].Status != tenders.BidAssessed {
		t.Fatalf("at the minimum: %s", bids[2].Status)
	}
	bids[2].Agreed.Scores["q2"] = 2
	tenders.Rank(td, bids)
	c, _ := bids[2].Result("south")
	if bids[2].Status != tenders.BidBelowMin || c != (tenders.LotResult{Lot: "south", Quality: 2600, SocialValue: 800, Total: 3400}) {
		t.Errorf("below the minimum: %s %+v", bids[2].Status, c)
	}
	a, _ := bids[0].Result("south")
	if a.Price != 4000 || a.Total != 9000 || a.Rank != 1 {
		t.Errorf("A in south once C is out: %+v", a)
	}
}

// TestRankTies: equal totals go to the lower price, then to the bid sent
// first.
func TestRankTies(t *testing.T) {
	// X: 1800+1200+600 = 3600, price lowest £400,000 → 4000: 7600.
	// Y: 2400+1200+800 = 4400, £500,000 → 400/500×4000 = 3200: 7600.
	x := scored("x", 3, 3, 3, 400_000_00, 0, 9)
	y := scored("y", 4, 3, 4, 500_000_00, 0, 1)
	tenders.Rank(tender(), []*tenders.Bid{y, x})
	rx, _ := x.Result("north")
	ry, _ := y.Result("north")
	if rx.Total != 7600 || ry.Total != 7600 || rx.Rank != 1 || ry.Rank != 2 {
		t.Errorf("equal totals: lower price first: x %+v, y %+v", rx, ry)
	}
	// Same scores and price: the earlier bid first, whatever the order given.
	early := scored("p", 4, 4, 4, 400_000_00, 0, 1)
	late := scored("q", 4, 4, 4, 400_000_00, 0, 2)
	tenders.Rank(tender(), []*tenders.Bid{late, early})
	re, _ := early.Result("north")
	rl, _ := late.Result("north")
	if re.Rank != 1 || rl.Rank != 2 {
		t.Errorf("equal totals and prices: earlier first: early %+v, late %+v", re, rl)
	}
}

// TestRankPriceRoundsHalfUp: 100÷160,000×4000 = 2.5 → 3; 100÷240,000×4000
// = 1.67 → 2; 100÷320,000×4000 = 1.25 → 1.
func TestRankPriceRoundsHalfUp(t *testing.T) {
	tests := []struct {
		price int64
		want  int
	}{{160_000, 3}, {240_000, 2}, {320_000, 1}}
	for _, tt := range tests {
		low := scored("low", 0, 0, 0, 100, 0, 1)
		high := scored("high", 0, 0, 0, tt.price, 0, 2)
		tenders.Rank(tender(), []*tenders.Bid{low, high})
		r, _ := high.Result("north")
		if r.Price != tt.want {
			t.Errorf("price %d: marks %d, want %d", tt.price, r.Price, tt.want)
		}
	}
}
