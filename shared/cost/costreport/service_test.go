package costreport_test

import (
	"context"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/cost/costreport"
	"github.com/coopcarepathway/pathway/shared/cost/ledger"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// prices fixes the figures the hand-worked cost uses (prices.json may change).
const prices = `{"region":"eu-west-2","currency":"USD","taken":"2026-11-30","prices":{
 "stepFunctionsTransition":{"usd":"0.025","per":1000,"source":"s","status":"confirmed"},
 "lambdaRequest":{"usd":"0.20","per":1000000,"source":"s"},
 "lambdaGBSecond":{"usd":"0.0000133334","per":1,"source":"s"},
 "dynamoReadUnit":{"usd":"0.125","per":1000000,"source":"s"},
 "dynamoWriteUnit":{"usd":"0.625","per":1000000,"source":"s"},
 "s3StorageGBMonth":{"usd":"0.024","per":1,"source":"s"},
 "s3PutRequest":{"usd":"0.0053","per":1000,"source":"s"},
 "s3GetRequest":{"usd":"0.00042","per":1000,"source":"s"},
 "sesEmail":{"usd":"0.10","per":1000,"source":"s"}}}`

const coopID = "coop-larkrise"

var (
	founder = &pathway.User{ID: "user-founder-odile", Role: pathway.RoleFounder}
	agent   = &pathway.User{ID: "user-agency-pim", Role: pathway.RoleAgency, Organisation: "org-larkrise-cda"}
	oct     = time.Date(2026, 10, 12, 9, 0, 0, 0, time.UTC)
	nov     = time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	now     = time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
)

// coops lets the founder and the agent see the co-op, on its second attempt.
type coops struct{}

func (coops) Coop(_ context.Context, u *pathway.User, id string) (*pathway.Coop, *pathway.Programme, error) {
	if id != coopID || (u != founder && u != agent) {
		return nil, nil, pathway.NotFound("co-op")
	}
	return &pathway.Coop{ID: coopID, Attempt: 2, Founders: []string{founder.ID}}, nil, nil
}

// histories are known executions' events; others do not exist.
type histories map[string][]cost.Event

func (h histories) History(_ context.Context, machine, name string) ([]cost.Event, error) {
	return h[machine+"/"+name], nil
}

// at stamps event types with a time.
func at(t time.Time, types ...string) []cost.Event {
	out := cost.EventTypes(types...)
	for i := range out {
		out[i].Timestamp = t.Add(time.Duration(i) * time.Minute)
	}
	return out
}

type apps struct{}

func (apps) ListCoopApplications(context.Context, string) ([]*grants.Application, error) {
	return []*grants.Application{{ID: "ga-1", Coop: coopID, Attempt: 1}}, nil
}

// bids: the co-op's one bid for tender t-1, which had three bids in all.
type bids struct{}

func (bids) ListCoopBids(context.Context, string) ([]*tenders.Bid, error) {
	return []*tenders.Bid{{ID: "bid-1", Tender: "t-1", Coop: coopID}}, nil
}

func (bids) ListBids(context.Context, string) ([]*tenders.Bid, error) {
	return []*tenders.Bid{{ID: "bid-1"}, {ID: "bid-2"}, {ID: "bid-3", Status: tenders.BidWithdrawn}}, nil
}

// files: one MiB uploaded at 23:00 on 31 October (GMT: UK time is UTC then).
type files struct{}

func (files) ListCoopFiles(context.Context, string) ([]*pathway.File, error) {
	return []*pathway.File{{ID: "f-1", Coop: coopID, Size: 1 << 20, UploadedAt: time.Date(2026, 10, 31, 23, 0, 0, 0, time.UTC)}}, nil
}

type fakeLedger struct{}

func (fakeLedger) CoopMonths(context.Context, string) (map[string]cost.Usage, error) {
	return map[string]cost.Usage{
		"2026-10": ledger.FromCounts(map[string]int64{"lambdaRequests": 20, "lambdaMBms": 128000, "readHalfUnits": 300, "writeUnits": 40, "emails": 2, "s3Puts": 1}),
		// The meter's own note of bytes is left for the files' storage.
		"2026-11": ledger.FromCounts(map[string]int64{"lambdaRequests": 10, "lambdaMBms": 64000, "readHalfUnits": 101, "writeUnits": 20, "emails": 3, "s3Gets": 4, "s3Bytes": 999, "other": 7}),
	}, nil
}

func (fakeLedger) AgencyMonths(context.Context, string) (map[string]cost.Usage, error) {
	return map[string]cost.Usage{"2026-11": {LambdaRequests: 5_000_000, Emails: 1000}}, nil
}

func service(t *testing.T) *costreport.Service {
	t.Helper()
	tb, err := cost.ParseTable([]byte(prices))
	if err != nil {
		t.Fatal(err)
	}
	task := []string{"TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionSucceeded", "TaskStateExited"}
	var tender []string
	for range 10 {
		tender = append(tender, task...)
	}
	h := histories{
		// 5 states entered (Task, Choice, Task, Wait, Succeed) and one retry: 6.
		"application/" + coopID: at(oct, append(append([]string{"ExecutionStarted"}, task...),
			"ChoiceStateEntered", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionFailed", "LambdaFunctionScheduled",
			"WaitStateEntered", "SucceedStateEntered", "ExecutionSucceeded")...),
		// 2.
		"application/" + coopID + "-attempt-2": at(nov, append(task, "PassStateEntered")...),
		// 3 Tasks and a Wait: 4.
		"grant/grant-ga-1": at(nov, append(append(append(task, task...), task...), "WaitStateEntered")...),
		// 10 transitions, the co-op's share one in three: 3.
		"tender/tender-t-1": at(nov, tender...),
	}
	return costreport.New(coops{}, h, func() time.Time { return now }).WithPrices(tb).
		WithGrants(apps{}).WithBids(bids{}).WithFiles(files{}).WithLedger(fakeLedger{})
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

// TestJourneyCostByHand checks the route's figures against a cost worked
// out by hand from known counters and histories.
func TestJourneyCostByHand(t *testing.T) {
	j, err := service(t).Coop(t.Context(), agent, coopID)
	if err != nil {
		t.Fatal(err)
	}
	// Usage by hand:
	//   transitions   October 6; November 2 + 4 + round(10/3) = 9; 15
	//   Lambda        30 requests, 192,000 MB-ms = 0.1875 GB-s
	//   DynamoDB      401 half units = 200.5 RRU; 60 WRU
	//   S3            1 MiB for 1 hour in October and 36 in November
	//                 (1 Nov 00:00 to 2 Nov 12:00): 37 MiB-hours;
	//                 1 PUT, 4 GETs
	//   emails        5
	want := cost.Usage{Transitions: 15, LambdaRequests: 30, LambdaMBms: 192000, ReadHalfUnits: 401, WriteUnits: 60,
		S3Bytes: 1 << 20, S3ByteHours: 37 << 20, S3Puts: 1, S3Gets: 4, Emails: 5}
	if j.Total != want {
		t.Errorf("usage %+v, want %+v", j.Total, want)
	}
	// Dollars by hand:
	//   15 × 0.025/1,000          = 0.000375
	//   30 × 0.20/1,000,000       = 0.000006
	//   0.1875 × 0.0000133334     = 0.0000025000125
	//   200.5 × 0.125/1,000,000   = 0.0000250625
	//   60 × 0.625/1,000,000      = 0.0000375
	//   37 MiB-hours = 37/(1,024 × 730) GB-months × 0.024 = 0.888/747,520
	//   1 × 0.0053/1,000          = 0.0000053
	//   4 × 0.00042/1,000         = 0.00000168
	//   5 × 0.10/1,000            = 0.0005
	//   sum = 0.0009530425125 + 0.888/747,520 ≈ 0.000954230; $0.00
	exact := new(big.Rat).Add(rat("0.0009530425125"), rat("888/747520000"))
	if got := service(t).Prices().Exact(j.Total); got.Cmp(exact) != 0 {
		t.Errorf("exact %s, want %s", got.FloatString(15), exact.FloatString(15))
	}
	if j.USDExact != "0.0009542304" || j.Shown != "$0.00095, less than a cent" || j.USD != 0 {
		t.Errorf("usdExact %s, shown %q, usd %s", j.USDExact, j.Shown, j.USD)
	}
	b, _ := json.Marshal(j)
	for _, s := range []string{`"transitions":15`, `"lambdaRequests":30`, `"lambdaGBSeconds":0.1875`, `"readUnits":200.5`,
		`"writeUnits":60`, `"s3Bytes":1048576`, `"emails":5`, `"usd":0.00`, `"pricesTaken":"2026-11-30"`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("JSON lacks %s: %s", s, b)
		}
	}
	// The months add up to the total.
	if len(j.Months) != 2 || j.Months[0].Month != "2026-10" || j.Months[1].Month != "2026-11" {
		t.Fatalf("months %+v", j.Months)
	}
	if o, n := j.Months[0].Report, j.Months[1].Report; o.Transitions != 6 || n.Transitions != 9 || o.LambdaRequests != 20 || n.Emails != 3 {
		t.Errorf("October %+v, November %+v", o, n)
	}
	// Executions: two attempts, registration (none), the grant, the tender's share.
	var names []string
	for _, e := range j.Executions {
		names = append(names, e.Name)
	}
	if got := strings.Join(names, ","); got != coopID+","+coopID+"-attempt-2,"+coopID+",grant-ga-1,tender-t-1" {
		t.Errorf("executions %s", got)
	}
	if e := j.Executions[4]; e.Mine != 1 || e.Of != 3 || e.Transitions != 3 {
		t.Errorf("tender share %+v, want 1 of 3, 3 transitions", e)
	}
	// Lines: the transitions line is confirmed, the others are to check.
	if l := j.Lines[0]; l.Key != cost.KeyTransition || l.USD != "0.000375" || !l.Confirmed || l.Quantity != "15" {
		t.Errorf("first line %+v", l)
	}
	if l := j.Lines[4]; l.Key != cost.KeyWriteUnit || l.USD != "0.0000375" || l.Confirmed {
		t.Errorf("writes line %+v", l)
	}
	if !j.PricesConfirmed[cost.KeyTransition] || j.PricesConfirmed[cost.KeyEmail] {
		t.Errorf("pricesConfirmed %v", j.PricesConfirmed)
	}
}

func TestJourneyCostAccess(t *testing.T) {
	s := service(t)
	if _, err := s.Coop(t.Context(), founder, coopID); err != nil {
		t.Errorf("founder: %v", err)
	}
	other := &pathway.User{ID: "user-agency-other", Role: pathway.RoleAgency, Organisation: "org-other"}
	if _, err := s.Coop(t.Context(), other, coopID); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("another agency: %v, want not found", err)
	}
}

