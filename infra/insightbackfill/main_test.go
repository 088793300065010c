package main

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/insight/backfill"
	"github.com/coopcarepathway/pathway/shared/insight/funding/fundingtest"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

func TestTableIsRequired(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(context.Background(), nil, &out, &errs); code != 2 || !strings.Contains(errs.String(), "-table is required") {
		t.Errorf("exit %d, stderr %q", code, errs.String())
	}
}

// The command refreshes what the table holds and writes the marker; run
// again it says so and does nothing unless forced.
func TestBackfillTable(t *testing.T) {
	st := testkit.Store(t)
	fundingtest.Seed(t, st, nil)
	ctx := context.Background()
	var out, errs bytes.Buffer
	if code := backfillTable(ctx, st.Table(), false, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errs.String())
	}
	if !strings.Contains(out.String(), "2 co-ops, 5 grant applications, 0 tenders refreshed; 0 failed") {
		t.Errorf("stdout = %q", out.String())
	}
	needed, err := backfill.Needed(ctx, st.Table())
	testkit.Must(t, err)
	if needed {
		t.Error("no marker after the run")
	}
	out.Reset()
	if code := backfillTable(ctx, st.Table(), false, &out, &errs); code != 0 || !strings.Contains(out.String(), "already ran") {
		t.Errorf("second run: exit %d, stdout %q", code, out.String())
	}
	out.Reset()
	if code := backfillTable(ctx, st.Table(), true, &out, &errs); code != 0 || !strings.Contains(out.String(), "2 co-ops") {
		t.Errorf("forced run: exit %d, stdout %q", code, out.String())
	}
}

// No Lambda function links the backfill: the scheduled sweep must not run
// it, for on a large table it could outlast the function's time limit.
func TestNoFunctionLinksTheBackfill(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "../../functions/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasSuffix(pkg, "/shared/insight/backfill") {
			t.Fatalf("a function links %s", pkg)
		}
	}
	if !strings.Contains(string(out), "/shared/insight/project") {
		t.Fatal("go list found no function's dependencies: the test proves nothing")
	}
}
