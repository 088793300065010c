// Command build-checklist is the BuildChecklistFunction Lambda function of
// template.yaml: it stores a co-op's CQC checklist (registration workflow).
// The logic is steps.Steps.BuildChecklist;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("build-checklist", (*steps.Steps).BuildChecklist) }
