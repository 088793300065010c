package costreport

import (
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
)

// JourneyCost is the API's view of a co-op's cost: the fields
// (transitions, lambdaRequests, lambdaGBSeconds, readUnits, writeUnits,
// s3Bytes, emails, usd) from cost.Report, and beside them the months, a
// line per service, the executions counted and the prices' date.
type JourneyCost struct {
	cost.Report
	Coop string `json:"coop"`
	// Total is the usage behind the figures, in AWS's smallest units.
	Total cost.Usage `json:"usage"`
	// USDExact is the cost unrounded, in dollars (to 10 decimal places);
	// Shown is how the pages say it.
	USDExact string `json:"usdExact"`
	Shown    string `json:"shown"`
	// Lines price each service.
	Lines []LineCost `json:"lines"`
	// Months are the months with usage, oldest first.
	Months []MonthCost `json:"months"`
	// Executions are the workflow executions whose transitions count.
	Executions []Execution `json:"executions"`
	// PricesConfirmed says, per price, whether it was read for the
	// region on its source page (false: to check, see prices.json).
	PricesConfirmed map[string]bool `json:"pricesConfirmed"`
	// AsOf is when it was worked out (storage runs to this time).
	AsOf time.Time `json:"asOf"`
}

// MonthCost is one month's usage and its cost.
type MonthCost struct {
	Month string `json:"month"`
	cost.Report
	USDExact string `json:"usdExact"`
	Shown    string `json:"shown"`
}

// LineCost is one service's share.
type LineCost struct {
	Key       string `json:"key"`
	Service   string `json:"service"`
	Unit      string `json:"unit"`
	Quantity  string `json:"quantity"`
	USD       string `json:"usd"` // exact dollars to 10 decimal places
	Shown     string `json:"shown"`
	Confirmed bool   `json:"confirmed"`
}

// serviceWords name each price for people.
var serviceWords = map[string]string{
	cost.KeyTransition:  "Step Functions state transitions",
	cost.KeyLambdaReq:   "Lambda requests",
	cost.KeyLambdaGBSec: "Lambda compute (GB-seconds)",
	cost.KeyReadUnit:    "DynamoDB reads (request units)",
	cost.KeyWriteUnit:   "DynamoDB writes (request units)",
	cost.KeyS3GBMonth:   "S3 storage (GB-months)",
	cost.KeyS3Put:       "S3 uploads and lists (requests)",
	cost.KeyS3Get:       "S3 downloads (requests)",
	cost.KeyEmail:       "Emails sent (SES)",
}

// fill prices the total usage into the view.
func (j *JourneyCost) fill(t *cost.Table, u cost.Usage) {
	j.Report = t.Report(u)
	j.Total = u
	exact := t.Exact(u)
	j.USDExact, j.Shown = exactString(exact), Dollars(exact)
	j.PricesConfirmed = map[string]bool{}
	for k, p := range t.Prices {
		j.PricesConfirmed[k] = p.Confirmed()
	}
	for _, l := range t.Lines(u) {
		p := t.Prices[l.Key]
		j.Lines = append(j.Lines, LineCost{Key: l.Key, Service: serviceWords[l.Key], Unit: p.Unit,
			Quantity: exactString(l.Qty), USD: exactString(l.USD), Shown: Dollars(l.USD), Confirmed: p.Confirmed()})
	}
}

// month prices one month.
func (s *Service) month(m string, u cost.Usage) MonthCost {
	exact := s.prices.Exact(u)
	return MonthCost{Month: m, Report: s.prices.Report(u), USDExact: exactString(exact), Shown: Dollars(exact)}
}

// exactString writes r to 10 decimal places without trailing zeros: every
// price here is a whole number of 10^-10 dollars per unit but storage
// (divided by 730 hours) may not be, so the last place is rounded.
func exactString(r *big.Rat) string {
	s := r.FloatString(10)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Dollars writes an amount for people: to the cent ("$1.23"), or, when it
// is less than half a cent but not nothing, to two significant figures of
// a cent's fraction ("$0.0044, less than a cent"), so a small journey does
// not read as free.
func Dollars(r *big.Rat) string {
	if c := cost.RoundCents(r); c > 0 || r.Sign() == 0 {
		return "$" + c.String()
	}
	// Find the first significant decimal place; keep one more.
	places := 3
	lim := big.NewRat(1, 1000)
	for r.Cmp(lim) < 0 && places < 12 {
		places++
		lim.Quo(lim, big.NewRat(10, 1))
	}
	return "$" + r.FloatString(places+1) + ", less than a cent"
}

// AgencyMonths are the usage the meter charged to an agency's co-ops,
// month by month.
type AgencyMonths struct {
	Agency string      `json:"agency"`
	Months []MonthCost `json:"months"`
	// PricesTaken is the date of the prices.
	PricesTaken string `json:"pricesTaken"`
	// NotCounted says in words what the monthly totals leave out.
	NotCounted string `json:"notCounted"`
}

// NotCountedMonthly is what the agency's monthly totals leave out.
const NotCountedMonthly = "Step Functions state transitions and S3 storage are not in the monthly totals: " +
	"they are worked out for each co-op, from its workflows' histories and its files, on the co-op's own cost page. " +
	"Work done for no particular co-op (sign-in, lists of many co-ops, the agency's own pages) is not counted anywhere."

func sortedMonths(s *Service, months map[string]cost.Usage) []MonthCost {
	keys := make([]string, 0, len(months))
	for k := range months {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]MonthCost, 0, len(keys))
	for _, k := range keys {
		out = append(out, s.month(k, months[k]))
	}
	return out
}
