package lambdaenv

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// env is an environment of the given variables.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// lambdaVars is what Lambda sets for a function with a role.
var lambdaVars = map[string]string{
	RegionEnv: "eu-west-2", AccessKeyEnv: "ASIAEXAMPLE", SecretKeyEnv: "secret", SessionTokenEnv: "token",
}

func TestConfigFromLambdaEnvironment(t *testing.T) {
	unsetEndpoints(t)
	cfg, err := configFrom(env(lambdaVars))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "eu-west-2" {
		t.Errorf("region %q", cfg.Region)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "ASIAEXAMPLE" || creds.SecretAccessKey != "secret" || creds.SessionToken != "token" {
		t.Errorf("credentials %+v", creds)
	}
	// No override: the clients resolve AWS's own endpoints.
	if ep := dynamodb.NewFromConfig(cfg).Options().BaseEndpoint; ep != nil {
		t.Errorf("DynamoDB endpoint %q without an override", *ep)
	}
}

// unsetEndpoints clears this process's endpoint variables for the test:
// the clients consult them besides the configuration.
func unsetEndpoints(t *testing.T) {
	for _, k := range []string{EndpointEnv, EndpointEnv + "_DYNAMODB", EndpointEnv + "_SFN"} {
		t.Setenv(k, "") // restored after the test
		os.Unsetenv(k)
	}
}

func TestConfigEndpointOverrides(t *testing.T) {
	unsetEndpoints(t)
	vars := map[string]string{
		"AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000",
		"AWS_ENDPOINT_URL_SFN":      "http://127.0.0.1:8083",
	}
	for k, v := range lambdaVars {
		vars[k] = v
	}
	cfg, err := configFrom(env(vars))
	if err != nil {
		t.Fatal(err)
	}
	if ep := dynamodb.NewFromConfig(cfg).Options().BaseEndpoint; aws.ToString(ep) != "http://127.0.0.1:8000" {
		t.Errorf("DynamoDB endpoint %v, want AWS_ENDPOINT_URL_DYNAMODB", aws.ToString(ep))
	}
	if ep := sfn.NewFromConfig(cfg).Options().BaseEndpoint; aws.ToString(ep) != "http://127.0.0.1:8083" {
		t.Errorf("Step Functions endpoint %v, want AWS_ENDPOINT_URL_SFN", aws.ToString(ep))
	}

	// AWS_ENDPOINT_URL is every service's.
	vars = map[string]string{EndpointEnv: "http://127.0.0.1:4566"}
	for k, v := range lambdaVars {
		vars[k] = v
	}
	if cfg, err = configFrom(env(vars)); err != nil {
		t.Fatal(err)
	}
	if ep := sfn.NewFromConfig(cfg).Options().BaseEndpoint; aws.ToString(ep) != "http://127.0.0.1:4566" {
		t.Errorf("Step Functions endpoint %v, want AWS_ENDPOINT_URL", aws.ToString(ep))
	}
}

func TestConfigNamesWhatIsMissing(t *testing.T) {
	_, err := configFrom(env(map[string]string{AccessKeyEnv: "ASIAEXAMPLE"}))
	if err == nil {
		t.Fatal("no error without a region and a secret key")
	}
	for _, name := range []string{RegionEnv, SecretKeyEnv} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("%v does not name %s", err, name)
		}
	}
	if strings.Contains(err.Error(), AccessKeyEnv) {
		t.Errorf("%v names %s, which is set", err, AccessKeyEnv)
	}
}
