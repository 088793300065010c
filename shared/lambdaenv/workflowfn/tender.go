package workflowfn

import (
	"log"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tendersteps"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// TenderSteps returns the tender workflow's steps over the table of
// lambdaenv.Table and lambdaenv.Config, on the wall clock, with calc
// working out standstill periods.
func TenderSteps(calc tenders.Calculator) (*tendersteps.Steps, error) {
	table, err := lambdaenv.Table()
	if err != nil {
		return nil, err
	}
	cfg, err := lambdaenv.Config()
	if err != nil {
		return nil, err
	}
	t := dynamo.New(dynamodb.NewFromConfig(cfg), table)
	return tendersteps.New(store.New(t), tenderstore.New(t), calc, time.Now), nil
}

// StartTender serves the tender workflow's steps as this Lambda function,
// as StartGrant serves the grant workflow's.
func StartTender(name string, r tendersteps.Registry, calc tenders.Calculator) {
	s, err := TenderSteps(calc)
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	lambda.StartHandlerFunc(metering(name, r.Handler(s)))
}
