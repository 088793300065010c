package main

import (
	"context"

	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/coopcarepathway/pathway/shared/sfn"
)

// sfnCalls gives shared/sfn the Step Functions client's methods it calls,
// as method values, rather than the client itself.
//
// Why: html/template looks methods up by name at run time, so the linker
// keeps every exported method of every type that is converted to an
// interface. Passing *awssfn.Client as sfn.API would keep all of its 37
// operations (about 1 MiB of the bootstrap); method values keep the three
// the API uses.
func sfnCalls(c *awssfn.Client) sfn.API {
	return sfnAPI{start: c.StartExecution, describe: c.DescribeExecution, success: c.SendTaskSuccess, stop: c.StopExecution}
}

// sfnAPI is sfn.API over method values of the client.
type sfnAPI struct {
	start    func(context.Context, *awssfn.StartExecutionInput, ...func(*awssfn.Options)) (*awssfn.StartExecutionOutput, error)
	describe func(context.Context, *awssfn.DescribeExecutionInput, ...func(*awssfn.Options)) (*awssfn.DescribeExecutionOutput, error)
	success  func(context.Context, *awssfn.SendTaskSuccessInput, ...func(*awssfn.Options)) (*awssfn.SendTaskSuccessOutput, error)
	// stop ends a co-op's journey workflow when it is withdrawn (sfn.StopAPI).
	stop func(context.Context, *awssfn.StopExecutionInput, ...func(*awssfn.Options)) (*awssfn.StopExecutionOutput, error)
}

func (a sfnAPI) StartExecution(ctx context.Context, in *awssfn.StartExecutionInput, opts ...func(*awssfn.Options)) (*awssfn.StartExecutionOutput, error) {
	return a.start(ctx, in, opts...)
}

func (a sfnAPI) DescribeExecution(ctx context.Context, in *awssfn.DescribeExecutionInput, opts ...func(*awssfn.Options)) (*awssfn.DescribeExecutionOutput, error) {
	return a.describe(ctx, in, opts...)
}

func (a sfnAPI) SendTaskSuccess(ctx context.Context, in *awssfn.SendTaskSuccessInput, opts ...func(*awssfn.Options)) (*awssfn.SendTaskSuccessOutput, error) {
	return a.success(ctx, in, opts...)
}

func (a sfnAPI) StopExecution(ctx context.Context, in *awssfn.StopExecutionInput, opts ...func(*awssfn.Options)) (*awssfn.StopExecutionOutput, error) {
	return a.stop(ctx, in, opts...)
}
