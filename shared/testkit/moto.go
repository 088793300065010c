package testkit

import (
	"os"
	"testing"
)

// MotoEnv names the variable holding the URL of moto_server, which
// infra/moto/run.sh starts for the test command.
const MotoEnv = "MOTO_ENDPOINT"

// MotoEndpoint returns moto_server's URL for tests of the S3, SES and
// Cognito adapters. It skips the test when MOTO_ENDPOINT is unset, or
// fails it in CI (CI=true), where skipping would hide an untested adapter.
func MotoEndpoint(tb testing.TB) string {
	tb.Helper()
	endpoint := os.Getenv(MotoEnv)
	if endpoint == "" {
		msg := MotoEnv + " is not set; run the tests through infra/moto/run.sh (make test does)"
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return endpoint
}
