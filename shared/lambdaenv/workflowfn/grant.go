package workflowfn

import (
	"log"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/grants/grantsteps"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/store"
)

// stores returns the store and the grants' store over one DynamoDB table.
func stores(cfg aws.Config, table string) (*store.Store, *grantstore.Store) {
	t := dynamo.New(dynamodb.NewFromConfig(cfg), table)
	return store.New(t), grantstore.New(t)
}

// GrantSteps returns the grant workflow's steps over the table of
// lambdaenv.Table and lambdaenv.Config, on the wall clock.
func GrantSteps() (*grantsteps.Steps, error) {
	table, err := lambdaenv.Table()
	if err != nil {
		return nil, err
	}
	cfg, err := lambdaenv.Config()
	if err != nil {
		return nil, err
	}
	st, g := stores(cfg, table)
	return grantsteps.New(st, g, time.Now), nil
}

// StartGrant serves the grant workflow's steps as this Lambda function, as
// Start serves the other workflows'.
func StartGrant(name string, r grantsteps.Registry) {
	s, err := GrantSteps()
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	lambda.StartHandlerFunc(metering(name, r.Handler(s)))
}
