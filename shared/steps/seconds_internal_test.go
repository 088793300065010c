package steps

import (
	"testing"
	"time"
)

// Rule: a wait's TimeoutSecondsPath gets a whole number of seconds, at
// least one, because Step Functions rejects zero: a due date already
// reached waits one second.
func TestSecondsForAWait(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want int64
	}{
		{14 * 24 * time.Hour, 14 * 86400},
		{90 * time.Second, 90},
		{1500 * time.Millisecond, 1},
		{0, 1},
		{-time.Hour, 1},
	} {
		if got := Seconds(tc.d); got != tc.want {
			t.Errorf("Seconds(%v) = %d, want %d", tc.d, got, tc.want)
		}
	}
}
