package pages_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestCostOfTheJourney: the agency's co-op page says what the journey has
// cost, with the application workflow's transitions counted from its
// history; the founders' page does not; the agency's monthly page is the
// agency's alone.
func TestCostOfTheJourney(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Calder Valley Care Co-op")
	v.accept(id)
	res := v.visit(officerID).get("/coops/" + id)
	if res.status != 200 || !strings.Contains(res.body, "Cost of this journey") || !strings.Contains(res.body, "taken on 30 November 2026") {
		t.Fatalf("agency's co-op page = %d without the cost section:\n%s", res.status, res.body)
	}
	// The application workflow ran screening and the panel: some
	// transitions, counted, and none of it a whole cent.
	m := regexp.MustCompile(`Step Functions state transitions</td><td data-label="Used">(\d+)</td>`).FindStringSubmatch(res.body)
	if m == nil || m[1] == "0" {
		t.Errorf("transitions line %v, want a count above 0", m)
	}
	if !strings.Contains(res.body, "less than a cent") {
		t.Errorf("a young journey's cost should read as less than a cent")
	}
	if res := v.visit(founderID).get("/coops/" + id); res.status != 200 || strings.Contains(res.body, "Cost of this journey") {
		t.Errorf("founder's co-op page = %d, shows the cost: %v", res.status, strings.Contains(res.body, "Cost of this journey"))
	}
	res = v.visit(officerID).get("/insight/costs")
	if res.status != 200 || !strings.Contains(res.body, "What is counted") || !strings.Contains(res.body, "30 November 2026") {
		t.Errorf("agency's costs page = %d:\n%s", res.status, res.body)
	}
	if res := v.visit(founderID).get("/insight/costs"); res.status != 403 {
		t.Errorf("founder's GET /insight/costs = %d, want 403", res.status)
	}
}
