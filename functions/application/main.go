// Command application is the ApplicationFunction Lambda function of
// template.yaml: every step of the application workflow
// (workflows/application.asl.json).
//
// Each Task state's payload names its step ("step": "screen-eligibility");
// steps.Application maps the names to the steps, and workflowfn.Start serves
// them over DynamoDB.
//
// Environment: TABLE_NAME (required), and the AWS_REGION and credentials
// Lambda sets.
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv/workflowfn"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { workflowfn.Start("application", steps.Application) }
