package main

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/cost/ledger"
	"github.com/coopcarepathway/pathway/shared/cost/metered"
	"github.com/coopcarepathway/pathway/shared/cost/metered/fromtemplate"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// The local server bills its work as AWS would bill the same work done by
// the functions of template.yaml: each request as an invocation of
// ApiFunction, each step as one of its workflow's function, at the memory
// the template gives them (shared/cost/metered).

// meterConfig is the metering of the function logicalID of the template
// at tmpl; a template it cannot read leaves Lambda's default memory, said
// in the log.
func meterConfig(tmpl, logicalID string, tbl table.Table, st pathway.Store, agencyOf ledger.AgencyOf, log *slog.Logger) metered.Config {
	mb, err := fromtemplate.File(tmpl, logicalID)
	if err != nil {
		log.Warn("cost: the function's memory is not in the template; metering at Lambda's default", "function", logicalID, "err", err)
		mb = metered.DefaultMemoryMB
	}
	return metered.Config{Table: tbl, MemoryMB: mb, AgencyOf: agencyOf, Logger: log}
}

// agencyOf names a co-op's agency, remembered once read.
func agencyOf(st pathway.Store) ledger.AgencyOf { return ledger.Cached(ledger.StoreAgencyOf(st)) }

// meterRequests meters each request as an invocation of ApiFunction.
func meterRequests(h http.Handler, o *options, tbl table.Table, st pathway.Store, log *slog.Logger) http.Handler {
	tmpl, err := findTemplate(o.template)
	if err != nil {
		log.Warn("cost: no template.yaml; requests are metered at Lambda's default memory", "err", err)
	}
	return metered.HTTP(meterConfig(tmpl, "ApiFunction", tbl, st, agencyOf(st), log), h)
}

// meterSteps meters each workflow function's steps as invocations of that
// function (the handlers are keyed by logical ID).
func meterSteps(hs map[string]any, tmpl string, tbl table.Table, st pathway.Store, log *slog.Logger) map[string]any {
	out := make(map[string]any, len(hs))
	a := agencyOf(st)
	for id, h := range hs {
		out[id] = metered.Steps(meterConfig(tmpl, id, tbl, st, a, log), map[string]any{id: h})[id]
	}
	return out
}

// meterSweeps meters each delivery an outbox sweep sends, charged to its
// co-op (the sweep's invocation of ApiFunction on AWS is not counted: it
// serves every co-op at once).
func meterSweeps(o *options, tbl table.Table, st pathway.Store, log *slog.Logger) func(context.Context, func(context.Context)) {
	tmpl, _ := findTemplate(o.template)
	return meterConfig(tmpl, "ApiFunction", tbl, st, agencyOf(st), log).Work
}
