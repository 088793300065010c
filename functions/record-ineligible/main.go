// Command record-ineligible is the RecordIneligibleFunction Lambda function
// of template.yaml: it ends an ineligible application and tells the founders
// why (application workflow).
// The logic is steps.Steps.RecordIneligible;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("record-ineligible", (*steps.Steps).RecordIneligible) }
