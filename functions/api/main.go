// Command api is the HTTP API function: shared/web's handler behind API
// Gateway's HTTP API (payload format 2.0), over DynamoDB and Step Functions.
// It only wires adapters; the behaviour lives in shared/.
//
// Environment: TABLE_NAME (required), APPLICATION_STATE_MACHINE_ARN and
// REGISTRATION_STATE_MACHINE_ARN (the workflows it starts), and for the web
// pages' sign-in COGNITO_DOMAIN, COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID
// (with the AWS_REGION Lambda sets).
//
// Who is calling: /api/ requests carry the HTTP API JWT authorizer's
// claims; page requests (routed without an authorizer, since browsers send
// no Authorization header) carry the Cognito session cookie that
// shared/cognito verifies. Without the COGNITO_ settings the function
// serves the API only: pages send visitors to /auth/sign-in, which says
// sign-in is not set up here. Only some of them set is a deployment
// mistake, and the function refuses to start, naming the missing one.
package main

import (
	"context"
	"errors"
	"log"
	"log/slog"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/coopcarepathway/pathway/shared/cognito"
	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/sfn"
	"github.com/coopcarepathway/pathway/shared/web"
)

func main() {
	table := os.Getenv("TABLE_NAME")
	if table == "" {
		log.Fatal("api: TABLE_NAME is not set")
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Fatalf("api: AWS configuration: %v", err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	auth, mount := signIn(logger)
	handler := web.New(web.Config{
		Store: dynamo.New(dynamodb.NewFromConfig(cfg), table),
		Workflows: sfn.New(awssfn.NewFromConfig(cfg), map[string]string{
			pathway.WorkflowApplication:  os.Getenv("APPLICATION_STATE_MACHINE_ARN"),
			pathway.WorkflowRegistration: os.Getenv("REGISTRATION_STATE_MACHINE_ARN"),
		}),
		Auth:       auth,
		Logger:     logger,
		SignInURL:  cognito.SignInPath,
		SignOutURL: cognito.SignOutPath,
		Mount:      mount,
	})
	lambda.Start(httpadapter.NewV2(handler).ProxyWithContext)
}

// signIn returns the authenticator and the /auth/ routes: the Cognito hosted
// sign-in when configured, else the authorizer's claims alone and a page
// explaining that the web pages cannot be signed in to here.
func signIn(logger *slog.Logger) (web.Authenticator, map[string]http.Handler) {
	cfg, err := cognito.FromEnv(os.Getenv)
	if errors.Is(err, cognito.ErrNotConfigured) {
		logger.Warn("COGNITO_ settings not set: serving the API only; the web pages cannot be signed in to")
		return web.ClaimsAuthenticator{}, cognito.NotConfigured()
	}
	if err != nil {
		log.Fatalf("api: %v", err)
	}
	cfg.Logger = logger
	c, err := cognito.New(cfg)
	if err != nil {
		log.Fatalf("api: %v", err)
	}
	return web.ClaimsAuthenticator{Fallback: c}, c.Routes()
}
