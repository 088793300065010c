package workdays_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/workdays"
)

func day(t *testing.T, s string) workdays.Date {
	t.Helper()
	d, err := workdays.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestWhy: one case per rule of the Procurement Act 2023, s.123(1), and per
// part of the UK's own bank holidays, each with its source.
func TestWhy(t *testing.T) {
	tests := []struct {
		date, why, source string // why "" means a working day
	}{
		{"2026-12-02", "", "an ordinary Wednesday"},
		{"2026-12-05", "Saturday", "s.123(1): not a Saturday"},
		{"2026-12-06", "Sunday", "s.123(1): not a Sunday"},
		{"2026-12-25", "Christmas Day", "s.123(1) names Christmas Day"},
		{"2027-12-25", "Saturday; Christmas Day", "Christmas Day on a Saturday: both reasons"},
		{"2027-12-27", "Christmas Day (substitute day)", "BFDA 1971 Sch 1 para 1: 27 December when 26 December is a Sunday"},
		{"2027-12-28", "Boxing Day (substitute day)", "royal proclamation: 26 December 2027 is a Sunday"},
		{"2026-12-28", "Boxing Day (substitute day)", "26 December 2026 is a Saturday: substitute Monday"},
		{"2026-12-29", "", "the Tuesday after Boxing Day's substitute counts"},
		{"2026-12-31", "", "New Year's Eve is a working day"},
		{"2026-04-03", "Good Friday", "s.123(1) names Good Friday (Easter 2026 is 5 April)"},
		{"2026-04-06", "Easter Monday (England and Wales, Northern Ireland)", "BFDA 1971 Sch 1 paras 1 and 3; not a Scottish bank holiday"},
		{"2027-03-26", "Good Friday", "s.123(1): Easter 2027 is 28 March"},
		{"2027-03-29", "Easter Monday (England and Wales, Northern Ireland)", "BFDA 1971 Sch 1 paras 1 and 3"},
		{"2026-01-01", "New Year's Day", "proclamation (EW, NI); Sch 1 para 2 (Scotland)"},
		{"2026-01-02", "2nd January (Scotland)", "BFDA 1971 Sch 1 para 2: 2 January in Scotland"},
		{"2027-01-01", "New Year's Day", "1 January 2027 is a Friday"},
		{"2027-01-04", "2nd January (substitute day) (Scotland)", "2 January 2027 is a Saturday: Monday in Scotland"},
		{"2028-01-03", "New Year's Day (substitute day)", "1 January 2028 is a Saturday"},
		{"2028-01-04", "2nd January (substitute day) (Scotland)", "2 January 2028 is a Sunday, 3 January taken by New Year"},
		{"2026-11-30", "St Andrew's Day (Scotland)", "BFDA 1971 Sch 1 para 2 as amended by the St Andrew's Day Bank Holiday (Scotland) Act 2007"},
		{"2030-12-02", "St Andrew's Day (substitute day) (Scotland)", "30 November 2030 is a Saturday: the first Monday after"},
		{"2026-08-03", "Summer bank holiday (Scotland)", "BFDA 1971 Sch 1 para 2: first Monday in August"},
		{"2026-08-31", "Summer bank holiday (England and Wales, Northern Ireland)", "BFDA 1971 Sch 1 paras 1 and 3: last Monday in August"},
		{"2026-06-15", "Extra bank holiday for the World Cup (Scotland)", "royal proclamation of 4 February 2026 (BFDA 1971 s.1(3))"},
		{"2026-03-17", "St Patrick's Day (Northern Ireland)", "BFDA 1971 Sch 1 para 3"},
		{"2029-03-19", "St Patrick's Day (substitute day) (Northern Ireland)", "17 March 2029 is a Saturday"},
		{"2030-03-18", "St Patrick's Day (substitute day) (Northern Ireland)", "Sch 1 para 3: 18 March when 17 March is a Sunday"},
		{"2027-07-12", "Battle of the Boyne (Orangemen's Day) (Northern Ireland)", "royal proclamation every year"},
		{"2026-07-13", "Battle of the Boyne (Orangemen's Day) (substitute day) (Northern Ireland)", "12 July 2026 is a Sunday"},
		{"2026-05-04", "Early May bank holiday", "proclamation (EW, NI); Sch 1 para 2 (Scotland): first Monday in May"},
		{"2026-05-25", "Spring bank holiday", "Sch 1 paras 1 and 3; proclamation (Scotland): last Monday in May"},
	}
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			d := day(t, tc.date)
			why, off := workdays.Why(d)
			if why != tc.why || off != (tc.why != "") {
				t.Errorf("Why(%s) = %q, %v; want %q (%s)", tc.date, why, off, tc.why, tc.source)
			}
			working, err := workdays.IsWorkingDay(d)
			if err != nil || working != (tc.why == "") {
				t.Errorf("IsWorkingDay(%s) = %v, %v (%s)", tc.date, working, err, tc.source)
			}
		})
	}
}

