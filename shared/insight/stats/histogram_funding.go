package stats

import (
	"maps"
	"slices"
)

// SpreadOfCounts returns the median and 90th percentile (as Percentile
// works them out) of day counts kept as a histogram: counts[d] values of
// d days. It never expands the histogram, so it costs the number of
// distinct day counts, not of values. Zero or negative counts are
// ignored; ok is false when no value is left.
func SpreadOfCounts(counts map[int]int64) (Spread, bool) {
	days := slices.Sorted(maps.Keys(counts))
	var n int64
	for _, d := range days {
		n += max(counts[d], 0)
	}
	if n == 0 {
		return Spread{}, false
	}
	return Spread{Count: int(n), Median: percentileCounts(days, counts, n, 50), P90: percentileCounts(days, counts, n, 90)}, true
}

// percentileCounts is percentileSorted over a histogram: the values at
// ranks ⌊h⌋ and ⌊h⌋+1 are found by walking the sorted day counts.
func percentileCounts(days []int, counts map[int]int64, n int64, p int) Days {
	h := int64(p) * (n - 1) // h·100
	lo, frac := h/100, h%100
	x := int64(at(days, counts, lo)) * 100
	if frac != 0 {
		x += frac * (int64(at(days, counts, lo+1)) - x/100)
	}
	return Days{hundredths: x}
}

// at returns the value of the given rank (from 0) in the histogram.
func at(days []int, counts map[int]int64, rank int64) int {
	for _, d := range days {
		c := max(counts[d], 0)
		if rank < c {
			return d
		}
		rank -= c
	}
	return days[len(days)-1]
}
