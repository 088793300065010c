package workdays

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// easter returns Easter Sunday of year y in the Gregorian calendar (the
// anonymous Gregorian algorithm), to check the data independently.
func easter(y int) Date {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	return NewDate(y, time.Month((h+l-7*m+114)/31), (h+l-7*m+114)%31+1)
}

// TestCalendarData checks holidays.csv against the rules it comes from, so
// a mistyped row fails here: every year covered, Good Friday and Easter
// Monday where Easter puts them, Christmas Day on 25 December, each part's
// fixed holidays present, and every bank holiday other than Christmas Day
// on a weekday (the Schedule and proclamations move weekend days).
func TestCalendarData(t *testing.T) {
	if FirstYear() > 2024 || LastYear() < 2030 {
		t.Fatalf("the calendar covers %d to %d, want at least 2024 to 2030", FirstYear(), LastYear())
	}
	for y := FirstYear(); y <= LastYear(); y++ {
		per := map[Part]int{}
		names := map[string]Date{}
		for _, h := range Holidays(y) {
			for _, p := range h.Parts {
				per[p]++
			}
			names[h.Name+"/"+string(h.Parts[0])] = h.Date
			if wd := h.Date.Weekday(); (wd == time.Saturday || wd == time.Sunday) && h.Name != "Christmas Day" {
				t.Errorf("%s %s falls on a %s: a weekend bank holiday needs its substitute day instead", h.Date, h.Name, wd)
			}
			published := strings.Contains(h.Source, "GOV.UK bank holidays ("+strconv.Itoa(y)+")")
			derived := strings.Contains(h.Source, "Derived for "+strconv.Itoa(y))
			if published == derived && !strings.Contains(h.Source, "proclamation of") {
				t.Errorf("%s %s: source %q: say either the GOV.UK list of its year or that it is derived", h.Date, h.Name, h.Source)
			}
		}
		// England and Wales: 8 a year; Scotland: 9 (10 in 2026, the World
		// Cup day); Northern Ireland: 10 (GOV.UK's counts, Christmas Day on
		// a Saturday counted once with its substitute day as one).
		wantEW, wantSC, wantNI := 8, 9, 10
		if y == 2026 {
			wantSC = 10
		}
		if NewDate(y, 12, 25).Weekday() == time.Saturday { // the 25th and its substitute both listed
			wantEW, wantSC, wantNI = wantEW+1, wantSC+1, wantNI+1
		}
		if per[EnglandAndWales] != wantEW || per[Scotland] != wantSC || per[NorthernIreland] != wantNI {
			t.Errorf("%d: %d holidays in England and Wales, %d in Scotland, %d in Northern Ireland; want %d, %d, %d",
				y, per[EnglandAndWales], per[Scotland], per[NorthernIreland], wantEW, wantSC, wantNI)
		}
		if got, want := names["Good Friday/EW"], easter(y).AddDays(-2); got != want {
			t.Errorf("%d: Good Friday %s, want %s", y, got, want)
		}
		if got, want := names["Easter Monday/EW"], easter(y).AddDays(1); got != want {
			t.Errorf("%d: Easter Monday %s, want %s", y, got, want)
		}
		if got := names["Christmas Day/EW"]; got != NewDate(y, 12, 25) {
			t.Errorf("%d: Christmas Day %s", y, got)
		}
	}
}

// TestParseCalendarRefusesBadData: a malformed calendar is refused, never
// half read.
func TestParseCalendarRefusesBadData(t *testing.T) {
	head := "# comment\ndate,name,parts,source\n"
	tests := map[string]string{
		"no header":       "2026-12-25,Christmas Day,EW SC NI,s.123\n",
		"no rows":         head,
		"bad date":        head + "2026-12-32,Christmas Day,EW,x\n",
		"no source":       head + "2026-12-25,Christmas Day,EW,\n",
		"no name":         head + "2026-12-25,,EW,x\n",
		"unknown part":    head + "2026-12-25,Christmas Day,EW WA,x\n",
		"repeated part":   head + "2026-12-25,Christmas Day,EW EW,x\n",
		"no parts":        head + "2026-12-25,Christmas Day,,x\n",
		"out of order":    head + "2026-12-25,Christmas Day,EW,x\n2026-12-24,Eve,EW,x\n",
		"missing a field": head + "2026-12-25,Christmas Day,EW\n",
	}
	for name, text := range tests {
		if _, err := parseCalendar(text); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c, err := parseCalendar(head + "2026-12-25,Christmas Day,NI EW,x\n")
	if err != nil || c.first != 2026 || c.last != 2026 || !slices.Equal(c.all[0].Parts, []Part{EnglandAndWales, NorthernIreland}) {
		t.Errorf("good calendar: %+v, %v", c, err)
	}
}
