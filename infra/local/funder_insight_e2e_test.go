package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
)

// TestFunderDashboardOfTheDemo: the local server wires the funder's
// dashboard to the insight aggregates, which its insight sweep keeps up
// to date from the demo's grant applications: within seconds the
// funder's staff see the demo's applications counted and its awards
// adding up to the budgets' records, and the page; another role is told the funder is not found.
func TestFunderDashboardOfTheDemo(t *testing.T) {
	base, stop := start(t, "--data", t.TempDir(), "--demo")
	defer stop()
	token := login(t, base, demo.UserFunder)
	var r struct {
		Total struct {
			Applications, Awards, Awarded int64
			ByArea                        []struct{ Pence int64 }
		}
		Programmes []struct{ ID string }
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		status, body := get(t, base+"/api/insight/funders/"+demo.OrgFund, token)
		if status != 200 {
			t.Fatalf("funder dashboard = %d %s", status, body)
		}
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatal(err)
		}
		// Once the sweep has sent every refresh, the awards the cells
		// count by council area add up to what the programmes' budget
		// records say is awarded.
		var byArea int64
		for _, a := range r.Total.ByArea {
			byArea += a.Pence
		}
		if r.Total.Applications > 0 && r.Total.Awards > 0 && byArea == r.Total.Awarded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the dashboard did not count the demo's applications: %s", body)
		}
	}
	if len(r.Programmes) == 0 || r.Total.Awarded <= 0 {
		t.Errorf("dashboard = %+v", r)
	}
	if status, body := get(t, base+"/insight/funder", token); status != 200 || !strings.Contains(body, "What your grants did") {
		t.Errorf("dashboard page = %d", status)
	}
	agency := login(t, base, demo.UserAgencyPennine)
	if status, _ := get(t, base+"/api/insight/funders/"+demo.OrgFund, agency); status != 404 {
		t.Errorf("agency = %d, want 404", status)
	}
}
