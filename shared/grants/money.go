package grants

import "github.com/coopcarepathway/pathway/shared/pathway"

// Pounds writes an amount in pence as people read money: "£10,000",
// "£1,250.50"; whole pounds lose their pence.
func Pounds(pence int64) string { return pathway.Pounds(pence) }