// TestStandstill: s.51(2), eight working days beginning with the day the
// contract award notice is published; the contract may be entered into
// from the day after the last.
func TestStandstill(t *testing.T) {
	tests := []struct {
		name, from  string
		days        int
		last, enter string
		skipped     []string // dates skipped, in order
		source      string
	}{
		{"plain fortnight", "2026-11-02", 8, "2026-11-11", "2026-11-12", []string{"2026-11-07", "2026-11-08"},
			"Monday publication counts as day 1; one weekend"},
		{"published on a Saturday", "2026-11-07", 8, "2026-11-18", "2026-11-19", []string{"2026-11-07", "2026-11-08", "2026-11-14", "2026-11-15"},
			"s.51(2): the period begins with the Saturday, which is not a working day, so Monday is day 1"},
		{"published on a holiday", "2026-04-03", 8, "2026-04-16", "2026-04-17",
			[]string{"2026-04-03", "2026-04-04", "2026-04-05", "2026-04-06", "2026-04-11", "2026-04-12"},
			"Good Friday and Easter Monday 2026 (s.123(1); Sch 1 para 1)"},
		{"across Easter 2027", "2027-03-22", 8, "2027-04-02", "2027-04-03",
			[]string{"2027-03-26", "2027-03-27", "2027-03-28", "2027-03-29"},
			"Good Friday 26 March and Easter Monday 29 March 2027; entry on a Saturday is allowed"},
		{"across Christmas and New Year 2026", "2026-12-21", 8, "2027-01-05", "2027-01-06",
			[]string{"2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28", "2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"},
			"Christmas Day; Boxing Day substitute 28 Dec; New Year's Day; Scotland's 2 January substitute 4 Jan 2027"},
		{"across Christmas and New Year 2027", "2027-12-22", 8, "2028-01-06", "2028-01-07",
			[]string{"2027-12-25", "2027-12-26", "2027-12-27", "2027-12-28", "2028-01-01", "2028-01-02", "2028-01-03", "2028-01-04"},
			"Christmas on a Saturday: substitutes 27 and 28 Dec; 1 and 2 January 2028 at a weekend: 3 Jan (UK) and 4 Jan (Scotland)"},
		{"New Year 2024-25", "2024-12-24", 8, "2025-01-08", "2025-01-09",
			[]string{"2024-12-25", "2024-12-26", "2024-12-28", "2024-12-29", "2025-01-01", "2025-01-02", "2025-01-04", "2025-01-05"},
			"Scotland's 2 January (Sch 1 para 2) puts the end a day later than England's holidays alone would"},
		{"a longer voluntary standstill", "2026-11-02", 10, "2026-11-13", "2026-11-14", []string{"2026-11-07", "2026-11-08"},
			"guidance: at least eight working days; a council may keep longer"},
		{"St Andrew's Day", "2026-11-26", 8, "2026-12-08", "2026-12-09", []string{"2026-11-28", "2026-11-29", "2026-11-30", "2026-12-05", "2026-12-06"},
			"a Scottish bank holiday stops the day counting for every tender (s.123(1): any part of the UK)"},
		{"Scotland's August holiday", "2026-07-29", 8, "2026-08-10", "2026-08-11", []string{"2026-08-01", "2026-08-02", "2026-08-03", "2026-08-08", "2026-08-09"},
			"first Monday in August (Sch 1 para 2)"},
		{"England's August holiday", "2026-08-26", 8, "2026-09-07", "2026-09-08", []string{"2026-08-29", "2026-08-30", "2026-08-31", "2026-09-05", "2026-09-06"},
			"last Monday in August (Sch 1 paras 1 and 3)"},
		{"St Patrick's Day", "2027-03-15", 8, "2027-03-25", "2027-03-26", []string{"2027-03-17", "2027-03-20", "2027-03-21"},
			"17 March (Sch 1 para 3), Northern Ireland only"},
		{"the Twelfth", "2027-07-08", 8, "2027-07-20", "2027-07-21", []string{"2027-07-10", "2027-07-11", "2027-07-12", "2027-07-17", "2027-07-18"},
			"12 July (proclamation), Northern Ireland only"},
		{"one day, a working day", "2026-12-02", 1, "2026-12-02", "2026-12-03", []string{}, "days=1 ends the day it begins"},
		{"one day from a Saturday", "2026-12-05", 1, "2026-12-07", "2026-12-08", []string{"2026-12-05", "2026-12-06"}, "days=1 begun at a weekend"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := workdays.Standstill(day(t, tc.from), tc.days)
			if err != nil {
				t.Fatalf("%s: %v", tc.source, err)
			}
			var skipped []string
			for _, s := range r.Skipped {
				skipped = append(skipped, s.Date.String())
				if s.Why == "" {
					t.Errorf("%s skipped with no reason", s.Date)
				}
			}
			if r.From.String() != tc.from || r.Days != tc.days || r.LastDay.String() != tc.last || r.EnterFrom.String() != tc.enter ||
				strings.Join(skipped, " ") != strings.Join(tc.skipped, " ") {
				t.Errorf("%s (%s):\n got last %s, enter %s, skipped %v\nwant last %s, enter %s, skipped %v",
					tc.name, tc.source, r.LastDay, r.EnterFrom, skipped, tc.last, tc.enter, tc.skipped)
			}
			// Whatever the case, the period holds exactly days working days.
			working := 0
			for d := r.From; !d.After(r.LastDay); d = d.AddDays(1) {
				if ok, _ := workdays.IsWorkingDay(d); ok {
					working++
				}
			}
			if working != tc.days {
				t.Errorf("the period holds %d working days, want %d", working, tc.days)
			}
		})
	}
}

