// Command open-decision-task is the OpenDecisionTaskFunction Lambda function
// of template.yaml: it opens, or reminds about, the cqc-decision tasks
// (registration workflow).
// The logic is steps.Steps.OpenDecisionTask;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("open-decision-task", (*steps.Steps).OpenDecisionTask) }
