// Command escalate-panel is the EscalatePanelFunction Lambda function of
// template.yaml: it escalates an overdue panel decision to the agency's lead
// (application workflow).
// The logic is steps.Steps.EscalatePanel;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("escalate-panel", (*steps.Steps).EscalatePanel) }
