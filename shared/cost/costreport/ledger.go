package costreport

import (
	"context"
	"strings"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/cost/ledger"
	"github.com/coopcarepathway/pathway/shared/table"
)

// tableLedger reads the meter's monthly items (shared/cost/ledger)
// through the table port.
type tableLedger struct{ tbl table.Table }

// TableLedger is the Ledger over the table the meter writes to.
func TableLedger(tbl table.Table) Ledger { return tableLedger{tbl} }

func (l tableLedger) CoopMonths(ctx context.Context, coop string) (map[string]cost.Usage, error) {
	months, err := ledger.Months(ctx, l.tbl, coop)
	if err != nil {
		return nil, err
	}
	out := make(map[string]cost.Usage, len(months))
	for _, m := range months {
		out[m.Month] = m.Usage
	}
	return out, nil
}

// AgencyMonths reads every month of the agency: a few dozen items at
// most (one a month), read page by page.
func (l tableLedger) AgencyMonths(ctx context.Context, agency string) (map[string]cost.Usage, error) {
	out := map[string]cost.Usage{}
	q := table.Query{PK: ledger.PreAgency + agency, Sort: table.SortBeginsWith, A: ledger.PreMonth, Limit: table.MaxLimit}
	for {
		page, err := l.tbl.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, it := range page.Items {
			out[strings.TrimPrefix(it.SK, ledger.PreMonth)] = ledger.FromCounts(it.Counts)
		}
		if page.Next == "" {
			return out, nil
		}
		q.Cursor = page.Next
	}
}
