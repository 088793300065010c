// Package workflowfn starts a workflow's Lambda function: the dispatcher
// over the workflow's steps (steps.Registry.Handler), over the DynamoDB
// store of the environment (lambdaenv).
//
// It is apart from lambdaenv so that the API function, which uses lambdaenv,
// links none of the steps.
package workflowfn

import (
	"log"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/coopcarepathway/pathway/shared/grants/grantsteps"
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// Steps returns the workflow steps over the store of lambdaenv.Table and
// lambdaenv.Config, on the wall clock.
func Steps() (*steps.Steps, error) {
	table, err := lambdaenv.Table()
	if err != nil {
		return nil, err
	}
	cfg, err := lambdaenv.Config()
	if err != nil {
		return nil, err
	}
	st, g := stores(cfg, table)
	// CQC's registration of a co-op releases its grants' tranches that
	// wait for it (grantsteps.Steps.ReleaseCQC).
	return steps.New(st, time.Now).OnRegistered(grantsteps.New(st, g, time.Now).ReleaseCQC), nil
}

// Start serves a workflow's steps as this Lambda function: each invocation
// runs the step its payload names (steps.Registry.Handler). If the
// environment cannot give the steps, the function stops at once, its log
// line starting with name.
func Start(name string, r steps.Registry) {
	s, err := Steps()
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	lambda.StartHandlerFunc(metering(name, r.Handler(s)))
}