// TestStandstillLong: a long period counts across years and every day it
// skips has a reason; the count of days in it adds up.
func TestStandstillLong(t *testing.T) {
	r, err := workdays.Standstill(day(t, "2026-01-01"), workdays.MaxDays)
	if err != nil {
		t.Fatal(err)
	}
	span := int(r.LastDay.UTCMidnight().Sub(r.From.UTCMidnight()).Hours()/24) + 1
	if span != workdays.MaxDays+len(r.Skipped) {
		t.Errorf("%d days from %s to %s, want %d working + %d skipped", span, r.From, r.LastDay, workdays.MaxDays, len(r.Skipped))
	}
	// 2026 has 261 weekdays, 14 of them holidays somewhere in the UK
	// (1 and 2 Jan, 17 Mar, 3 and 6 Apr, 4 and 25 May, 15 Jun, 13 Jul,
	// 3 and 31 Aug, 30 Nov, 25 and 28 Dec): 247 working days. In 2027,
	// 1 and 4 January do not count, so the 250th is Thursday 7 January.
	if r.LastDay.String() != "2027-01-07" {
		t.Errorf("250th working day from 1 January 2026 = %s, want 2027-01-07", r.LastDay)
	}
}

// TestStandstillRefuses: never a guess: dates outside the calendar, days
// out of range and a period running off the calendar's end name the field.
func TestStandstillRefuses(t *testing.T) {
	tests := []struct {
		name, from string
		days       int
		field      string
	}{
		{"before the calendar", "2023-12-29", 8, "from"},
		{"after the calendar", "2031-01-02", 8, "from"},
		{"zero days", "2026-12-01", 0, "days"},
		{"negative days", "2026-12-01", -3, "days"},
		{"too many days", "2026-12-01", workdays.MaxDays + 1, "days"},
		{"runs off the end", "2030-12-20", 8, "days"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := workdays.Standstill(day(t, tc.from), tc.days)
			if pathway.ErrorCode(err) != pathway.EINVALID || pathway.ErrorFields(err)[tc.field] == "" {
				t.Errorf("Standstill(%s, %d) = %v, want EINVALID naming %s", tc.from, tc.days, err, tc.field)
			}
		})
	}
	if _, err := workdays.Standstill(workdays.Date{}, 8); pathway.ErrorFields(err)["from"] == "" {
		t.Errorf("zero date: %v", err)
	}
	if _, err := workdays.IsWorkingDay(day(t, "2031-03-03")); pathway.ErrorCode(err) != pathway.EINVALID {
		t.Errorf("IsWorkingDay outside the calendar: %v", err)
	}
	if why, off := workdays.Why(day(t, "2023-03-01")); !off || !strings.Contains(why, "not in the holiday calendar") {
		t.Errorf("Why outside the calendar = %q, %v", why, off)
	}
}

