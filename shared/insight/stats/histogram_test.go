package stats

import (
	"math/rand/v2"
	"testing"
)

// expand lists each day as many times as the histogram counts it.
func expand(hist map[int]int64) []int {
	var out []int
	for d, n := range hist {
		for range n {
			out = append(out, d)
		}
	}
	return out
}

func TestPercentileOfEqualsPercentileOfTheExpandedList(t *testing.T) {
	tests := []struct {
		name string
		hist map[int]int64
	}{
		{"one value", map[int]int64{7: 1}},
		{"one value many times", map[int]int64{7: 5}},
		{"two values", map[int]int64{3: 1, 10: 1}},
		{"even count", map[int]int64{1: 2, 4: 1, 9: 1}},
		{"spread", map[int]int64{0: 3, 2: 1, 5: 4, 30: 1, 31: 2, 200: 1}},
		{"zero counts ignored", map[int]int64{4: 0, 6: 2, 8: -1, 12: 1}},
		{"a long tail", map[int]int64{1: 90, 1000: 10}},
	}
	for _, tt := range tests {
		list := expand(tt.hist)
		for _, p := range []int{0, 1, 10, 25, 50, 75, 90, 99, 100} {
			want, _ := Percentile(list, p)
			got, ok := PercentileOf(tt.hist, p)
			if !ok || got != want {
				t.Errorf("%s: p%d = %v (ok %v), want %v as Percentile on %v", tt.name, p, got, ok, want, list)
			}
		}
	}
}

func TestPercentileOfRandomHistograms(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		hist := map[int]int64{}
		for range 1 + r.IntN(12) {
			hist[r.IntN(400)] += int64(1 + r.IntN(6))
		}
		list := expand(hist)
		p := r.IntN(101)
		want, _ := Percentile(list, p)
		if got, _ := PercentileOf(hist, p); got != want {
			t.Fatalf("case %d: p%d of %v = %v, want %v", i, p, hist, got, want)
		}
	}
}

func TestPercentileOfEmptyOrOutOfRange(t *testing.T) {
	if _, ok := PercentileOf(nil, 50); ok {
		t.Error("empty histogram gave a percentile")
	}
	if _, ok := PercentileOf(map[int]int64{3: 0}, 50); ok {
		t.Error("histogram of zero counts gave a percentile")
	}
	if _, ok := PercentileOf(map[int]int64{3: 1}, 101); ok {
		t.Error("p 101 gave a percentile")
	}
}

func TestSummariseHist(t *testing.T) {
	// Days 2, 4, 4, 10: median (4+4)/2 = 4; p90: h = 0.9·3 = 2.7, 4 + 0.7·6 = 8.2.
	s, ok := SummariseHist(map[int]int64{2: 1, 4: 2, 10: 1})
	if !ok || s.Count != 4 || s.Median.String() != "4" || s.P90.String() != "8.2" {
		t.Fatalf("got %+v (median %s, p90 %s)", s, s.Median, s.P90)
	}
}
