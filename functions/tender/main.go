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

// TODO(lead, at merge): the calculator is shared/workdays' standstill
// (working days of the Procurement Act 2023 s.123); tendersteps.Weekdays
// counts Monday to Friday only until it is wired.
func main() { workflowfn.StartTender("tender", tendersteps.Tender, tendersteps.Weekdays) }
