// Command record-panel-outcome is the RecordPanelOutcomeFunction Lambda
// function of template.yaml: it records the panel's accept, decline or defer
// (application workflow).
// The logic is steps.Steps.RecordPanelOutcome;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("record-panel-outcome", (*steps.Steps).RecordPanelOutcome) }
