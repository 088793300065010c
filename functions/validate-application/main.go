// Command validate-application is the ValidateApplicationFunction Lambda
// function of template.yaml: it checks that a co-op's application, programme
// and agency are sound (application workflow).
// The logic is steps.Steps.ValidateApplication;
// lambdaenv.Start serves it over DynamoDB.
//
// Environment: TABLE_NAME (required).
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/steps"
)

func main() { lambdaenv.Start("validate-application", (*steps.Steps).ValidateApplication) }
