package metered_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/cost/ledger"
	"github.com/coopcarepathway/pathway/shared/cost/metered"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

func agencyOf(_ context.Context, coop string) (string, error) { return "org-of-" + coop, nil }

// TestStepCharge: a step whose payload names a co-op is billed to it,
// with its reads and writes on the embedded engine and one invocation at
// the function's memory; an error of the step is returned unchanged.
func TestStepCharge(t *testing.T) {
	tbl := testkit.Table(t, 0)
	boom := errors.New("boom")
	step := func(ctx context.Context, payload json.RawMessage) (any, error) {
		if err := tbl.Transact(ctx, table.Put(table.Item{PK: "X#1", SK: "META", Version: 1}, table.Cond{})); err != nil {
			return nil, err
		}
		if _, err := tbl.Get(ctx, "X#1", "META"); err != nil {
			return nil, err
		}
		return "done", boom
	}
	c := metered.Config{Table: tbl, MemoryMB: 512, AgencyOf: agencyOf}
	hs := metered.Steps(c, map[string]any{"Fn": metered.StepFunc(step), "Other": 42})
	if hs["Other"] != 42 {
		t.Errorf("a value that is no step was changed: %v", hs["Other"])
	}
	out, err := hs["Fn"].(metered.StepFunc)(context.Background(), json.RawMessage(`{"step":"s","coopId":"coop-1"}`))
	if out != "done" || !errors.Is(err, boom) {
		t.Errorf("step returned %v, %v; want its own output and error", out, err)
	}
	u, err := ledger.CoopMonth(context.Background(), tbl, "coop-1", ledger.Month(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	// A lone unconditional put of a small item: 1 write unit; a strongly
	// consistent get of it: 1 read unit (2 halves).
	if u.WriteUnits != 1 || u.ReadHalfUnits != 2 || u.LambdaRequests != 1 || u.LambdaMBms < 512 || u.LambdaMBms%512 != 0 {
		t.Errorf("step usage %+v; want 1 WRU, 2 half RRUs, one invocation at 512 MB", u)
	}
}

// TestHTTPUnchargedStoresNothing: a request that names no co-op leaves no
// ledger item, and a nil table turns metering off.
func TestHTTPUnchargedStoresNothing(t *testing.T) {
	tbl := testkit.Table(t, 0)
	var sawMeter bool
	h := metered.HTTP(metered.Config{Table: tbl, AgencyOf: agencyOf}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawMeter = cost.MeterFrom(r.Context()) != nil
		_, _ = tbl.Get(r.Context(), "COST#coop-x", "MONTH#"+ledger.Month(time.Now()))
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	if !sawMeter {
		t.Error("the handler ran without a meter")
	}
	p, err := tbl.Query(context.Background(), table.Query{PK: "COST#coop-x", Limit: 10})
	if err != nil || len(p.Items) != 0 {
		t.Errorf("an uncharged request stored %v, %v", p, err)
	}
	off := metered.HTTP(metered.Config{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawMeter = cost.MeterFrom(r.Context()) != nil
	}))
	off.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	if sawMeter {
		t.Error("a meter without a table")
	}
}

func TestEnvMemoryMB(t *testing.T) {
	t.Setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1769")
	if got := metered.EnvMemoryMB(128); got != 1769 {
		t.Errorf("EnvMemoryMB = %d, want 1769", got)
	}
	t.Setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "")
	if got := metered.EnvMemoryMB(256); got != 256 {
		t.Errorf("EnvMemoryMB outside Lambda = %d, want the default 256", got)
	}
}