// TestResultJSON: the result reads as the API answers it.
func TestResultJSON(t *testing.T) {
	r, err := workdays.Standstill(day(t, "2026-12-24"), 2)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	want := `{"from":"2026-12-24","days":2,"lastDay":"2026-12-29","enterFrom":"2026-12-30","skipped":[{"date":"2026-12-25","why":"Christmas Day"},{"date":"2026-12-26","why":"Saturday"},{"date":"2026-12-27","why":"Sunday"},{"date":"2026-12-28","why":"Boxing Day (substitute day)"}]}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
	// It ends at midnight UK time (GMT in December) as 30 December begins.
	if got := r.Ends(); !got.Equal(time.Date(2026, 12, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Ends = %s", got)
	}
	var back workdays.Result
	if err := json.Unmarshal(b, &back); err != nil || back.LastDay != r.LastDay || len(back.Skipped) != 4 {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}

// TestDate: parsing, the UK day at a moment, and the start of a day in UK time.
func TestDate(t *testing.T) {
	for _, bad := range []string{"", "2026-13-01", "2026-02-30", "30/11/2026", "2026-1-5"} {
		if _, err := workdays.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	// 23:30 UTC on 30 June is 00:30 BST on 1 July in the UK.
	if got := workdays.Today(time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC)); got.String() != "2026-07-01" {
		t.Errorf("Today in summer = %s", got)
	}
	if got := workdays.Today(time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)); got.String() != "2026-12-31" {
		t.Errorf("Today in winter = %s", got)
	}
	if got := day(t, "2026-07-01").Start().UTC(); !got.Equal(time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("Start of a summer day = %s, want 23:00 UTC the day before", got)
	}
	if got := day(t, "2026-12-09").Start().UTC(); !got.Equal(time.Date(2026, 12, 9, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Start of a winter day = %s", got)
	}
	if day(t, "2026-12-25") != workdays.NewDate(2026, time.December, 25) {
		t.Error("Parse and NewDate give different dates for one day")
	}
	if got := day(t, "2026-12-25").Long(); got != "Friday 25 December 2026" {
		t.Errorf("Long = %q", got)
	}
}

// TestStandstillOf: text as people type it; days left out is the Act's 8;
// every field at fault is named at once.
func TestStandstillOf(t *testing.T) {
	r, err := workdays.StandstillOf(" 2026-11-02 ", "")
	if err != nil || r.Days != workdays.StandstillDays || r.LastDay.String() != "2026-11-11" {
		t.Errorf("StandstillOf default = %+v, %v", r, err)
	}
	_, err = workdays.StandstillOf("2 November", "eight")
	if f := pathway.ErrorFields(err); f["from"] == "" || f["days"] == "" {
		t.Errorf("both wrong: %v", err)
	}
}
