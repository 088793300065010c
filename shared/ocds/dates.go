package ocds

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// DateTime writes an instant as an RFC 3339 date-time in UK time, with its
// offset (2027-03-14T09:30:00Z in winter, …+01:00 in summer), as Find a
// Tender does. Zero is "".
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(pathway.UKTime).Format(time.RFC3339)
}

// StartOfDay writes the start of t's UK calendar day: a period that starts
// on a day starts at its midnight. Zero is "".
func StartOfDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	y, m, d := t.In(pathway.UKTime).Date()
	return DateTime(time.Date(y, m, d, 0, 0, 0, 0, pathway.UKTime))
}

// EndOfDay writes the last second of t's UK calendar day: a period that
// ends on a day (a contract's last day, standstill's last day) lasts all of
// it, as OCDS's guidance on dates advises (23:59:59). Zero is "".
func EndOfDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	y, m, d := t.In(pathway.UKTime).Date()
	return DateTime(time.Date(y, m, d, 23, 59, 59, 0, pathway.UKTime))
}
