package stats

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The expected figures are worked out by hand with Hyndman and Fan's
// definition 7 (h = p/100·(n-1)), the same as R's quantile() and Excel's
// PERCENTILE.INC give.
func TestPercentile(t *testing.T) {
	tests := []struct {
		name     string
		days     []int
		p        int
		want     string
		wantHund int64
	}{
		{"one value", []int{7}, 50, "7", 700},
		{"one value p90", []int{7}, 90, "7", 700},
		{"odd count median is the middle", []int{9, 1, 5}, 50, "5", 500},
		{"even count median is the mean of the middle two", []int{4, 1, 3, 10}, 50, "3.5", 350},
		{"even count p90: h=2.7 → 4+0.7·6", []int{4, 1, 3, 10}, 90, "8.2", 820},
		{"odd count p90: h=3.6 → 4+0.6·1", []int{1, 2, 3, 4, 5}, 90, "4.6", 460},
		{"ten values p90: h=8.1 → 9+0.1·91", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 100}, 90, "18.1", 1810},
		{"ties", []int{2, 2, 2, 2}, 50, "2", 200},
		{"ties p90", []int{3, 3, 3, 8}, 90, "6.5", 650},
		{"ties around the median", []int{1, 5, 5, 5, 9, 9}, 50, "5", 500},
		{"zero days", []int{0, 0, 0}, 90, "0", 0},
		{"p0 is the least", []int{6, 2, 9}, 0, "2", 200},
		{"p100 is the most", []int{6, 2, 9}, 100, "9", 900},
		{"0.05 days shows as 0.1 (half away from zero)", []int{0, 1}, 5, "0.1", 5},
		{"p33 of 0,10: 3.3", []int{0, 10}, 33, "3.3", 330},
		{"negative days (clock skew) still ordered", []int{-2, 4}, 50, "1", 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := Percentile(tc.days, tc.p)
			if !ok {
				t.Fatal("not ok")
			}
			if d.String() != tc.want || d.Hundredths() != tc.wantHund {
				t.Errorf("Percentile(%v, %d) = %s (%d/100), want %s (%d/100)", tc.days, tc.p, d, d.Hundredths(), tc.want, tc.wantHund)
			}
		})
	}
}

func TestPercentileEmptyAndOutOfRange(t *testing.T) {
	for _, p := range []int{50, 90} {
		if _, ok := Percentile(nil, p); ok {
			t.Errorf("Percentile(nil, %d) ok", p)
		}
	}
	if _, ok := Median([]int{}); ok {
		t.Error("Median of nothing ok")
	}
	if _, ok := Summarise(nil); ok {
		t.Error("Summarise(nil) ok")
	}
	for _, p := range []int{-1, 101} {
		if _, ok := Percentile([]int{1}, p); ok {
			t.Errorf("p=%d ok", p)
		}
	}
}

func TestPercentileLeavesInputAlone(t *testing.T) {
	days := []int{9, 1, 5}
	Median(days)
	Summarise(days)
	if days[0] != 9 || days[1] != 1 || days[2] != 5 {
		t.Errorf("input changed: %v", days)
	}
}

func TestSummariseMatchesMedianAndP90(t *testing.T) {
	days := []int{12, 3, 40, 7, 7, 21}
	s, ok := Summarise(days)
	m, _ := Median(days)
	p, _ := P90(days)
	if !ok || s.Count != 6 || s.Median != m || s.P90 != p {
		t.Errorf("Summarise = %+v, Median %v, P90 %v", s, m, p)
	}
	// 3 7 7 12 21 40: median (7+12)/2 = 9.5; p90 h=4.5 → 21+0.5·19 = 30.5
	if s.Median.String() != "9.5" || s.P90.String() != "30.5" {
		t.Errorf("got %s and %s", s.Median, s.P90)
	}
}

func TestDaysFormats(t *testing.T) {
	tests := []struct {
		h    int64
		want string
	}{{0, "0"}, {1250, "12.5"}, {1204, "12"}, {1205, "12.1"}, {-150, "-1.5"}, {-104, "-1"}, {99, "1"}}
	for _, tc := range tests {
		d := Days{hundredths: tc.h}
		if d.String() != tc.want {
			t.Errorf("%d hundredths = %q, want %q", tc.h, d.String(), tc.want)
		}
		b, _ := json.Marshal(d)
		if string(b) != tc.want {
			t.Errorf("JSON %d = %s", tc.h, b)
		}
	}
	if (Days{hundredths: 1250}).Float64() != 12.5 {
		t.Error("Float64")
	}
}

