package lambdatest_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/coopcarepathway/pathway/infra/lambdatest"
)

// startEnv is the API function's environment for the start benchmark: a
// table name and credentials, so it starts as in Lambda, with no Cognito
// settings (it serves the API, as most of its starts do).
var startEnv = []string{
	"TABLE_NAME=pathway-start-bench",
	"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local",
	"AWS_EC2_METADATA_DISABLED=true",
	"APPLICATION_STATE_MACHINE_ARN=arn:aws:states:eu-west-2:123456789012:stateMachine:application",
	"REGISTRATION_STATE_MACHINE_ARN=arn:aws:states:eu-west-2:123456789012:stateMachine:registration",
}

// BenchmarkAPIStart measures the API function's start: from starting the
// compiled bootstrap (as Lambda does on a cold start) to its answer to the
// first invocation, an /api/ request that needs no table read (no
// authorizer claims: 401), so the time is the process's own — the Go
// runtime, package initialisation, wiring the adapters, the Runtime API's
// first poll and one request through the handler — not DynamoDB's. It
// reports the median (ms/start), steadier than the mean on a shared
// machine, and the median CPU time the process used (cpu-ms/start, until
// it is stopped: its start, then idle polling), which a busy machine blurs
// less. Run: go test -run '^$' -bench APIStart -benchtime 200x ./infra/lambdatest/
// (API_BOOTSTRAP=path measures a bootstrap built elsewhere, such as an
// earlier commit's, to compare the two on the same machine.)
func BenchmarkAPIStart(b *testing.B) {
	bin := os.Getenv("API_BOOTSTRAP")
	if bin == "" {
		bin = lambdatest.Build(b, "api")
	}
	ev := httpEvent("GET", "/api/tasks", "ANY /api/{proxy+}", nil)
	times, cpu := make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		f := lambdatest.Start(b, bin, startEnv...)
		out, err := f.Invoke(b.Context(), ev)
		took := time.Since(start)
		b.StopTimer()
		f.Stop()
		if err != nil {
			b.Fatal(err)
		}
		var res events.APIGatewayV2HTTPResponse
		if err := json.Unmarshal(out, &res); err != nil || res.StatusCode != 401 {
			b.Fatalf("first invocation: %s (%v), want 401", out, err)
		}
		times, cpu = append(times, took), append(cpu, f.CPUTime())
		b.StartTimer()
	}
	slices.Sort(times)
	slices.Sort(cpu)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms/start")
	b.ReportMetric(float64(cpu[len(cpu)/2].Microseconds())/1000, "cpu-ms/start")
}

// TestAPIFunctionGzips: a page the function serves gzipped (here the
// not-found page, in the layout) reaches API
// Gateway base64-encoded (isBase64Encoded), so its bytes arrive intact.
func TestAPIFunctionGzips(t *testing.T) {
	f := lambdatest.Start(t, lambdatest.Build(t, "api"), startEnv...)
	ev := httpEvent("GET", "/no-such-page", "ANY /{proxy+}", nil)
	ev.Headers["accept"] = "text/html"
	ev.Headers["accept-encoding"] = "gzip, deflate, br"
	out, err := f.Invoke(t.Context(), ev)
	if err != nil {
		t.Fatal(err)
	}
	var res events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	if res.Headers["Content-Encoding"] != "gzip" || !res.IsBase64Encoded {
		t.Fatalf("status %d, headers %v, base64 %v; want a gzipped, base64-encoded page", res.StatusCode, res.Headers, res.IsBase64Encoded)
	}
	raw, err := base64.StdEncoding.DecodeString(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	page, err := io.ReadAll(zr)
	if err != nil || !strings.Contains(strings.ToLower(string(page)), "<!doctype html>") {
		t.Errorf("page %.200q, %v", page, err)
	}
}
