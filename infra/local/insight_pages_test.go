package main

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
)

// TestServeAgencyInsightPages: the local server wires the agency's
// dashboard pages to the pipeline service: with the demo's co-ops refreshed
// by the insight sweep, the agency's figures count them and the list shows
// them.
func TestServeAgencyInsightPages(t *testing.T) {
	base, stop := start(t, "--data", t.TempDir(), "--demo")
	defer stop()
	agency := login(t, base, demo.UserAgencyPennine)
	var body string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		var status int
		status, body = get(t, base+"/insight", agency)
		if status != 200 {
			t.Fatalf("/insight as the agency = %d %s", status, body)
		}
		if strings.Contains(body, "How far co-ops have come") {
			break
		}
	}
	if !strings.Contains(body, "How far co-ops have come") || !strings.Contains(body, "<svg") {
		t.Fatalf("the dashboard shows no figures for the demo's co-ops:\n%s", body)
	}
	if status, list := get(t, base+"/insight/coops", agency); status != 200 || !strings.Contains(list, `<a href="/coops/`) {
		t.Errorf("/insight/coops = %d, want the demo's co-ops linked", status)
	}
}
