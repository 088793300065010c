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
	s := sign + "£" + thousands(pence/100)
	if p := pence % 100; p != 0 {
		s += fmt.Sprintf(".%02d", p)
	}
	return s
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
