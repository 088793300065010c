// Command mark-cqc-ready is the MarkCQCReadyFunction Lambda function of
// template.yaml: it moves a co-op whose checklist is verified to cqc-ready
// (registration workflow).
// The logic is steps.Steps.MarkCQCReady;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("mark-cqc-ready", (*steps.Steps).MarkCQCReady) }
