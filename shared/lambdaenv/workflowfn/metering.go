package workflowfn

import (
	"log"
	"log/slog"
	"os"

	"github.com/coopcarepathway/pathway/shared/cost/ledger"
	"github.com/coopcarepathway/pathway/shared/cost/metered"
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
)

// metering returns fn metered: each invocation's DynamoDB units and its
// duration at the function's memory are added to the month of the co-op
// the step serves (shared/cost/metered). Without the environment's table
// the function runs unmetered, as it would have failed already.
func metering(name string, fn metered.StepFunc) metered.StepFunc {
	table, err := lambdaenv.Table()
	if err != nil {
		return fn
	}
	cfg, err := lambdaenv.Config()
	if err != nil {
		log.Printf("%s: not metered: %v", name, err)
		return fn
	}
	st := lambdaenv.Store(cfg, table)
	return metered.Step(metered.Config{
		Table: st.Table(), MemoryMB: metered.EnvMemoryMB(metered.DefaultMemoryMB),
		AgencyOf: ledger.Cached(ledger.StoreAgencyOf(st)),
		Logger:   slog.New(slog.NewJSONHandler(os.Stdout, nil)),
	}, fn)
}
