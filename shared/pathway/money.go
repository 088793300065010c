package pathway

import (
	"fmt"
	"strconv"
)

// Pounds writes an amount in pence as people read money: "£10,000",
// "£1,250.50"; whole pounds lose their pence.
func Pounds(pence int64) string {
	sign := ""
	if pence < 0 {
		sign, pence = "-", -pence
	}
	s := sign + "£" + Thousands(pence/100)
	if p := pence % 100; p != 0 {
		s += fmt.Sprintf(".%02d", p)
	}
	return s
}

// Thousands writes a count as people read it, with commas between groups
// of three digits: "12,500", "-1,000".
func Thousands(n int64) string {
	sign := ""
	if n < 0 {
		sign = "-"
	}
	s := strconv.FormatInt(n, 10)
	if sign != "" {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}
