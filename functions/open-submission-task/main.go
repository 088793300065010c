// Command open-submission-task is the OpenSubmissionTaskFunction Lambda
// function of template.yaml: it opens the founders' cqc-submission task
// (registration workflow).
// The logic is steps.Steps.OpenSubmissionTask;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("open-submission-task", (*steps.Steps).OpenSubmissionTask) }
