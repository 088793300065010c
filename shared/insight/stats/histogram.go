package stats

import (
	"maps"
	"slices"
)

// A histogram of days maps a day count to how many times it occurs: what
// an aggregate cell keeps of the days spent in a stage, since a cell can
// hold a count per distinct day but not every co-op's own figure.

// PercentileOf returns the p-th percentile of the days a histogram holds:
// exactly Percentile's answer (definition 7) on the list in which each day
// d appears hist[d] times, found by walking the cumulative counts instead
// of expanding the list, so it costs the number of distinct days whatever
// the number of co-ops. Days with a count of zero or less are ignored.
// ok is false for an empty histogram or p out of range.
func PercentileOf(hist map[int]int64, p int) (Days, bool) {
	days, n := histDays(hist)
	if n == 0 || p < 0 || p > 100 {
		return Days{}, false
	}
	return percentileHist(hist, days, n, p), true
}

// SummariseHist returns the median and 90th percentile of a histogram's
// days (see PercentileOf); ok is false when it is empty.
func SummariseHist(hist map[int]int64) (Spread, bool) {
	days, n := histDays(hist)
	if n == 0 {
		return Spread{}, false
	}
	return Spread{Count: int(n), Median: percentileHist(hist, days, n, 50), P90: percentileHist(hist, days, n, 90)}, true
}

// histDays returns the days with a positive count, in order, and the
// number of values they stand for.
func histDays(hist map[int]int64) ([]int, int64) {
	days := slices.Sorted(maps.Keys(hist))
	var n int64
	kept := days[:0]
	for _, d := range days {
		if hist[d] > 0 {
			kept = append(kept, d)
			n += hist[d]
		}
	}
	return kept, n
}

// percentileHist is percentileSorted over the expanded list: the values at
// ranks ⌊h⌋ and ⌊h⌋+1 are found by their cumulative counts.
func percentileHist(hist map[int]int64, days []int, n int64, p int) Days {
	h := int64(p) * (n - 1) // h·100
	lo, frac := h/100, h%100
	x0 := valueAt(hist, days, lo)
	v := int64(x0) * 100
	if frac != 0 {
		v += frac * (int64(valueAt(hist, days, lo+1)) - int64(x0))
	}
	return Days{hundredths: v}
}

// valueAt returns the value at rank i (from 0) of the expanded list.
func valueAt(hist map[int]int64, days []int, i int64) int {
	for _, d := range days {
		if i < hist[d] {
			return d
		}
		i -= hist[d]
	}
	return days[len(days)-1]
}
