package cost

import (
	"encoding/json"
	"math/big"
	"strconv"
	"time"
)

// Usage is what a journey (or a month, or an agency) caused AWS to bill.
// Every field is an integer in the smallest unit AWS bills, so adding
// usages is exact; the fractional figures (GB-seconds, request units of
// eventually consistent reads) are derived when shown.
type Usage struct {
	// Transitions are Step Functions Standard state transitions.
	Transitions int64 `json:"transitions"`
	// LambdaRequests are Lambda invocations.
	LambdaRequests int64 `json:"lambdaRequests"`
	// LambdaMBms is memory (MB) × billed duration (ms) summed over the
	// invocations; GB-seconds are LambdaMBms / 1,024,000.
	LambdaMBms int64 `json:"lambdaMBms"`
	// ReadHalfUnits are DynamoDB read request units × 2 (an eventually
	// consistent read of up to 4 KB is half a unit).
	ReadHalfUnits int64 `json:"readHalfUnits"`
	// WriteUnits are DynamoDB write request units, base table and indexes.
	WriteUnits int64 `json:"writeUnits"`
	// S3Bytes are the bytes stored now (shown; not priced).
	S3Bytes int64 `json:"s3Bytes"`
	// S3ByteHours are bytes × hours stored: what storage is priced on.
	S3ByteHours int64 `json:"s3ByteHours"`
	// S3Puts are PUT, COPY, POST and LIST requests; S3Gets GET and others.
	S3Puts int64 `json:"s3Puts"`
	S3Gets int64 `json:"s3Gets"`
	// Emails are outbound SES messages.
	Emails int64 `json:"emails"`
}

// HoursPerMonth is the month S3 storage is averaged over (AWS's
// calculator's 730 hours); BytesPerGB is S3's binary gigabyte.
const (
	HoursPerMonth = 730
	BytesPerGB    = 1 << 30
	mbmsPerGBs    = 1024 * 1000 // MB per GB × ms per s
)

// Add returns u + v.
func (u Usage) Add(v Usage) Usage {
	return Usage{
		Transitions:    u.Transitions + v.Transitions,
		LambdaRequests: u.LambdaRequests + v.LambdaRequests,
		LambdaMBms:     u.LambdaMBms + v.LambdaMBms,
		ReadHalfUnits:  u.ReadHalfUnits + v.ReadHalfUnits,
		WriteUnits:     u.WriteUnits + v.WriteUnits,
		S3Bytes:        u.S3Bytes + v.S3Bytes,
		S3ByteHours:    u.S3ByteHours + v.S3ByteHours,
		S3Puts:         u.S3Puts + v.S3Puts,
		S3Gets:         u.S3Gets + v.S3Gets,
		Emails:         u.Emails + v.Emails,
	}
}

// LambdaGBSeconds is the exact GB-seconds of u.
func (u Usage) LambdaGBSeconds() *big.Rat { return big.NewRat(u.LambdaMBms, mbmsPerGBs) }

// ReadUnits is the exact read request units of u.
func (u Usage) ReadUnits() *big.Rat { return big.NewRat(u.ReadHalfUnits, 2) }

// S3GBMonths is the exact GB-months of storage of u.
func (u Usage) S3GBMonths() *big.Rat {
	return new(big.Rat).SetFrac(big.NewInt(u.S3ByteHours), new(big.Int).Mul(big.NewInt(BytesPerGB), big.NewInt(HoursPerMonth)))
}

// Line is one service's share of a cost, exact.
type Line struct {
	Key string   // price key
	Qty *big.Rat // units billed
	USD *big.Rat // exact dollars
}

