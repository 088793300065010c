package giving360

import (
	"encoding/json"
	"strconv"
)

// Pounds writes an amount in pence as pounds for 360Giving, which wants a
// plain number of the currency unit: 12345 → 123.45, 100 → 1, 150 → 1.5.
// It uses integer arithmetic only: a float64 would round amounts above
// 2^53 pence and could print 0.1+0.2 style drift.
func Pounds(pence int64) json.Number {
	sign := ""
	// Work on the magnitude as uint64 so that math.MinInt64 has one too.
	abs := uint64(pence)
	if pence < 0 {
		sign = "-"
		abs = -abs
	}
	s := sign + strconv.FormatUint(abs/100, 10)
	switch p := abs % 100; {
	case p == 0:
	case p%10 == 0:
		s += "." + strconv.FormatUint(p/10, 10) // 150 → 1.5, not 1.50
	default:
		s += "." + string(rune('0'+p/10)) + string(rune('0'+p%10))
	}
	return json.Number(s)
}
