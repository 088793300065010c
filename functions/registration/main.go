// Command registration is the RegistrationFunction Lambda function of
// template.yaml: every step of the CQC registration workflow
// (workflows/registration.asl.json).
//
// Each Task state's payload names its step ("step": "build-checklist");
// steps.Registration maps the names to the steps, and workflowfn.Start
// serves them over DynamoDB.
//
// Environment: TABLE_NAME (required), and the AWS_REGION and credentials
// Lambda sets.
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv/workflowfn"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { workflowfn.Start("registration", steps.Registration) }
