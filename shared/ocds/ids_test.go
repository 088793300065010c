package ocds

import (
	"errors"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestOCID(t *testing.T) {
	cases := []struct {
		prefix, id string
		want       string
		badField   string
	}{
		{"ocds-a1b2c3", "T42", "ocds-a1b2c3-T42", ""},
		{"ocds-h6vhtk", "01HV7Z", "ocds-h6vhtk-01HV7Z", ""},
		{"", "T42", "", "ocidPrefix"},
		{"ocds-A1B2C3", "T42", "", "ocidPrefix"},  // upper case
		{"ocds-a1b2c", "T42", "", "ocidPrefix"},   // five characters
		{"ocds-a1b2c3-", "T42", "", "ocidPrefix"}, // trailing hyphen
		{"360G-a1b2c3", "T42", "", "ocidPrefix"},
		{"ocds-a1b2c3", "", "", "tender.id"},
		{"ocds-a1b2c3", "T#42", "", "tender.id"},
		{"ocds-a1b2c3", "T/42", "", "tender.id"},
	}
	for _, c := range cases {
		got, err := OCID(c.prefix, c.id)
		if c.badField == "" {
			if err != nil || got != c.want {
				t.Errorf("OCID(%q, %q) = %q, %v; want %q", c.prefix, c.id, got, err, c.want)
			}
			continue
		}
		var perr *pathway.Error
		if !errors.As(err, &perr) || perr.Fields[c.badField] == "" {
			t.Errorf("OCID(%q, %q) error = %v; want one naming %s", c.prefix, c.id, err, c.badField)
		}
	}
}

func TestDatesAreUKTimeWithOffset(t *testing.T) {
	winter := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
	summer := time.Date(2027, 7, 1, 23, 30, 0, 0, time.UTC) // already 2 July in the UK
	cases := []struct{ got, want string }{
		{DateTime(winter), "2027-01-11T09:00:00Z"},
		{DateTime(summer), "2027-07-02T00:30:00+01:00"},
		{StartOfDay(summer), "2027-07-02T00:00:00+01:00"},
		{EndOfDay(summer), "2027-07-02T23:59:59+01:00"},
		{EndOfDay(winter), "2027-01-11T23:59:59Z"},
		{DateTime(time.Time{}), ""},
		// A day read from YYYY-MM-DD (midnight UTC) keeps its day.
		{EndOfDay(time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)), "2027-03-31T23:59:59+01:00"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: %s, want %s", i, c.got, c.want)
		}
	}
}
