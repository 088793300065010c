// Command screen-eligibility is the ScreenEligibilityFunction Lambda
// function of template.yaml: it screens an application against its
// programme's eligibility settings (application workflow).
// The logic is steps.Steps.ScreenEligibility;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("screen-eligibility", (*steps.Steps).ScreenEligibility) }
