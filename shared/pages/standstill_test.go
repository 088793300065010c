package pages_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestStandstillPage: anyone signed in works out a standstill with a plain
// form: the page explains standstill, shows the last day, the first day
// the contract may be entered into and the days skipped with why; a link
// with ?from= shows it at once; wrong answers are named in the error
// summary; nobody signed out sees it.
func TestStandstillPage(t *testing.T) {
	v := newEnv(t)
	for _, id := range []string{founderID, officerID} {
		vi := v.visit(id)
		res := vi.get("/standstill")
		if res.status != 200 || !strings.Contains(res.body, "This wait is the <strong>standstill</strong>") ||
			!strings.Contains(res.body, `name="from-day"`) || !strings.Contains(res.body, `name="days" type="text" value="8"`) {
			t.Fatalf("%s: GET = %d:\n%s", id, res.status, res.body)
		}
		if problems := checkPage(res.body, vi.csrf()); len(problems) > 0 {
			t.Errorf("the empty calculator: %v", problems)
		}
	}

	vi := v.visit(founderID)
	// Published on St Andrew's Eve 2026 (Thursday 26 November): Scotland's
	// bank holiday on Monday 30 November does not count (Procurement Act
	// 2023, s.123(1)).
	res := vi.post("/standstill", url.Values{"from-day": {"26"}, "from-month": {"11"}, "from-year": {"2026"}, "days": {"8"}})
	for _, want := range []string{
		"The contract may be entered into from Wednesday 9 December 2026",
		"<dd>Tuesday 8 December 2026</dd>",
		"<td data-label=\"Date\">Monday 30 November 2026</td><td data-label=\"Why it does not count\">St Andrew&#39;s Day (Scotland)</td>",
		"<td data-label=\"Date\">Saturday 28 November 2026</td>",
		`value="26"`, // the form keeps the answers
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("POST: want %q in:\n%s", want, res.body)
		}
	}
	if res.status != 200 {
		t.Errorf("POST = %d", res.status)
	}
	if problems := checkPage(res.body, vi.csrf()); len(problems) > 0 {
		t.Errorf("the answered calculator: %v", problems)
	}

	res = vi.get("/standstill?from=2026-12-21&days=8")
	if res.status != 200 || !strings.Contains(res.body, "The contract may be entered into from Wednesday 6 January 2027") ||
		!strings.Contains(res.body, "Boxing Day (substitute day)") || !strings.Contains(res.body, "2nd January (substitute day) (Scotland)") {
		t.Errorf("GET ?from= = %d:\n%s", res.status, res.body)
	}
	res = vi.get("/standstill?from=2026-12-01&days=1")
	if !strings.Contains(res.body, "None: every day") {
		t.Errorf("no days skipped:\n%s", res.body)
	}

	tests := []struct {
		name   string
		form   url.Values
		fields []string
	}{
		{"nothing", url.Values{"days": {""}}, []string{"#from"}},
		{"not a real date", url.Values{"from-day": {"31"}, "from-month": {"2"}, "from-year": {"2027"}, "days": {"8"}}, []string{"#from"}},
		{"outside the calendar", url.Values{"from-day": {"1"}, "from-month": {"2"}, "from-year": {"2035"}, "days": {"8"}}, []string{"#from"}},
		{"days not a number", url.Values{"from-day": {"1"}, "from-month": {"2"}, "from-year": {"2027"}, "days": {"eight"}}, []string{"#days"}},
		{"both", url.Values{"from-day": {"1"}, "days": {"0"}}, []string{"#from", "#days"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := vi.post("/standstill", tc.form)
			if res.status != 400 || !strings.Contains(res.body, "There is a problem") || strings.Contains(res.body, `id="result-title"`) {
				t.Fatalf("= %d:\n%s", res.status, res.body)
			}
			for _, f := range tc.fields {
				if !strings.Contains(res.body, `href="`+f+`"`) {
					t.Errorf("the error summary does not link %s:\n%s", f, res.body)
				}
			}
			if problems := checkPage(res.body, vi.csrf()); len(problems) > 0 {
				t.Errorf("%v", problems)
			}
		})
	}
	if res := vi.get("/standstill?from=someday"); res.status != 400 || !strings.Contains(res.body, "YYYY-MM-DD") {
		t.Errorf("GET ?from=someday = %d", res.status)
	}
	if res := vi.postRaw("/standstill", url.Values{"from-day": {"1"}, "from-month": {"2"}, "from-year": {"2027"}}); res.status != 403 {
		t.Errorf("POST without the CSRF token = %d, want 403", res.status)
	}
	if res := v.visit("").get("/standstill"); strings.Contains(res.body, "Work out the standstill") {
		t.Errorf("signed out: the calculator shows (%d)", res.status)
	}
}
