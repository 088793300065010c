package stats

import (
	"slices"
	"strconv"
)

// Days is a number of days worked out by a percentile, held exactly in
// hundredths of a day: interpolating between whole days at whole-number
// percents never needs finer steps, so no float rounding creeps in.
type Days struct{ hundredths int64 }

// Hundredths returns d in hundredths of a day (1250 for 12.5 days).
func (d Days) Hundredths() int64 { return d.hundredths }

// Float64 returns d in days, for callers that need a number.
func (d Days) Float64() float64 { return float64(d.hundredths) / 100 }

// String writes d as people read it: one decimal, rounded half away from
// zero, and none when it is whole ("12", "12.5", "3.3").
func (d Days) String() string {
	t := roundDiv(d.hundredths, 10) // tenths
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	s := sign + strconv.FormatInt(t/10, 10)
	if t%10 != 0 {
		s += "." + strconv.FormatInt(t%10, 10)
	}
	return s
}

// MarshalJSON writes d as a JSON number with the digits String gives, so
// the API and the page show the same figure.
func (d Days) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

// Percentile returns the p-th percentile (0 ≤ p ≤ 100) of days by linear
// interpolation between the closest ranks: Hyndman and Fan's definition 7
// (Hyndman & Fan, "Sample Quantiles in Statistical Packages", The American
// Statistician 50(4), 1996), the default of R's quantile(), NumPy's
// percentile() and Excel's PERCENTILE.INC, so anyone can check a figure
// in a spreadsheet. With the n values sorted as x[0..n-1], h = p/100·(n-1)
// and the result is x[⌊h⌋] + (h-⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋]). The 50th
// percentile is then the usual median (the mean of the two middle values
// for an even count). ok is false for no values or p out of range. days is
// not changed.
func Percentile(days []int, p int) (d Days, ok bool) {
	if len(days) == 0 || p < 0 || p > 100 {
		return Days{}, false
	}
	sorted := slices.Clone(days)
	slices.Sort(sorted)
	return percentileSorted(sorted, p), true
}

// percentileSorted works h out in hundredths, p·(n-1)/100, so both the
// rank and its fraction are whole numbers.
func percentileSorted(x []int, p int) Days {
	h := int64(p) * int64(len(x)-1) // h·100
	lo, frac := h/100, h%100
	v := int64(x[lo]) * 100
	if frac != 0 {
		v += frac * (int64(x[lo+1]) - int64(x[lo]))
	}
	return Days{hundredths: v}
}

// Median returns the 50th percentile of days (see Percentile).
func Median(days []int) (Days, bool) { return Percentile(days, 50) }

// P90 returns the 90th percentile of days (see Percentile).
func P90(days []int) (Days, bool) { return Percentile(days, 90) }

// Spread is what the dashboard shows of the days spent in a stage.
type Spread struct {
	Count  int  // how many day counts it was worked out from
	Median Days // 50th percentile
	P90    Days // 90th percentile
}

// Summarise returns the median and 90th percentile of days, sorting once.
// ok is false when there are no values.
func Summarise(days []int) (Spread, bool) {
	if len(days) == 0 {
		return Spread{}, false
	}
	sorted := slices.Clone(days)
	slices.Sort(sorted)
	return Spread{Count: len(sorted), Median: percentileSorted(sorted, 50), P90: percentileSorted(sorted, 90)}, true
}

// roundDiv returns n/d rounded half away from zero (d > 0).
func roundDiv(n, d int64) int64 {
	if n < 0 {
		return -((-n*2 + d) / (2 * d))
	}
	return (n*2 + d) / (2 * d)
}
