package main

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/syncbuf"
	"github.com/coopcarepathway/pathway/shared/insight/backfill"
	"github.com/coopcarepathway/pathway/shared/insight/funding/fundingtest"
	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// On a data directory from before the aggregates, the start-up backfill
// teaches them its co-ops and writes its marker; on the next start it
// does nothing.
func TestStartBackfill(t *testing.T) {
	st := testkit.Store(t)
	fundingtest.Seed(t, st, nil)
	ctx := context.Background()
	proj := insightwire.New(st)
	if f, err := proj.Facts(ctx, pathway.SubjectCoop, fundingtest.CoopA); err != nil || f != nil {
		t.Fatalf("facts before the backfill = %s, %v; want none", f, err)
	}
	var logs syncbuf.Buffer
	stop := startBackfill(ctx, st, slog.New(slog.NewTextHandler(&logs, nil)))
	deadline := time.Now().Add(20 * time.Second)
	for {
		needed, err := backfill.Needed(ctx, st.Table())
		testkit.Must(t, err)
		if !needed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the backfill did not complete:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if f, err := proj.Facts(ctx, pathway.SubjectCoop, fundingtest.CoopA); err != nil || f == nil {
		t.Errorf("facts after the backfill = %s, %v; want the co-op's", f, err)
	}

	var again bytes.Buffer
	if backfillOnce(ctx, st, slog.New(slog.NewTextHandler(&again, nil))) || again.Len() > 0 {
		t.Errorf("a second start ran the backfill again:\n%s", again.String())
	}
}