// Lines prices u line by line, exact, in the table's order.
func (t *Table) Lines(u Usage) []Line {
	qty := []struct {
		k string
		q *big.Rat
	}{
		{KeyTransition, big.NewRat(u.Transitions, 1)},
		{KeyLambdaReq, big.NewRat(u.LambdaRequests, 1)},
		{KeyLambdaGBSec, u.LambdaGBSeconds()},
		{KeyReadUnit, u.ReadUnits()},
		{KeyWriteUnit, big.NewRat(u.WriteUnits, 1)},
		{KeyS3GBMonth, u.S3GBMonths()},
		{KeyS3Put, big.NewRat(u.S3Puts, 1)},
		{KeyS3Get, big.NewRat(u.S3Gets, 1)},
		{KeyEmail, big.NewRat(u.Emails, 1)},
	}
	out := make([]Line, len(qty))
	for i, q := range qty {
		out[i] = Line{Key: q.k, Qty: q.q, USD: t.amount(q.k, q.q)}
	}
	return out
}

// Exact is the cost of u in dollars, unrounded.
func (t *Table) Exact(u Usage) *big.Rat {
	sum := new(big.Rat)
	for _, l := range t.Lines(u) {
		sum.Add(sum, l.USD)
	}
	return sum
}

// Price is the cost of u rounded to the cent (half up), the only rounding.
func (t *Table) Price(u Usage) USD { return RoundCents(t.Exact(u)) }

// USD is an amount in whole US cents.
type USD int64

// RoundCents rounds a non-negative exact dollar amount to the cent, half up.
func RoundCents(dollars *big.Rat) USD {
	c := new(big.Rat).Mul(dollars, big.NewRat(100, 1))
	c.Add(c, big.NewRat(1, 2))
	return USD(new(big.Int).Quo(c.Num(), c.Denom()).Int64()) // floor, both positive
}

// String is the amount in dollars with two decimals ("12.34").
func (c USD) String() string {
	return strconv.FormatInt(int64(c)/100, 10) + "." + twoDigits(int64(c)%100)
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// MarshalJSON writes the dollars as a JSON number with two decimals.
func (c USD) MarshalJSON() ([]byte, error) { return []byte(c.String()), nil }

// Report is the API's view of a cost: GET /api/coops/{id}/cost.
type Report struct {
	Transitions     int64       `json:"transitions"`
	LambdaRequests  int64       `json:"lambdaRequests"`
	LambdaGBSeconds json.Number `json:"lambdaGBSeconds"`
	ReadUnits       json.Number `json:"readUnits"`
	WriteUnits      int64       `json:"writeUnits"`
	S3Bytes         int64       `json:"s3Bytes"`
	S3Puts          int64       `json:"s3Puts"`
	S3Gets          int64       `json:"s3Gets"`
	Emails          int64       `json:"emails"`
	USD             USD         `json:"usd"`
	// PricesTaken is the date of the price table; Region its region.
	PricesTaken string `json:"pricesTaken"`
	Region      string `json:"region"`
}

// Report prices u for the API. Fractions are written exactly (GB-seconds
// are MB-ms / 1,024,000, always a finite decimal).
func (t *Table) Report(u Usage) Report {
	return Report{
		Transitions:     u.Transitions,
		LambdaRequests:  u.LambdaRequests,
		LambdaGBSeconds: json.Number(decimal(u.LambdaGBSeconds())),
		ReadUnits:       json.Number(decimal(u.ReadUnits())),
		WriteUnits:      u.WriteUnits,
		S3Bytes:         u.S3Bytes,
		S3Puts:          u.S3Puts,
		S3Gets:          u.S3Gets,
		Emails:          u.Emails,
		USD:             t.Price(u),
		PricesTaken:     t.Taken,
		Region:          t.Region,
	}
}

// decimal writes r, whose denominator divides 2^a·5^b, as an exact
// decimal without trailing zeros.
func decimal(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	s := r.FloatString(20) // exact for the denominators used here (1,024,000 = 2^13·5^3, and 2)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	return s
}

// S3Stored is the storage usage of bytes kept for d, in byte-hours with
// partial hours rounded up (S3 meters storage in byte-hours). It leaves
// S3Bytes, the bytes held now, to the caller: one object priced over
// several periods would otherwise be counted several times.
func S3Stored(bytes int64, d time.Duration) Usage {
	hours := int64((d + time.Hour - 1) / time.Hour)
	return Usage{S3ByteHours: bytes * hours}
}
