package giving360

import (
	"encoding/json"
	"math"
	"testing"
)

func TestPounds(t *testing.T) {
	cases := []struct {
		pence int64
		want  string
	}{
		{0, "0"},
		{1, "0.01"},
		{9, "0.09"},
		{10, "0.1"},
		{99, "0.99"},
		{100, "1"},
		{150, "1.5"},
		{12345, "123.45"},
		{100000000, "1000000"},
		// 2^53+1 pence: a float64 would print ...992 (it cannot hold it).
		{9007199254740993, "90071992547409.93"},
		{math.MaxInt64, "92233720368547758.07"},
		{-1, "-0.01"},
		{-12345, "-123.45"},
		{math.MinInt64, "-92233720368547758.08"},
	}
	for _, c := range cases {
		got := Pounds(c.pence)
		if string(got) != c.want {
			t.Errorf("Pounds(%d) = %s, want %s", c.pence, got, c.want)
		}
		// It must be a JSON number, written as is.
		b, err := json.Marshal(struct{ N json.Number }{got})
		if err != nil || string(b) != `{"N":`+c.want+`}` {
			t.Errorf("Pounds(%d) marshals as %s (%v)", c.pence, b, err)
		}
	}
}
