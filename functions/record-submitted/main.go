// Command record-submitted is the RecordSubmittedFunction Lambda function of
// template.yaml: it records the date the founders applied to CQC
// (registration workflow).
// The logic is steps.Steps.RecordSubmitted;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("record-submitted", (*steps.Steps).RecordSubmitted) }
