package pathway

import (
	"math"
	"time"
	_ "time/tzdata" // dates are shown in UK time even where the host has no zone database
)

// UKTime is the zone of every date people see or enter: every co-op is in
// England. The zone database is embedded, so it loads everywhere.
var UKTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// FormatDate writes a date as people in the UK write it: "14 March 2027".
func FormatDate(t time.Time) string { return t.In(UKTime).Format("2 January 2006") }

// UKToday returns the day it is at now in the UK, as a date read from
// YYYY-MM-DD is (midnight UTC of that day), so dates people enter compare
// with it directly. Near midnight in summer, the UK is a day ahead of UTC.
func UKToday(now time.Time) time.Time {
	y, m, d := now.In(UKTime).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// EarliestDate is the first day a date people enter may be: nothing the
// service records (an application, a CQC submission or decision) happened
// before it, so an earlier date is a slip (or "0001-01-01").
var EarliestDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// PastDate reads a date entered as YYYY-MM-DD that must have been: not
// after today in the UK (a submission, a notice already received) and
// not before EarliestDate. It returns the date, or says what is wrong with
// it in a sentence for the person who entered it. An empty date is wrong;
// callers for whom the date is optional do not call it then.
func PastDate(s string, now time.Time) (time.Time, string) {
	return PastDateSince(s, time.Time{}, "", now)
}

// PastDateSince is PastDate for a date that cannot be before the UK day
// of since either (a CQC submission: not before the co-op applied); why
// says what since is, for the message ("the day the co-op applied"). A
// zero since adds nothing to PastDate.
func PastDateSince(s string, since time.Time, why string, now time.Time) (time.Time, string) {
	if s == "" {
		return time.Time{}, "Enter the date as YYYY-MM-DD"
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, "Enter a date as YYYY-MM-DD, for example 2027-03-14"
	}
	if d.Before(EarliestDate) {
		return time.Time{}, "Must be " + FormatDate(EarliestDate) + " or later"
	}
	if d.After(UKToday(now)) {
		return time.Time{}, "Must not be in the future: today or earlier"
	}
	if !since.IsZero() {
		if first := UKToday(since); d.Before(first) {
			msg := "Must be " + FormatDate(first) + " or later"
			if why != "" {
				msg += ", " + why
			}
			return time.Time{}, msg
		}
	}
	return d, ""
}

// DaysSince counts the whole days from t to now (zero for a zero t or one
// after now), as the pipeline counts days in a stage.
func DaysSince(t, now time.Time) int {
	if t.IsZero() || now.Before(t) {
		return 0
	}
	return int(math.Floor(now.Sub(t).Hours() / 24))
}