func TestAgencyMonth(t *testing.T) {
	s := service(t)
	m, err := s.AgencyMonth(t.Context(), agent, "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	// 5M requests × 0.20/1M = 1.00; 1,000 emails × 0.10/1,000 = 0.10.
	if len(m.Months) != 1 || m.Months[0].USD != 110 || m.Months[0].Shown != "$1.10" || m.Agency != agent.Organisation {
		t.Errorf("agency month %+v", m)
	}
	if m, _ := s.AgencyMonth(t.Context(), agent, "2026-09"); m.Months[0].USD != 0 || m.Months[0].Shown != "$0.00" {
		t.Errorf("a month with nothing: %+v", m.Months[0])
	}
	if m, _ := s.AgencyMonth(t.Context(), agent, ""); m.Months[0].Month != "2026-11" {
		t.Errorf("no month given: %s, want this month", m.Months[0].Month)
	}
	_, err = s.AgencyMonth(t.Context(), agent, "2026-13")
	if pathway.ErrorCode(err) != pathway.EINVALID || !strings.Contains(err.Error(), "month") {
		t.Errorf("bad month: %v", err)
	}
	if _, err := s.AgencyMonths(t.Context(), founder); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
		t.Errorf("founder: %v, want forbidden", err)
	}
}

func TestDollars(t *testing.T) {
	for in, want := range map[string]string{
		"0": "$0.00", "1.234": "$1.23", "0.005": "$0.01", "0.0044": "$0.0044, less than a cent",
		"0.000929": "$0.00093, less than a cent", "0.000025": "$0.000025, less than a cent",
	} {
		if got := costreport.Dollars(rat(in)); got != want {
			t.Errorf("Dollars(%s) = %q, want %q", in, got, want)
		}
	}
}
