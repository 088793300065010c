package cost_test

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
)

// testTable fixes the figures the worked examples are done with, so they
// test the arithmetic and stay right when prices.json is updated.
const testTable = `{"region":"eu-west-2","currency":"USD","taken":"2026-11-30","prices":{
 "stepFunctionsTransition":{"usd":"0.025","per":1000,"source":"s","status":"confirmed"},
 "lambdaRequest":{"usd":"0.20","per":1000000,"source":"s"},
 "lambdaGBSecond":{"usd":"0.0000133334","per":1,"source":"s"},
 "dynamoReadUnit":{"usd":"0.125","per":1000000,"source":"s"},
 "dynamoWriteUnit":{"usd":"0.625","per":1000000,"source":"s"},
 "s3StorageGBMonth":{"usd":"0.024","per":1,"source":"s"},
 "s3PutRequest":{"usd":"0.0053","per":1000,"source":"s"},
 "s3GetRequest":{"usd":"0.00042","per":1000,"source":"s"},
 "sesEmail":{"usd":"0.10","per":1000,"source":"s"}}}`

func table(t *testing.T) *cost.Table {
	t.Helper()
	tb, err := cost.ParseTable([]byte(testTable))
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func rat(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("bad decimal %q", s)
	}
	return r
}

// smallJourney is the worked example: 120 transitions, 60 Lambda
// invocations at 128 MB × 50 ms, 400 RRUs, 150 WRUs, 3 MB stored for a
// month, 12 emails.
func smallJourney() cost.Usage {
	var u cost.Usage
	u.Transitions = 120
	for range 60 {
		u = u.Add(cost.LambdaInvocation(128, 50*time.Millisecond))
	}
	u.ReadHalfUnits = 2 * 400
	u.WriteUnits = 150
	u.S3Bytes = 3 << 20
	u.S3ByteHours = (3 << 20) * cost.HoursPerMonth
	u.Emails = 12
	return u
}

func TestWorkedJourney(t *testing.T) {
	tb := table(t)
	u := smallJourney()
	// By hand:
	//   transitions   120 × 0.025 / 1,000                 = 0.003
	//   requests       60 × 0.20 / 1,000,000               = 0.000012
	//   GB-seconds     60 × 0.125 GB × 0.05 s = 0.375 GB-s
	//                  0.375 × 0.0000133334                = 0.000005000025
	//   reads         400 × 0.125 / 1,000,000              = 0.00005
	//   writes        150 × 0.625 / 1,000,000              = 0.00009375
	//   storage       3 MB = 3/1,024 GB for one month
	//                  0.0029296875 × 0.024                = 0.0000703125
	//   emails         12 × 0.10 / 1,000                   = 0.0012
	//   total                                              = 0.004431062525
	want := map[string]string{
		cost.KeyTransition: "0.003", cost.KeyLambdaReq: "0.000012", cost.KeyLambdaGBSec: "0.000005000025",
		cost.KeyReadUnit: "0.00005", cost.KeyWriteUnit: "0.00009375", cost.KeyS3GBMonth: "0.0000703125",
		cost.KeyS3Put: "0", cost.KeyS3Get: "0", cost.KeyEmail: "0.0012",
	}
	for _, l := range tb.Lines(u) {
		if l.USD.Cmp(rat(t, want[l.Key])) != 0 {
			t.Errorf("%s: %s, want %s", l.Key, l.USD.FloatString(15), want[l.Key])
		}
	}
	if got := tb.Exact(u); got.Cmp(rat(t, "0.004431062525")) != 0 {
		t.Errorf("Exact = %s, want 0.004431062525", got.FloatString(15))
	}
	if got := tb.Price(u); got != 0 {
		t.Errorf("Price = %s, want 0.00 (less than half a cent)", got)
	}

	// 500 such journeys are priced from the summed usage: 500 ×
	// 0.004431062525 = 2.2155312625, so $2.22, where summing 500 rounded
	// costs would say $0.00.
	var agency cost.Usage
	for range 500 {
		agency = agency.Add(u)
	}
	if got := tb.Price(agency); got != 222 || got.String() != "2.22" {
		t.Errorf("Price of 500 journeys = %s, want 2.22", got)
	}
}

func TestRoundCents(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want cost.USD
		str  string
	}{
		{"0", 0, "0.00"},
		{"0.004999", 0, "0.00"},
		{"0.005", 1, "0.01"},
		{"1.234", 123, "1.23"},
		{"1.235", 124, "1.24"},
		{"12.3", 1230, "12.30"},
		{"1000.999", 100100, "1001.00"},
	} {
		got := cost.RoundCents(rat(t, tc.in))
		if got != tc.want || got.String() != tc.str {
			t.Errorf("RoundCents(%s) = %d (%s), want %d (%s)", tc.in, got, got, tc.want, tc.str)
		}
	}
}

