package web_test

import (
	"testing"
)

// TestStandstillAPI: GET /api/standstill answers anyone signed in with the
// period the Procurement Act 2023 counts (s.51: eight working days
// beginning with the day the award notice is published; s.123: a bank
// holiday in any part of the UK does not count), and names the field at
// fault in a 400.
func TestStandstillAPI(t *testing.T) {
	e := newAPI(t)
	for _, user := range []string{founderA, staffNorth, funderUser, commissioner} {
		var got struct {
			From      string `json:"from"`
			Days      int    `json:"days"`
			LastDay   string `json:"lastDay"`
			EnterFrom string `json:"enterFrom"`
			Skipped   []struct {
				Date string `json:"date"`
				Why  string `json:"why"`
			} `json:"skipped"`
		}
		rp := e.do("GET", "/api/standstill?from=2026-11-26&days=8", user, "")
		if rp.status != 200 {
			t.Fatalf("%s: status %d %s", user, rp.status, rp.body)
		}
		rp.decode(t, &got)
		// St Andrew's Day, Monday 30 November 2026, is a bank holiday in
		// Scotland, so it does not count for a council in England either.
		if got.From != "2026-11-26" || got.Days != 8 || got.LastDay != "2026-12-08" || got.EnterFrom != "2026-12-09" ||
			len(got.Skipped) != 5 || got.Skipped[2].Date != "2026-11-30" || got.Skipped[2].Why != "St Andrew's Day (Scotland)" {
			t.Errorf("%s: %+v", user, got)
		}
		if cc := rp.header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
	}

	var def struct {
		Days    int    `json:"days"`
		LastDay string `json:"lastDay"`
	}
	e.do("GET", "/api/standstill?from=2027-03-22", founderA, "").decode(t, &def)
	if def.Days != 8 || def.LastDay != "2027-04-02" { // Good Friday and Easter Monday 2027 skipped
		t.Errorf("days left out: %+v, want the Act's 8", def)
	}

	tests := []struct {
		name, query, user string
		status            int
		field             string
	}{
		{"no caller", "?from=2026-11-26&days=8", "", 401, ""},
		{"no from", "?days=8", founderA, 400, "from"},
		{"from not a date", "?from=26/11/2026&days=8", founderA, 400, "from"},
		{"from before the calendar", "?from=2019-05-01&days=8", founderA, 400, "from"},
		{"from after the calendar", "?from=2040-05-01&days=8", founderA, 400, "from"},
		{"days not a number", "?from=2026-11-26&days=eight", founderA, 400, "days"},
		{"days zero", "?from=2026-11-26&days=0", founderA, 400, "days"},
		{"days too many", "?from=2026-11-26&days=9999", founderA, 400, "days"},
		{"runs off the calendar", "?from=2030-12-23&days=8", founderA, 400, "days"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.do("GET", "/api/standstill"+tc.query, tc.user, "").wantError(t, tc.status, tc.field)
		})
	}
	// Both fields wrong: both named at once.
	rp := e.do("GET", "/api/standstill?from=x&days=y", founderA, "")
	rp.wantError(t, 400, "from")
	rp.wantError(t, 400, "days")
}
