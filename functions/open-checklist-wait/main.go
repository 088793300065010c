// Command open-checklist-wait is the OpenChecklistWaitFunction Lambda
// function of template.yaml: it opens the founders' checklist task that
// holds the workflow's task token (registration workflow).
// The logic is steps.Steps.OpenChecklistWait;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("open-checklist-wait", (*steps.Steps).OpenChecklistWait) }
