package costreport

import (
	"encoding/json"
	"strings"

	"github.com/coopcarepathway/pathway/shared/cost"
)

// The ledger's keys (the meter writes them; see shared/store/keys.go).
const (
	preCoopCost   = "COST#"
	preAgencyCost = "COSTAGENCY#"
	preMonth      = "MONTH#"
)

// CoopLedgerPK and AgencyLedgerPK are the partitions of a co-op's and an
// agency's monthly usage; each month is the item SK MONTH#<YYYY-MM>.
func CoopLedgerPK(coop string) string     { return preCoopCost + coop }
func AgencyLedgerPK(agency string) string { return preAgencyCost + agency }

// monthOf is the month of a ledger item's sort key, "" for another item.
func monthOf(sk string) string {
	if m, ok := strings.CutPrefix(sk, preMonth); ok && len(m) == len("2006-01") {
		return m
	}
	return ""
}

// UsageFromCounts reads a ledger item's named counters, which the meter
// names as cost.Usage's JSON fields ("transitions", "readHalfUnits"…), so
// the two cannot drift apart; counters of other names are ignored.
func UsageFromCounts(counts map[string]int64) cost.Usage {
	var u cost.Usage
	if len(counts) == 0 {
		return u
	}
	b, _ := json.Marshal(counts) // a map of strings to integers always marshals
	_ = json.Unmarshal(b, &u)    // and its integers fit Usage's int64s
	return u
}
