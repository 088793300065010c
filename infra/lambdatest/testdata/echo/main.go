// Command echo is a Lambda function for testing the harness itself: it
// echoes its event with what the runtime told it, fails or panics on request.
package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Say   string `json:"say"`
	Fail  bool   `json:"fail"`
	Panic bool   `json:"panic"`
}

type reply struct {
	Said         string `json:"said"`
	RequestID    string `json:"requestId"`
	FunctionARN  string `json:"functionArn"`
	SecondsLeft  int    `json:"secondsLeft"`
	FunctionName string `json:"functionName"`
}

func main() {
	lambda.Start(func(ctx context.Context, e event) (reply, error) {
		if e.Panic {
			panic("asked to panic")
		}
		if e.Fail {
			return reply{}, errors.New("asked to fail")
		}
		lc, _ := lambdacontext.FromContext(ctx)
		deadline, _ := ctx.Deadline()
		return reply{
			Said: e.Say, RequestID: lc.AwsRequestID, FunctionARN: lc.InvokedFunctionArn,
			SecondsLeft: int(time.Until(deadline).Round(time.Second).Seconds()), FunctionName: os.Getenv("AWS_LAMBDA_FUNCTION_NAME"),
		}, nil
	})
}
