package stats

import "testing"

// SpreadOfCounts must give what Summarise gives for the same values
// written out one by one.
func TestSpreadOfCountsMatchesSummarise(t *testing.T) {
	tests := []struct {
		name   string
		counts map[int]int64
	}{
		{"one value", map[int]int64{7: 1}},
		{"even count", map[int]int64{1: 1, 3: 1, 4: 1, 10: 1}},
		{"ties", map[int]int64{3: 3, 8: 1}},
		{"ten values", map[int]int64{1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 100: 1}},
		{"many ties", map[int]int64{0: 5, 14: 20, 30: 7, 90: 2}},
		{"zero count ignored", map[int]int64{2: 0, 5: 2, 9: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var days []int
			for d, n := range tc.counts {
				for range n {
					days = append(days, d)
				}
			}
			want, _ := Summarise(days)
			got, ok := SpreadOfCounts(tc.counts)
			if !ok || got != want {
				t.Errorf("SpreadOfCounts(%v) = %+v, %v; want %+v", tc.counts, got, ok, want)
			}
		})
	}
}

// Worked by hand: 10, 20, 20, 40 → median (20+20)/2 = 20; p90 h=2.7 →
// 20+0.7·20 = 34.
func TestSpreadOfCountsByHand(t *testing.T) {
	got, ok := SpreadOfCounts(map[int]int64{10: 1, 20: 2, 40: 1})
	if !ok || got.Count != 4 || got.Median.String() != "20" || got.P90.String() != "34" {
		t.Errorf("got %+v (%s, %s)", got, got.Median, got.P90)
	}
	if _, ok := SpreadOfCounts(nil); ok {
		t.Error("no values: want not ok")
	}
	if _, ok := SpreadOfCounts(map[int]int64{3: 0}); ok {
		t.Error("only zero counts: want not ok")
	}
}
