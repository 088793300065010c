package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/insight/backfill"
	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// startBackfill refreshes, in the background, every co-op, grant
// application and tender the data directory already holds, when no run of
// this version of the backfill has completed on it (a directory from
// before the dashboards' aggregates). Serving does not wait for it; the
// returned stop cancels it and waits, so nothing writes once serve returns.
func startBackfill(ctx context.Context, st *store.Store, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		backfillOnce(ctx, st, log)
	}()
	return func() { cancel(); <-done }
}

// backfillOnce runs the backfill when needed and reports whether it ran.
// A run stopped by the server's shutdown is not an error: the next start
// carries on (refreshes already done write nothing then).
func backfillOnce(ctx context.Context, st *store.Store, log *slog.Logger) (ran bool) {
	needed, err := backfill.Needed(ctx, st.Table())
	if err != nil {
		if ctx.Err() == nil {
			log.Error("insight backfill: cannot read its marker", "err", err)
		}
		return false
	}
	if !needed {
		return false
	}
	log.Info("insight backfill: teaching the dashboards about the co-ops, grant applications and tenders already held")
	_, err = backfill.Run(ctx, backfill.Backfill{
		Coops: st, Applications: grantstore.New(st.Table()), Tenders: tenderstore.New(st.Table()),
		Refresher: insightwire.New(st), Table: st.Table(), Now: time.Now, Log: log,
	})
	if err != nil && ctx.Err() == nil {
		log.Error("insight backfill: not complete; the next start tries again", "err", err)
	}
	return true
}
