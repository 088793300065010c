// Command tender is the TenderFunction Lambda function of template.yaml:
// every step of the tender workflow (workflows/tender.asl.json).
//
// Each Task state's payload names its step ("step": "close");
// tendersteps.Tender maps the names to the steps, and
// workflowfn.StartTender serves them over DynamoDB.
//
// Environment: TABLE_NAME (required), and the AWS_REGION and credentials
// Lambda sets.
package main

import (
	"github.com/coopcarepathway/pathway/shared/lambdaenv/workflowfn"
	"github.com/coopcarepathway/pathway/shared/tenders/tendersteps"
)

// The standstill calculator is tendersteps.Weekdays (Monday to Friday)
// until shared/workdays (the Act's working days, s.123, with the UK's
// bank holidays) is wired in its place at merge.
func main() { workflowfn.StartTender("tender", tendersteps.Tender, tendersteps.Weekdays) }