func TestRate(t *testing.T) {
	tests := []struct {
		num, den int64
		want     string
		json     string
	}{
		{3, 8, "37.5%", "37.5"},
		{1, 3, "33.3%", "33.3"},
		{2, 3, "66.7%", "66.7"},
		{1, 8, "12.5%", "12.5"},  // 12.5 exactly, no rounding
		{1, 16, "6.3%", "6.3"},   // 6.25 rounds half up
		{1, 2000, "0.1%", "0.1"}, // 0.05 rounds half up
		{1, 2001, "0.0%", "0.0"},
		{0, 5, "0.0%", "0.0"},
		{5, 5, "100.0%", "100.0"},
		{7, 10, "70.0%", "70.0"}, // 0.7 is not exact as a float
		{0, 0, NoRate, "null"},
		{3, 0, NoRate, "null"},
		{-1, 4, NoRate, "null"},
	}
	for _, tc := range tests {
		r := NewRate(tc.num, tc.den)
		if r.String() != tc.want {
			t.Errorf("%d/%d = %q, want %q", tc.num, tc.den, r, tc.want)
		}
		b, err := json.Marshal(r)
		if err != nil || string(b) != tc.json {
			t.Errorf("JSON %d/%d = %s %v, want %s", tc.num, tc.den, b, err, tc.json)
		}
		if r.Defined() != (tc.json != "null") {
			t.Errorf("%d/%d Defined = %v", tc.num, tc.den, r.Defined())
		}
	}
	if r := NewRate(3, 8); r.Num() != 3 || r.Den() != 8 {
		t.Errorf("counts %d/%d", r.Num(), r.Den())
	}
}

func TestConversions(t *testing.T) {
	got := Conversions([]StageCount{{"applied", 8}, {"panel", 6}, {"cqc-applied", 3}, {"registered", 0}, {"contracted", 0}})
	want := []struct{ from, to, rate string }{
		{"applied", "panel", "75.0%"},
		{"panel", "cqc-applied", "50.0%"},
		{"cqc-applied", "registered", "0.0%"},
		{"registered", "contracted", NoRate},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d conversions", len(got))
	}
	for i, w := range want {
		if got[i].From != w.from || got[i].To != w.to || got[i].Rate.String() != w.rate {
			t.Errorf("%d: %s→%s %s, want %+v", i, got[i].From, got[i].To, got[i].Rate, w)
		}
	}
	if Conversions([]StageCount{{"applied", 3}}) != nil || Conversions(nil) != nil {
		t.Error("fewer than two stages gives conversions")
	}
}

func TestCohortIsTheUKMonth(t *testing.T) {
	tests := []struct {
		at   string
		want string
	}{
		{"2027-05-31T23:30:00Z", "2027-06"}, // 00:30 BST on 1 June
		{"2027-05-31T22:59:59Z", "2027-05"}, // 23:59:59 BST on 31 May
		{"2027-01-31T23:30:00Z", "2027-01"}, // GMT: UTC is UK time
		{"2027-02-01T00:00:00Z", "2027-02"}, // GMT
		{"2027-10-31T23:30:00Z", "2027-10"}, // clocks went back that day: GMT
		{"2027-03-31T23:30:00Z", "2027-04"}, // BST from 28 March
		{"2027-06-01T00:30:00+01:00", "2027-06"},
	}
	for _, tc := range tests {
		at, err := time.Parse(time.RFC3339, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if got := Cohort(at); got != tc.want {
			t.Errorf("Cohort(%s) = %s, want %s", tc.at, got, tc.want)
		}
	}
}

func TestCohortMonth(t *testing.T) {
	from, to, err := CohortMonth("2027-06", "cohort")
	if err != nil {
		t.Fatal(err)
	}
	if !from.Equal(time.Date(2027, 5, 31, 23, 0, 0, 0, time.UTC)) || !to.Equal(time.Date(2027, 6, 30, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("June 2027 = %s to %s", from.UTC(), to.UTC())
	}
	// Each instant of the span is in the cohort, the one before and the end are not.
	if Cohort(from) != "2027-06" || Cohort(to.Add(-time.Nanosecond)) != "2027-06" || Cohort(from.Add(-time.Nanosecond)) != "2027-05" || Cohort(to) != "2027-07" {
		t.Error("span does not match Cohort")
	}
	from, to, _ = CohortMonth("2027-12", "cohort")
	if !from.Equal(time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC)) || !to.Equal(time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("December = %s to %s", from.UTC(), to.UTC())
	}
	for _, bad := range []string{"", "2027-6", "2027-13", "June 2027", "2027-06-01", "27-06"} {
		_, _, err := CohortMonth(bad, "cohort")
		if pathway.ErrorCode(err) != pathway.EINVALID {
			t.Errorf("%q: %v", bad, err)
			continue
		}
		if e, _ := err.(*pathway.Error); e == nil || e.Fields["cohort"] == "" {
			t.Errorf("%q: error does not name the field: %v", bad, err)
		}
	}
}
