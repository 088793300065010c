// Package cost works out what a co-op's journey costs on AWS at list prices:
// the usage it caused (state transitions, Lambda requests and GB-seconds,
// DynamoDB request units, S3 storage and requests, emails), the rules that
// count that usage the way AWS bills it, and a price table for eu-west-2
// (London) kept as data in prices.json with the date it was taken.
//
// Money is exact: prices are decimal strings read into big.Rat, usage is
// integers, and the total is rounded to the cent once, at the end. Summing
// rounded per-co-op costs would drift, so an agency's month is priced from
// its summed Usage.
package cost

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
)

//go:embed prices.json
var pricesJSON []byte

// Price keys in prices.json; every one must be present.
const (
	KeyTransition   = "stepFunctionsTransition"
	KeyLambdaReq    = "lambdaRequest"
	KeyLambdaGBSec  = "lambdaGBSecond"
	KeyReadUnit     = "dynamoReadUnit"
	KeyWriteUnit    = "dynamoWriteUnit"
	KeyS3GBMonth    = "s3StorageGBMonth"
	KeyS3Put        = "s3PutRequest"
	KeyS3Get        = "s3GetRequest"
	KeyEmail        = "sesEmail"
	statusConfirmed = "confirmed"
)

var requiredKeys = []string{KeyTransition, KeyLambdaReq, KeyLambdaGBSec, KeyReadUnit,
	KeyWriteUnit, KeyS3GBMonth, KeyS3Put, KeyS3Get, KeyEmail}

// Price is one line of the price table: USD dollars for Per units.
type Price struct {
	USD    string `json:"usd"`
	Per    int64  `json:"per"`
	Unit   string `json:"unit"`
	Source string `json:"source"`
	// Status is "confirmed" when the figure was read for the region on
	// Source, "to check" otherwise (see Note).
	Status string `json:"status"`
	Note   string `json:"note"`

	perUnit *big.Rat // USD / Per, exact
}

// Confirmed reports whether the figure was read for the region on its source.
func (p Price) Confirmed() bool { return p.Status == statusConfirmed }

// Table is the price table of one region.
type Table struct {
	Region     string `json:"region"`
	RegionName string `json:"regionName"`
	Currency   string `json:"currency"`
	Taken      string `json:"taken"` // date the prices were read, YYYY-MM-DD
	FreeTier   string `json:"freeTier"`
	// HowToConfirm says how to confirm the figures marked "to check".
	HowToConfirm string           `json:"howToConfirm"`
	Prices       map[string]Price `json:"prices"`
}

// Prices returns the embedded eu-west-2 table. It panics only if the
// embedded file is broken, which TestEmbeddedTable catches.
func Prices() *Table {
	t, err := ParseTable(pricesJSON)
	if err != nil {
		panic("cost: embedded prices.json: " + err.Error())
	}
	return t
}

// ParseTable reads a price table, checking that every price is present and
// an exact non-negative decimal.
func ParseTable(data []byte) (*Table, error) {
	var t Table
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, err
	}
	if t.Currency != "USD" {
		return nil, fmt.Errorf("currency %q: only USD is supported", t.Currency)
	}
	if t.Taken == "" {
		return nil, fmt.Errorf("taken: the date the prices were read is missing")
	}
	for _, k := range requiredKeys {
		p, ok := t.Prices[k]
		if !ok {
			return nil, fmt.Errorf("prices.%s: missing", k)
		}
		r, ok := new(big.Rat).SetString(p.USD)
		if !ok || r.Sign() < 0 {
			return nil, fmt.Errorf("prices.%s.usd: %q is not a non-negative decimal", k, p.USD)
		}
		if p.Per <= 0 {
			return nil, fmt.Errorf("prices.%s.per: must be positive", k)
		}
		if p.Source == "" {
			return nil, fmt.Errorf("prices.%s.source: missing", k)
		}
		p.perUnit = r.Quo(r, new(big.Rat).SetInt64(p.Per))
		t.Prices[k] = p
	}
	return &t, nil
}

// ToCheck lists the keys whose figures are not confirmed for the region.
func (t *Table) ToCheck() []string {
	var out []string
	for k, p := range t.Prices {
		if !p.Confirmed() {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// amount is qty units at price k, exact.
func (t *Table) amount(k string, qty *big.Rat) *big.Rat {
	return new(big.Rat).Mul(qty, t.Prices[k].perUnit)
}
