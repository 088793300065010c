package web_test

import (
	"encoding/json"
	"testing"
)

// TestCoopCostVisibility: a co-op's cost is its founders' and its
// agency's to see; to anyone else the co-op is not found, as the co-op is.
func TestCoopCostVisibility(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct {
		name   string
		claims map[string]string
		want   int
	}{
		{"founder of the co-op", founder(founderA), 200},
		{"founder of another co-op", founder(founderB), 404},
		{"agency running the programme", staff("agency", agencyNorth), 200},
		{"another agency", staff("agency", agencySouth), 404},
		{"a funder", staff("funder", agencyNorth), 404},
		{"a commissioner", staff("commissioner", "org-westmoor"), 404},
		{"nobody signed in", nil, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := f.call(t, "GET", "/api/coops/"+coopNorth+"/cost", tc.claims, "")
			if res.status != tc.want {
				t.Fatalf("status = %d %s, want %d", res.status, res.body, tc.want)
			}
			if tc.want != 200 {
				return
			}
			var got map[string]any
			must(t, json.Unmarshal([]byte(res.body), &got))
			for _, k := range []string{"transitions", "lambdaRequests", "lambdaGBSeconds", "readUnits", "writeUnits", "s3Bytes", "emails", "usd", "months", "lines", "pricesTaken", "pricesConfirmed"} {
				if _, ok := got[k]; !ok {
					t.Errorf("no %q in %s", k, res.body)
				}
			}
			if got["coop"] != coopNorth || res.headers["Cache-Control"] != "private, no-store" {
				t.Errorf("coop %v, Cache-Control %q", got["coop"], res.headers["Cache-Control"])
			}
		})
	}
}

// TestAgencyCosts: agency staff see their agency's months; a month not
// written YYYY-MM is refused naming the field; others are forbidden.
func TestAgencyCosts(t *testing.T) {
	f := newFixture(t, nil)
	res := f.call(t, "GET", "/api/insight/costs?month=2026-11", staff("agency", agencyNorth), "")
	if res.status != 200 {
		t.Fatalf("agency: %d %s", res.status, res.body)
	}
	var got struct {
		Agency string `json:"agency"`
		Months []struct {
			Month string          `json:"month"`
			USD   json.RawMessage `json:"usd"`
		} `json:"months"`
		PricesTaken, NotCounted string
	}
	must(t, json.Unmarshal([]byte(res.body), &got))
	if got.Agency != agencyNorth || len(got.Months) != 1 || got.Months[0].Month != "2026-11" || string(got.Months[0].USD) != "0.00" || got.PricesTaken == "" || got.NotCounted == "" {
		t.Errorf("agency month = %s", res.body)
	}
	for _, bad := range []string{"2026-13", "November", "2026-1"} {
		res := f.call(t, "GET", "/api/insight/costs?month="+bad, staff("agency", agencyNorth), "")
		if res.status != 400 {
			t.Fatalf("month %q: %d %s, want 400", bad, res.status, res.body)
		}
		if code, _, fields := errorOf(t, res.body); code != "invalid" || fields["month"] == "" {
			t.Errorf("month %q: %s, want invalid naming month", bad, res.body)
		}
	}
	for _, who := range []map[string]string{founder(founderA), staff("funder", agencyNorth), staff("commissioner", "org-westmoor")} {
		if res := f.call(t, "GET", "/api/insight/costs", who, ""); res.status != 403 {
			t.Errorf("%s: %d %s, want 403", who["custom:role"], res.status, res.body)
		}
	}
	if res := f.call(t, "GET", "/api/insight/costs", staff("agency", agencyNorth), ""); res.status != 200 {
		t.Errorf("every month: %d %s", res.status, res.body)
	}
}
