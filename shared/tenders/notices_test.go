package tenders_test

import (
	"errors"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// TestContractNoticeDue: s.53(1), the contract details notice within 30
// days beginning with the day the contract is entered into (that day
// is the first), 120 for a light touch contract.
func TestContractNoticeDue(t *testing.T) {
	tests := []struct {
		name       string
		lightTouch bool
		signedOn   string
		want       string
	}{
		{"30 days across January's end", false, "2027-01-20", "2027-02-18"},
		{"30 days across March's end", false, "2027-03-20", "2027-04-18"},
		{"30 days across the year's end", false, "2027-12-10", "2028-01-08"},
		{"120 days light touch from January", true, "2027-01-20", "2027-05-19"},
		{"120 days light touch across the year's end", true, "2027-12-10", "2028-04-07"},
		{"a date that does not read", false, "20 January 2027", ""},
	}
	for _, tt := range tests {
		td := tender()
		td.LightTouch = tt.lightTouch
		if got := tenders.ContractNoticeDue(td, tt.signedOn); got != tt.want {
			t.Errorf("s.53 %s: due %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestStandstillPeriodOf: s.51(2), the standstill begins with the day the
// contract award notice is published and lasts the tender's working days;
// the calculator (shared/workdays in the product) counts them.
func TestStandstillPeriodOf(t *testing.T) {
	var gotFrom string
	var gotDays int
	fake := func(from string, days int) (string, string, error) {
		gotFrom, gotDays = from, days
		return "2027-09-22", "2027-09-23", nil
	}
	td := tender()
	p, err := tenders.StandstillPeriodOf(td, "2027-09-13", fake)
	if err != nil || *p != (tenders.StandstillPeriod{From: "2027-09-13", LastDay: "2027-09-22", EnterFrom: "2027-09-23"}) || gotFrom != "2027-09-13" || gotDays != 8 {
		t.Errorf("8 working days: %+v %v (calculator asked %s, %d)", p, err, gotFrom, gotDays)
	}
	td.Standstill.WorkingDays = 10
	if _, err := tenders.StandstillPeriodOf(td, "2027-09-13", fake); err != nil || gotDays != 10 {
		t.Errorf("a longer voluntary standstill: %v, %d days", err, gotDays)
	}
	td.Standstill = tenders.Standstill{}
	if p, err := tenders.StandstillPeriodOf(td, "2027-09-13", fake); p != nil || err != nil {
		t.Errorf("light touch without standstill (s.51(3)): %+v %v", p, err)
	}
	td = tender()
	if _, err := tenders.StandstillPeriodOf(td, "13/09/2027", fake); pathway.ErrorFields(err)["publishedOn"] == "" {
		t.Errorf("a malformed date: %v", err)
	}
	boom := errors.New("no calendar for 2031")
	if _, err := tenders.StandstillPeriodOf(td, "2031-01-02", func(string, int) (string, string, error) { return "", "", boom }); !errors.Is(err, boom) {
		t.Errorf("the calculator's error: %v", err)
	}
}
