// Command escalate-decision is the EscalateDecisionFunction Lambda function
// of template.yaml: it escalates an overdue CQC decision to the agency's
// lead (registration workflow).
// The logic is steps.Steps.EscalateDecision;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("escalate-decision", (*steps.Steps).EscalateDecision) }
