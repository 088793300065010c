// Package workdays counts working days as the Procurement Act 2023 defines
// them, and the standstill period that follows a contract award notice.
//
// Procurement Act 2023, s.123(1) (interpretation): a "working day" is any
// day other than a Saturday or Sunday, Christmas Day, Good Friday, or a
// day which is a bank holiday under the Banking and Financial Dealings Act
// 1971 in any part of the United Kingdom (the same definition as in the
// Freedom of Information Act 2000, s.10(6)). So a bank holiday in Scotland or
// Northern Ireland alone (St Andrew's Day, 12 July) is not a working day
// for an English council's tender either.
//
// The holidays are data (holidays.csv, embedded), one row per day with its
// source; the code adds only Saturdays and Sundays. The calendar covers
// whole years (FirstYear to LastYear) and refuses any other date rather
// than guess whether it is a working day.
package workdays

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

//go:embed holidays.csv
var holidaysCSV string

// Part is a part of the United Kingdom with its own bank holidays.
type Part string

// The parts of the United Kingdom, as holidays.csv names them.
const (
	EnglandAndWales Part = "EW"
	Scotland        Part = "SC"
	NorthernIreland Part = "NI"
)

// Name is the part's name for people.
func (p Part) Name() string {
	switch p {
	case EnglandAndWales:
		return "England and Wales"
	case Scotland:
		return "Scotland"
	case NorthernIreland:
		return "Northern Ireland"
	}
	return string(p)
}

// allParts is every part, in the order names list them.
var allParts = []Part{EnglandAndWales, Scotland, NorthernIreland}

// Holiday is one row of the calendar: a day that is not a working day in
// the parts listed, and where that is written down.
type Holiday struct {
	Date   Date
	Name   string // "Easter Monday", "St Andrew's Day (substitute day)"
	Parts  []Part // where it is a holiday (any one is enough to stop the day counting)
	Source string // the legislation, proclamation or GOV.UK list it comes from
}

// Why says what the holiday is and, when it is not a holiday everywhere,
// where: "Easter Monday (England and Wales, Northern Ireland)".
func (h Holiday) Why() string {
	if len(h.Parts) == len(allParts) {
		return h.Name
	}
	names := make([]string, len(h.Parts))
	for i, p := range h.Parts {
		names[i] = p.Name()
	}
	return h.Name + " (" + strings.Join(names, ", ") + ")"
}

// calendar is the parsed holidays.csv.
type calendar struct {
	first, last int                // the years covered, inclusive
	byDate      map[Date][]Holiday // every holiday on a day
	all         []Holiday          // in file order (date order)
}

// cal is the embedded calendar. A malformed file is a build mistake that
// the package's tests catch, so it panics rather than run with a calendar
// that is wrong.
var cal = func() *calendar {
	c, err := parseCalendar(holidaysCSV)
	if err != nil {
		panic("workdays: holidays.csv: " + err.Error())
	}
	return c
}()

// parseCalendar reads the calendar: lines starting "#" are comments; then a
// header row date,name,parts,source; then one row per holiday, in date order.
func parseCalendar(text string) (*calendar, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	r.FieldsPerRecord = 4
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 || strings.Join(rows[0], ",") != "date,name,parts,source" {
		return nil, fmt.Errorf("want the header date,name,parts,source and at least one row")
	}
	c := &calendar{byDate: map[Date][]Holiday{}}
	for i, row := range rows[1:] {
		h, err := parseHoliday(row)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i+2, err)
		}
		if n := len(c.all); n > 0 && h.Date.Before(c.all[n-1].Date) {
			return nil, fmt.Errorf("row %d: %s is before the row above: keep the rows in date order", i+2, h.Date)
		}
		c.all = append(c.all, h)
		c.byDate[h.Date] = append(c.byDate[h.Date], h)
	}
	c.first, c.last = c.all[0].Date.Year(), c.all[len(c.all)-1].Date.Year()
	return c, nil
}

// parseHoliday reads one row.
func parseHoliday(row []string) (Holiday, error) {
	d, err := Parse(row[0])
	if err != nil {
		return Holiday{}, err
	}
	h := Holiday{Date: d, Name: strings.TrimSpace(row[1]), Source: strings.TrimSpace(row[3])}
	if h.Name == "" || h.Source == "" {
		return Holiday{}, fmt.Errorf("%s: every holiday needs a name and a source", d)
	}
	for _, f := range strings.Fields(row[2]) {
		p := Part(f)
		if !slices.Contains(allParts, p) || slices.Contains(h.Parts, p) {
			return Holiday{}, fmt.Errorf("%s: parts %q: want EW, SC and NI, each at most once", d, row[2])
		}
		h.Parts = append(h.Parts, p)
	}
	if len(h.Parts) == 0 {
		return Holiday{}, fmt.Errorf("%s: no parts of the UK", d)
	}
	slices.SortFunc(h.Parts, func(a, b Part) int { return slices.Index(allParts, a) - slices.Index(allParts, b) })
	return h, nil
}

// FirstYear returns the first year the calendar covers.
func FirstYear() int { return cal.first }

// LastYear returns the last year the calendar covers.
func LastYear() int { return cal.last }

// Holidays returns the calendar's holidays in a year, in date order (nil
// for a year it does not cover).
func Holidays(year int) []Holiday {
	var out []Holiday
	for _, h := range cal.all {
		if h.Date.Year() == year {
			out = append(out, h)
		}
	}
	return out
}

// Covers returns nil when the calendar covers d, and otherwise an EINVALID
// error naming field that says which years it covers.
func Covers(d Date, field string) error {
	if d.IsZero() {
		return pathway.Invalid(map[string]string{field: "Enter a date as YYYY-MM-DD, for example 2027-03-14"})
	}
	if y := d.Year(); y < cal.first || y > cal.last {
		return pathway.Invalid(map[string]string{field: fmt.Sprintf(
			"Must be a date from %d to %d: the holiday calendar covers those years only, and working days outside them cannot be counted", cal.first, cal.last)})
	}
	return nil
}

// IsWorkingDay reports whether d is a working day under the Procurement
// Act 2023, s.123(1); a date the calendar does not cover is an error.
func IsWorkingDay(d Date) (bool, error) {
	if err := Covers(d, "date"); err != nil {
		return false, err
	}
	_, off := Why(d)
	return !off, nil
}

// Why says why d is not a working day ("Saturday", "Good Friday",
// "St Andrew's Day (Scotland)"; every reason when there are several,
// "Saturday; Christmas Day"), with true; for a working day it returns "",
// false. For a date the calendar does not cover it returns a sentence
// saying so, with true: such a day is never counted as a working day
// (IsWorkingDay and Standstill refuse it).
func Why(d Date) (string, bool) {
	if Covers(d, "date") != nil {
		return fmt.Sprintf("not in the holiday calendar (%d to %d)", cal.first, cal.last), true
	}
	var why []string
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		why = append(why, wd.String())
	}
	for _, h := range cal.byDate[d] {
		why = append(why, h.Why())
	}
	return strings.Join(why, "; "), len(why) > 0
}
