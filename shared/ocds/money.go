package ocds

import (
	"encoding/json"

	"github.com/coopcarepathway/pathway/shared/giving360"
)

// Amount writes an amount in pence as pounds, the currency unit OCDS
// amounts are in: 12345 → 123.45, 100 → 1, 150 → 1.5. It is the same
// integer-only conversion as 360Giving output, so a value above 2^53 pence
// or one like 0.1+0.2 never drifts through a float.
func Amount(pence int64) json.Number { return giving360.Pounds(pence) }

// GBP is a Value of pence in pounds sterling.
func GBP(pence int64) *Value { return &Value{Amount: Amount(pence), Currency: Currency} }

// GBPGross is a Value known to include VAT: the figure is written both as
// the amount and as the UK extension's amountGross (the amount including
// all taxes), so a reader of either field gets it.
func GBPGross(pence int64) *Value {
	v := GBP(pence)
	v.AmountGross = v.Amount
	return v
}
