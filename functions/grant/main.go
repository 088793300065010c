// Command grant is the GrantFunction Lambda function of template.yaml:
// every step of the grant workflow (workflows/grant.asl.json).
//
// Each Task state's payload names its step ("step": "screen-application");
// grantsteps.Grant maps the names to the steps, and workflowfn.StartGrant
// serves them over DynamoDB.
//
// Environment: TABLE_NAME (required), and the AWS_REGION and credentials
// Lambda sets.
package main

import (
	"github.com/coopcarepathway/pathway/shared/grants/grantsteps"
	"github.com/coopcarepathway/pathway/shared/lambdaenv/workflowfn"
)

func main() { workflowfn.StartGrant("grant", grantsteps.Grant) }
