// Package lambdaenv builds what a Lambda function needs from the environment
// Lambda gives it: the AWS configuration (Config) and the store over the
// table (Table, Store), so each functions/<name>/main.go only wires.
//
// A workflow's function starts with its subpackage workflowfn.
//
// Config reads the environment alone, without config.LoadDefaultConfig:
// in Lambda the role's credentials are in the environment, and the default
// chain would link the SSO, SSO OIDC, STS and sign-in clients and the
// shared-config parser (about 2.5 MiB of every bootstrap) to find them
// there anyway.
package lambdaenv

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/store"
)

// Variables the functions read. Lambda sets the AWS_ ones; template.yaml
// sets TableEnv; tests point the clients elsewhere with the endpoint ones.
const (
	// TableEnv names the variable holding the DynamoDB table's name.
	TableEnv = "TABLE_NAME"
	// RegionEnv is the function's region.
	RegionEnv = "AWS_REGION"
	// AccessKeyEnv, SecretKeyEnv and SessionTokenEnv hold the function
	// role's temporary credentials.
	AccessKeyEnv    = "AWS_ACCESS_KEY_ID"
	SecretKeyEnv    = "AWS_SECRET_ACCESS_KEY"
	SessionTokenEnv = "AWS_SESSION_TOKEN"
	// EndpointEnv overrides every service's endpoint; EndpointEnv + "_" +
	// the service (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SFN)
	// overrides one, as the SDK's own environment configuration does.
	EndpointEnv = "AWS_ENDPOINT_URL"
)

// Config returns the AWS configuration of the environment: the region of
// AWS_REGION, the static credentials of AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, and the endpoint overrides
// of AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>, which every client
// made with NewFromConfig(cfg) honours. Missing region or credentials are
// an error naming the variable.
func Config() (aws.Config, error) {
	return configFrom(os.Getenv)
}

// configFrom is Config over any environment.
func configFrom(getenv func(string) string) (aws.Config, error) {
	var missing []string
	region := getenv(RegionEnv)
	if region == "" {
		missing = append(missing, RegionEnv)
	}
	key, secret := getenv(AccessKeyEnv), getenv(SecretKeyEnv)
	if key == "" {
		missing = append(missing, AccessKeyEnv)
	}
	if secret == "" {
		missing = append(missing, SecretKeyEnv)
	}
	if len(missing) > 0 {
		return aws.Config{}, errors.New("AWS configuration: " + strings.Join(missing, ", ") + " not set")
	}
	creds := credentials.NewStaticCredentialsProvider(key, secret, getenv(SessionTokenEnv))
	creds.Source = []aws.CredentialSource{aws.CredentialSourceEnvVars}
	cfg := aws.Config{
		Region:        region,
		Credentials:   creds,
		ConfigSources: []any{endpoints(getenv)},
	}
	if u := getenv(EndpointEnv); u != "" {
		cfg.BaseEndpoint = aws.String(u)
	}
	return cfg, nil
}

// endpoints gives each client its AWS_ENDPOINT_URL_<SERVICE> override: a
// client looks in Config.ConfigSources for this method (the SDK's
// internal configsources.ServiceBaseEndpointProvider), with its service's
// SDK ID ("DynamoDB", "SFN").
type endpoints func(string) string

// GetServiceBaseEndpoint returns the endpoint override for the service, if any.
func (e endpoints) GetServiceBaseEndpoint(_ context.Context, sdkID string) (string, bool, error) {
	name := EndpointEnv + "_" + strings.ReplaceAll(strings.ToUpper(sdkID), " ", "_")
	u := e(name)
	return u, u != "", nil
}

// Table returns the DynamoDB table's name, from TABLE_NAME.
func Table() (string, error) {
	table := os.Getenv(TableEnv)
	if table == "" {
		return "", errors.New(TableEnv + " is not set")
	}
	return table, nil
}

// Store returns the store over the DynamoDB table, through a client with
// cfg (Config).
func Store(cfg aws.Config, table string) *store.Store {
	return store.New(dynamo.New(dynamodb.NewFromConfig(cfg), table))
}
