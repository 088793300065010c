package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/cost/costreport"
)

// journeyCost is the part of GET /api/coops/{id}/cost the report shows.
type journeyCost struct {
	Transitions     int64                  `json:"transitions"`
	LambdaRequests  int64                  `json:"lambdaRequests"`
	LambdaGBSeconds json.Number            `json:"lambdaGBSeconds"`
	ReadUnits       json.Number            `json:"readUnits"`
	WriteUnits      int64                  `json:"writeUnits"`
	S3Bytes         int64                  `json:"s3Bytes"`
	Emails          int64                  `json:"emails"`
	USD             json.Number            `json:"usd"`
	USDExact        string                 `json:"usdExact"`
	PricesTaken     string                 `json:"pricesTaken"`
	Total           cost.Usage             `json:"usage"`
	Executions      []costreport.Execution `json:"executions"`
}

// demoCost is a co-op's row of the demo's cost report.
type demoCost struct {
	id, name string
	cost     journeyCost
}

// TestDemoCostReport starts the demo in-process, reads every demo co-op's
// GET /api/coops/{id}/cost as its agency, and prints the table the README
// quotes (go test ./infra/local -run TestDemoCostReport -v; with
// COSTREPORT_OUT=<file> it is also written there as Markdown). Brue
// Valley, which the demo carries to a contract, must have its share of
// the reablement tender's transitions.
func TestDemoCostReport(t *testing.T) {
	base, stop := start(t, "--data", t.TempDir(), "--demo")
	defer stop()
	agencies := []string{login(t, base, demo.UserAgencyWessex), login(t, base, demo.UserAgencyPennine)}
	var rows []demoCost
	seen := map[string]bool{}
	add := func(id, name string) {
		if seen[id] {
			return
		}
		seen[id] = true
		for _, tok := range agencies {
			status, body := get(t, base+"/api/coops/"+id+"/cost", tok)
			if status == 404 {
				continue
			}
			var c journeyCost
			if status != 200 || json.Unmarshal([]byte(body), &c) != nil {
				t.Fatalf("cost of %s = %d %s", id, status, body)
			}
			rows = append(rows, demoCost{id: id, name: name, cost: c})
			return
		}
		t.Errorf("no demo agency sees %s", id)
	}
	for _, c := range demo.Coops {
		add(c.Coop.ID, c.Coop.Name)
	}
	for _, l := range demo.Live {
		add(l.ID(), l.Application.Name)
	}
	report := costTable(rows)
	t.Log("\n" + report)
	if out := os.Getenv("COSTREPORT_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(report), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range rows {
		if r.id != demo.CoopBrue {
			continue
		}
		var tender int64
		for _, e := range r.cost.Executions {
			if e.Machine == "tender" {
				tender += e.Transitions
			}
		}
		if tender == 0 || r.cost.Transitions < tender || r.cost.PricesTaken == "" {
			t.Errorf("Brue Valley: %d transitions, %d of them its tender share; want a share of the tender it won", r.cost.Transitions, tender)
		}
		return
	}
	t.Errorf("no row for Brue Valley (%s)", demo.CoopBrue)
}

// costTable writes the rows as a Markdown table with a total priced from
// the summed usage.
func costTable(rows []demoCost) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| co-op | transitions | Lambda requests | GB-seconds | read units | write units | S3 bytes | emails | cost (USD) |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	var total cost.Usage
	for _, r := range rows {
		c := r.cost
		total = total.Add(c.Total)
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %d | %d | %d | %s |\n", r.name, c.Transitions, c.LambdaRequests,
			c.LambdaGBSeconds, c.ReadUnits, c.WriteUnits, c.S3Bytes, c.Emails, c.USDExact)
	}
	p := cost.Prices()
	tr := p.Report(total)
	fmt.Fprintf(&b, "| all %d co-ops | %d | %d | %s | %s | %d | %d | %d | %s |\n", len(rows), tr.Transitions, tr.LambdaRequests,
		tr.LambdaGBSeconds, tr.ReadUnits, tr.WriteUnits, tr.S3Bytes, tr.Emails, costreport.Dollars(p.Exact(total)))
	fmt.Fprintf(&b, "\nPrices of %s (%s).\n", p.Taken, p.Region)
	return b.String()
}
