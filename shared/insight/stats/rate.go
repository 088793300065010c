package stats

import "strconv"

// Rate is a conversion rate kept as the exact ratio of two counts (3 of 8
// co-ops went on), so the percentage is worked out once, in integers, when
// it is written: no 0.1+0.2 surprises, and the same figure on the page, in
// the API and in a test worked out by hand.
type Rate struct {
	num, den int64
}

// NewRate returns the rate num out of den. A negative count or a zero den
// gives a rate that is not defined (there was no one to convert).
func NewRate(num, den int64) Rate {
	if num < 0 || den <= 0 {
		return Rate{}
	}
	return Rate{num: num, den: den}
}

// Num and Den return the two counts.
func (r Rate) Num() int64 { return r.num }
func (r Rate) Den() int64 { return r.den }

// Defined reports whether there was anyone to convert.
func (r Rate) Defined() bool { return r.den > 0 }

// Tenths returns the rate in tenths of a percent, rounded half up (375 for
// 3 of 8), and false when it is not defined.
func (r Rate) Tenths() (int64, bool) {
	if r.den <= 0 {
		return 0, false
	}
	return roundDiv(r.num*1000, r.den), true
}

// NoRate is what String writes for a rate that is not defined.
const NoRate = "n/a"

// String writes the rate as a percentage with one decimal: "37.5%",
// "100.0%", "0.0%"; NoRate when it is not defined.
func (r Rate) String() string {
	t, ok := r.Tenths()
	if !ok {
		return NoRate
	}
	return strconv.FormatInt(t/10, 10) + "." + strconv.FormatInt(t%10, 10) + "%"
}

// MarshalJSON writes the percentage as a JSON number with one decimal
// (37.5), or null when it is not defined.
func (r Rate) MarshalJSON() ([]byte, error) {
	t, ok := r.Tenths()
	if !ok {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatInt(t/10, 10) + "." + strconv.FormatInt(t%10, 10)), nil
}

// StageCount is how many co-ops of a cohort reached a stage.
type StageCount struct {
	Stage string
	Count int64
}

// Conversion is the rate from one funnel stage to the next.
type Conversion struct {
	From, To string
	Rate     Rate
}

// Conversions returns the rate between each stage and the next, in the
// order given: len(stages)-1 of them (none for fewer than two stages).
func Conversions(stages []StageCount) []Conversion {
	if len(stages) < 2 {
		return nil
	}
	out := make([]Conversion, 0, len(stages)-1)
	for i := 1; i < len(stages); i++ {
		out = append(out, Conversion{
			From: stages[i-1].Stage,
			To:   stages[i].Stage,
			Rate: NewRate(stages[i].Count, stages[i-1].Count),
		})
	}
	return out
}
