package main

import (
	"context"

	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/coopcarepathway/pathway/shared/sfn"
)

// historyCalls gives shared/sfn's history reader the one client method it
// calls, as a method value (see sfnCalls for why not the client itself).
func historyCalls(c *awssfn.Client) sfn.HistoryAPI { return historyAPI(c.GetExecutionHistory) }

// historyAPI is sfn.HistoryAPI over a method value of the client.
type historyAPI func(context.Context, *awssfn.GetExecutionHistoryInput, ...func(*awssfn.Options)) (*awssfn.GetExecutionHistoryOutput, error)

func (f historyAPI) GetExecutionHistory(ctx context.Context, in *awssfn.GetExecutionHistoryInput, opts ...func(*awssfn.Options)) (*awssfn.GetExecutionHistoryOutput, error) {
	return f(ctx, in, opts...)
}
