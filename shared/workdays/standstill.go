package workdays

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Procurement Act 2023, s.51 (standstill periods on the award of
// contracts): a contracting authority may not enter into a public contract
// before the end of the mandatory standstill period, the period of eight
// working days beginning with the day on which the contract award notice
// is published (s.51(2); the Cabinet Office guidance "Contract award
// notices and standstill" says the same). Where standstill is not
// mandatory (a light-touch contract, among others) the authority may keep
// a voluntary standstill period of the same eight working days (s.51).
// The guidance says "at least eight working days": a council may keep a
// longer one, so the number of days is the caller's, 8 by default.
//
// Two readings follow from "working days beginning with the day":
//   - the day of publication counts as the first working day when it is a
//     working day; when it is not (a Saturday, a bank holiday anywhere in
//     the UK), the period still begins that day, but the first working
//     day counted is the next working day;
//   - the period ends at the end of its last working day, so the contract
//     may be entered into from the next calendar day (which may itself be
//     a weekend or holiday: the Act forbids entry before the end of the
//     period, not entry on a non-working day).

// StandstillDays is the length of the mandatory standstill period, and the
// usual length of a voluntary one.
const StandstillDays = 8

// MaxDays is the longest period Standstill counts: a working year. A
// longer one is a slip, not a standstill.
const MaxDays = 250

// Skip is a day inside the period that does not count, and why.
type Skip struct {
	Date Date   `json:"date"`
	Why  string `json:"why"`
}

// Result is a standstill period worked out.
type Result struct {
	From      Date   `json:"from"`      // the day the contract award notice is published
	Days      int    `json:"days"`      // working days in the period
	LastDay   Date   `json:"lastDay"`   // the last day of the period
	EnterFrom Date   `json:"enterFrom"` // the first day the contract may be entered into
	Skipped   []Skip `json:"skipped"`   // the days from From to LastDay that did not count, in order
}

// Ends returns the moment the period ends: the start, in UK time, of the
// first day the contract may be entered into. A workflow waits until it.
func (r Result) Ends() time.Time { return r.EnterFrom.Start() }

// Standstill works out the standstill period of days working days
// beginning with from, the day the contract award notice is published. A
// from outside the calendar, days outside 1 to MaxDays, or a period
// running past the calendar's last year is an EINVALID error naming the
// field ("from" or "days").
func Standstill(from Date, days int) (Result, error) {
	if err := Covers(from, "from"); err != nil {
		return Result{}, err
	}
	if days < 1 || days > MaxDays {
		return Result{}, pathway.Invalid(map[string]string{"days": fmt.Sprintf("Must be a whole number of working days from 1 to %d (the Act's standstill is %d)", MaxDays, StandstillDays)})
	}
	res := Result{From: from, Days: days, Skipped: []Skip{}}
	counted := 0
	for d := from; ; d = d.AddDays(1) {
		if d.Year() > cal.last {
			return Result{}, pathway.Invalid(map[string]string{"days": fmt.Sprintf(
				"The period would run past 31 December %d, where the holiday calendar ends: working days after it cannot be counted yet", cal.last)})
		}
		if why, off := Why(d); off {
			res.Skipped = append(res.Skipped, Skip{Date: d, Why: why})
			continue
		}
		if counted++; counted == days {
			res.LastDay, res.EnterFrom = d, d.AddDays(1)
			return res, nil
		}
	}
}

// StandstillOf is Standstill for a date and a number of days as people
// type them (a query string, a form): from as YYYY-MM-DD, days a whole
// number, StandstillDays when empty. Every field at fault is named in one
// EINVALID error.
func StandstillOf(from, days string) (Result, error) {
	bad := map[string]string{}
	d, err := Parse(strings.TrimSpace(from))
	if err != nil {
		bad["from"] = "Enter the day the contract award notice is published as YYYY-MM-DD, for example 2027-03-15"
	}
	n, err := ParseDays(days)
	if err != nil {
		bad["days"] = pathway.ErrorFields(err)["days"]
	}
	if len(bad) > 0 {
		return Result{}, pathway.Invalid(bad)
	}
	return Standstill(d, n)
}

// ParseDays reads a number of working days as people type it:
// StandstillDays when empty, else a whole number from 1 to MaxDays; an
// EINVALID error naming "days" otherwise.
func ParseDays(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return StandstillDays, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxDays {
		return 0, pathway.Invalid(map[string]string{"days": fmt.Sprintf(
			"Enter the number of working days as a whole number from 1 to %d (the Act's standstill is %d)", MaxDays, StandstillDays)})
	}
	return n, nil
}

// Calculate is Standstill on dates written YYYY-MM-DD, in the shape of
// tenders.Calculator: the last day of a standstill of days working days
// beginning with from, and the first day the contract may be entered into.
func Calculate(from string, days int) (lastDay, enterFrom string, err error) {
	d, err := Parse(from)
	if err != nil {
		return "", "", pathway.Invalid(map[string]string{"from": "Enter the day the contract award notice is published as YYYY-MM-DD, for example 2027-03-15"})
	}
	r, err := Standstill(d, days)
	if err != nil {
		return "", "", err
	}
	return r.LastDay.String(), r.EnterFrom.String(), nil
}
