// Command record-failure is the RecordFailureFunction Lambda function of
// template.yaml: it records a failed workflow step on the co-op for the
// agency (both workflows).
// The logic is steps.Steps.RecordFailure;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("record-failure", (*steps.Steps).RecordFailure) }