func TestUsageAdd(t *testing.T) {
	a := cost.Usage{Transitions: 1, LambdaRequests: 2, LambdaMBms: 3, ReadHalfUnits: 4, WriteUnits: 5,
		S3Bytes: 6, S3ByteHours: 7, S3Puts: 8, S3Gets: 9, Emails: 10}
	got := a.Add(a)
	want := cost.Usage{Transitions: 2, LambdaRequests: 4, LambdaMBms: 6, ReadHalfUnits: 8, WriteUnits: 10,
		S3Bytes: 12, S3ByteHours: 14, S3Puts: 16, S3Gets: 18, Emails: 20}
	if got != want {
		t.Errorf("Add = %+v, want %+v", got, want)
	}
}

func TestS3Requests(t *testing.T) {
	tb := table(t)
	// 1,000 PUTs and 10,000 GETs: 0.0053 + 0.0042 = 0.0095, so $0.01.
	u := cost.Usage{S3Puts: 1000, S3Gets: 10000}
	if got := tb.Exact(u); got.Cmp(rat(t, "0.0095")) != 0 {
		t.Errorf("Exact = %s, want 0.0095", got.FloatString(6))
	}
	if got := tb.Price(u); got != 1 {
		t.Errorf("Price = %s, want 0.01", got)
	}
}

func TestReportJSON(t *testing.T) {
	tb := table(t)
	u := smallJourney()
	u.ReadHalfUnits++ // one eventually consistent read more: 400.5 units
	b, err := json.Marshal(tb.Report(u))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	// The API names, all present.
	for _, k := range []string{"transitions", "lambdaRequests", "lambdaGBSeconds", "readUnits", "writeUnits", "s3Bytes", "emails", "usd"} {
		if _, ok := got[k]; !ok {
			t.Errorf("report has no %q: %s", k, b)
		}
	}
	s := string(b)
	for _, want := range []string{`"lambdaGBSeconds":0.375`, `"readUnits":400.5`, `"usd":0.00`, `"transitions":120`, `"pricesTaken":"2026-11-30"`} {
		if !strings.Contains(s, want) {
			t.Errorf("report %s lacks %s", s, want)
		}
	}
}

func TestParseTableErrors(t *testing.T) {
	for _, tc := range []struct {
		name, edit, from, field string
	}{
		{"missing price", `"sesEmail":{"usd":"0.10","per":1000,"source":"s"}`, `"sesX":{"usd":"0.10","per":1000,"source":"s"}`, "prices.sesEmail"},
		{"not a decimal", `"usd":"0.10","per":1000,"source":"s"}}}`, `"usd":"ten","per":1000,"source":"s"}}}`, "prices.sesEmail.usd"},
		{"zero per", `"usd":"0.10","per":1000,"source":"s"}}}`, `"usd":"0.10","per":0,"source":"s"}}}`, "prices.sesEmail.per"},
		{"no source", `"usd":"0.10","per":1000,"source":"s"}}}`, `"usd":"0.10","per":1000}}}`, "prices.sesEmail.source"},
		{"no date", `"taken":"2026-11-30",`, ``, "taken"},
		{"other currency", `"currency":"USD"`, `"currency":"GBP"`, "currency"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(testTable, tc.edit, tc.from, 1)
			if src == testTable {
				t.Fatalf("edit %q not found", tc.edit)
			}
			_, err := cost.ParseTable([]byte(src))
			if err == nil || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("ParseTable error = %v, want one naming %s", err, tc.field)
			}
		})
	}
}

func TestEmbeddedTable(t *testing.T) {
	tb := cost.Prices()
	if tb.Region != "eu-west-2" || tb.Taken == "" || tb.FreeTier == "" {
		t.Errorf("table header: region %q, taken %q, free tier note %q", tb.Region, tb.Taken, tb.FreeTier)
	}
	// Every figure not confirmed must say why in its note.
	for k, p := range tb.Prices {
		if !p.Confirmed() && p.Status != "to check" {
			t.Errorf("%s: status %q, want confirmed or to check", k, p.Status)
		}
		if !p.Confirmed() && p.Note == "" {
			t.Errorf("%s: to check, with no note saying what", k)
		}
	}
	// The one figure read for London on AWS's page.
	if p := tb.Prices[cost.KeyTransition]; !p.Confirmed() || p.USD != "0.025" || p.Per != 1000 {
		t.Errorf("state transition price = %+v, want confirmed 0.025 per 1,000", p)
	}
	// A tripwire: the README's worked figures use testTable's prices, so
	// a change to prices.json must change testTable and the README too.
	if got, want := tb.Exact(smallJourney()), table(t).Exact(smallJourney()); got.Cmp(want) != 0 {
		t.Errorf("prices.json prices the worked journey at %s, testTable at %s: update testTable and the README together", got.FloatString(12), want.FloatString(12))
	}
}
