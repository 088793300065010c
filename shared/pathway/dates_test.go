package pathway_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestPastDateTakesTodayInLondon: "today" for a date a person enters is
// the day in the UK. Half an hour after midnight in a London summer it is
// still the day before in UTC, so a rule that took the day in UTC would
// refuse today's date as in the future.
func TestPastDateTakesTodayInLondon(t *testing.T) {
	now := time.Date(2027, 7, 14, 23, 30, 0, 0, time.UTC) // 00:30 on 15 July in London (BST)
	if got := pathway.UKToday(now); !got.Equal(time.Date(2027, 7, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("UKToday(%v) = %v, want 15 July", now, got)
	}
	if d, msg := pathway.PastDate("2027-07-15", now); msg != "" || !d.Equal(time.Date(2027, 7, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("today in London: %v %q, want it accepted", d, msg)
	}
	if _, msg := pathway.PastDate("2027-07-16", now); !strings.Contains(msg, "Must not be in the future") {
		t.Errorf("tomorrow in London: %q, want it refused as in the future", msg)
	}
	// In winter London keeps UTC: 23:30 UTC is still the same day.
	winter := time.Date(2027, 1, 14, 23, 30, 0, 0, time.UTC)
	if _, msg := pathway.PastDate("2027-01-15", winter); msg == "" {
		t.Error("in winter, the next day was accepted before midnight")
	}
	for _, bad := range []string{"", "15/07/2027", "2027-02-30"} {
		if _, msg := pathway.PastDate(bad, now); msg == "" || !strings.Contains(msg, "YYYY-MM-DD") {
			t.Errorf("PastDate(%q) = %q, want it refused naming the format", bad, msg)
		}
	}
}

func TestDaysSince(t *testing.T) {
	t0 := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		at   time.Time
		want int
	}{
		{t0.Add(47 * time.Hour), 1}, {t0.Add(48 * time.Hour), 2}, {t0.Add(-time.Hour), 0},
	} {
		if got := pathway.DaysSince(t0, tt.at); got != tt.want {
			t.Errorf("DaysSince(%v) = %d, want %d", tt.at, got, tt.want)
		}
	}
	if pathway.DaysSince(time.Time{}, t0) != 0 {
		t.Error("days since the zero time")
	}
}

func TestTextHelpers(t *testing.T) {
	if got := pathway.Clip("Hollin Bank Care Co-op", 10); got != "Hollin Ba…" || len([]rune(got)) != 10 {
		t.Errorf("Clip = %q", got)
	}
	if got := pathway.Clip("short", 10); got != "short" {
		t.Errorf("Clip kept = %q", got)
	}
	if got := pathway.JoinAnd([]string{"a", "b", "c"}); got != "a, b and c" {
		t.Errorf("JoinAnd = %q", got)
	}
	if got := pathway.JoinOr([]string{"a", "b"}); got != "a or b" {
		t.Errorf("JoinOr = %q", got)
	}
	if got := pathway.Readable("proposal-to-refuse"); got != "Proposal to refuse" {
		t.Errorf("Readable = %q", got)
	}
}

// TestThousands: counts as people read them, negatives included.
func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 12500: "12,500", 1234567: "1,234,567", -1000: "-1,000", -999: "-999"} {
		if got := pathway.Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
