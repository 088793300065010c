package tendersteps

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Weekdays is a standstill calculator that counts Monday to Friday only,
// with no bank holidays: the stand-in until shared/workdays (the Act's
// working days, s.123, with every part of the UK's holidays) is wired in
// its place. As s.51 reads, the period of workingDays begins with the day
// the award notice is published (from), which counts when it is a weekday;
// the contract may be entered into from the day after the last day.
func Weekdays(from string, workingDays int) (lastDay, enterFrom string, err error) {
	d, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return "", "", pathway.Invalid(map[string]string{"from": "Enter a date as YYYY-MM-DD"})
	}
	if workingDays < 1 {
		return "", "", pathway.Invalid(map[string]string{"days": "Must be at least 1"})
	}
	for n := 0; ; d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		if n++; n == workingDays {
			return d.Format(time.DateOnly), d.AddDate(0, 0, 1).Format(time.DateOnly), nil
		}
	}
}
