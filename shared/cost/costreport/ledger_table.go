//go:build ledgercounts

// Built once the table port has named counters (table.Item.Counts, helper
// "project"): remove the build line above and delete ledger_none.go.

package costreport

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/table"
)

// tableLedger reads the meter's monthly items through the table port.
type tableLedger struct{ tbl table.Table }

// TableLedger is the Ledger over the table the meter writes to.
func TableLedger(tbl table.Table) Ledger { return tableLedger{tbl} }

func (l tableLedger) CoopMonths(ctx context.Context, coop string) (map[string]cost.Usage, error) {
	return l.months(ctx, CoopLedgerPK(coop))
}

func (l tableLedger) AgencyMonths(ctx context.Context, agency string) (map[string]cost.Usage, error) {
	return l.months(ctx, AgencyLedgerPK(agency))
}

// months reads every month of one partition: a few dozen items at most (a
// journey of years), read page by page.
func (l tableLedger) months(ctx context.Context, pk string) (map[string]cost.Usage, error) {
	out := map[string]cost.Usage{}
	q := table.Query{PK: pk, Sort: table.SortBeginsWith, A: preMonth, Limit: table.MaxLimit}
	for {
		page, err := l.tbl.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, it := range page.Items {
			if m := monthOf(it.SK); m != "" {
				out[m] = out[m].Add(UsageFromCounts(it.Counts))
			}
		}
		if page.Next == "" {
			return out, nil
		}
		q.Cursor = page.Next
	}
}
