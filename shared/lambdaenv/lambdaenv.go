// Package lambdaenv builds what a step function needs from the environment
// Lambda gives it, and starts it, so each functions/<step>/main.go is one
// call long.
package lambdaenv

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// TableEnv names the variable holding the DynamoDB table's name.
const TableEnv = "TABLE_NAME"

// Store returns the DynamoDB store of the table named by TABLE_NAME, with
// the AWS configuration of the environment (AWS_ENDPOINT_URL_DYNAMODB
// points it at DynamoDB Local in tests).
func Store(ctx context.Context) (*dynamo.Store, error) {
	table := os.Getenv(TableEnv)
	if table == "" {
		return nil, errors.New(TableEnv + " is not set")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("AWS configuration: %w", err)
	}
	return dynamo.New(dynamodb.NewFromConfig(cfg), table), nil
}

// Steps returns the workflow steps over Store, on the wall clock.
func Steps(ctx context.Context) (*steps.Steps, error) {
	st, err := Store(ctx)
	if err != nil {
		return nil, err
	}
	return steps.New(st, time.Now), nil
}

// Start serves one step as this Lambda function. step is a method
// expression of steps.Steps, such as (*steps.Steps).BuildChecklist, so a
// function can only name a step that exists, with its own input and output
// types. If the environment cannot give the steps (Steps), the function
// stops at once, its log line starting with name.
func Start[In, Out any](name string, step func(*steps.Steps, context.Context, In) (Out, error)) {
	s, err := Steps(context.Background())
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	lambda.StartHandlerFunc(func(ctx context.Context, in In) (Out, error) { return step(s, ctx, in) })
}
