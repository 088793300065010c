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
	"github.com/coopcarepathway/pathway/shared/workdays"
)

// Standstill is counted in the Act's working days (s.123), with every
// part of the UK's bank holidays: workdays.Calculate.
func main() { workflowfn.StartTender("tender", tendersteps.Tender, workdays.Calculate) }
