package workdays

import (
	"fmt"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Date is a day of the calendar in the UK, with no time or zone: the unit
// the Act counts in. The zero Date is not a day; Parse and NewDate make
// real ones. Dates compare with == and order with Before and After. In
// JSON a Date is a "YYYY-MM-DD" string; tag an optional one omitzero.
type Date struct {
	t time.Time // midnight UTC of the day: only its year, month and day mean anything
}

// NewDate returns the day y-m-d, normalised as time.Date normalises
// (31 April is 1 May).
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// Parse reads a date written YYYY-MM-DD ("2027-03-14").
func Parse(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("workdays: %q is not a date written YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// Today returns the day it is at now in the UK (a day ahead of UTC near
// midnight in summer).
func Today(now time.Time) Date {
	y, m, d := now.In(pathway.UKTime).Date()
	return NewDate(y, m, d)
}

// IsZero reports whether d is the zero Date, which is no day.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String writes the date as YYYY-MM-DD.
func (d Date) String() string { return d.t.Format(time.DateOnly) }

// Long writes the date as people in the UK read it: "Friday 25 December 2026".
func (d Date) Long() string { return d.t.Format("Monday 2 January 2006") }

// Year returns the date's year.
func (d Date) Year() int { return d.t.Year() }

// Month returns the date's month.
func (d Date) Month() time.Month { return d.t.Month() }

// Day returns the date's day of the month.
func (d Date) Day() int { return d.t.Day() }

// Weekday returns the date's day of the week.
func (d Date) Weekday() time.Weekday { return d.t.Weekday() }

// AddDays returns the date n calendar days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// MarshalText writes YYYY-MM-DD, so a Date is a JSON string.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD, so a Date is a JSON string.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Start returns the moment the day begins in the UK (midnight in London,
// GMT or BST): what a workflow's Wait state waits for, e.g. the start of
// the first day a contract may be entered into.
func (d Date) Start() time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, pathway.UKTime)
}

// UTCMidnight returns midnight UTC of the day: the form pathway's dates
// read from YYYY-MM-DD take (pathway.UKToday, pathway.PastDate).
func (d Date) UTCMidnight() time.Time { return d.t }
