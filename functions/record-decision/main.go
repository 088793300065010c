// Command record-decision is the RecordDecisionFunction Lambda function of
// template.yaml: it records CQC's decision (registration workflow).
// The logic is steps.Steps.RecordDecision;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("record-decision", (*steps.Steps).RecordDecision) }
