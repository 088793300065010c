// Command open-panel-task is the OpenPanelTaskFunction Lambda function of
// template.yaml: it opens the panel-decision task that holds the workflow's
// task token (application workflow).
// The logic is steps.Steps.OpenPanelTask;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("open-panel-task", (*steps.Steps).OpenPanelTask) }
