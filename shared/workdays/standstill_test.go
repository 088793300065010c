package workdays_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/workdays"
)

// TestCalculateIsACalculator: Calculate fits tenders.Calculator and gives
// Standstill's days (Christmas 2026: Fri 25 Dec and Mon 28 Dec substitute
// for Boxing Day, 1 Jan 2027, and 4 Jan in Scotland do not count).
func TestCalculateIsACalculator(t *testing.T) {
	var calc tenders.Calculator = workdays.Calculate
	last, enter, err := calc("2026-12-22", 8)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := workdays.StandstillOf("2026-12-22", "8")
	if last != r.LastDay.String() || enter != r.EnterFrom.String() {
		t.Errorf("Calculate = %s, %s; Standstill says %s, %s", last, enter, r.LastDay, r.EnterFrom)
	}
	if _, _, err := calc("22/12/2026", 8); pathway.ErrorFields(err)["from"] == "" {
		t.Errorf("a bad date gave %v, want an error naming from", err)
	}
}
