// Command api is the HTTP API function: shared/web's handler behind API
// Gateway's HTTP API (payload format 2.0), over DynamoDB and Step Functions.
// It only wires adapters; the behaviour lives in shared/.
//
// Environment: TABLE_NAME (required), APPLICATION_STATE_MACHINE_ARN and
// REGISTRATION_STATE_MACHINE_ARN (the workflows it starts).
package main

import (
	"context"
	"log"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
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
	handler := web.New(web.Config{
		Store: dynamo.New(dynamodb.NewFromConfig(cfg), table),
		Workflows: sfn.New(awssfn.NewFromConfig(cfg), map[string]string{
			pathway.WorkflowApplication:  os.Getenv("APPLICATION_STATE_MACHINE_ARN"),
			pathway.WorkflowRegistration: os.Getenv("REGISTRATION_STATE_MACHINE_ARN"),
		}),
		Auth:   web.ClaimsAuthenticator{},
		Logger: slog.New(slog.NewJSONHandler(os.Stdout, nil)),
	})
	lambda.Start(httpadapter.NewV2(handler).ProxyWithContext)
}
