package sfn

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

var _ pathway.Stopper = (*Client)(nil)

// StopAPI is the Step Functions call that stops an execution. It stands
// apart from API so the adapters and fakes that never stop one need not
// have it; an api without it cannot stop executions.
type StopAPI interface {
	StopExecution(context.Context, *awssfn.StopExecutionInput, ...func(*awssfn.Options)) (*awssfn.StopExecutionOutput, error)
}

// StopExecution stops the execution name of the workflow machine. AWS
// answers a stop of a finished execution with success; an execution that
// was never started (ExecutionDoesNotExist) has nothing to stop either.
func (c *Client) StopExecution(ctx context.Context, machine, name, cause string) error {
	api, ok := c.api.(StopAPI)
	if !ok {
		return errors.New("sfn: this client cannot stop executions")
	}
	arn, err := c.machineARN(machine)
	if err != nil {
		return err
	}
	_, err = api.StopExecution(ctx, &awssfn.StopExecutionInput{
		ExecutionArn: aws.String(ExecutionARN(arn, name)),
		Error:        aws.String("Pathway.Ended"),
		Cause:        aws.String(cause),
	})
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "ExecutionDoesNotExist" {
		return nil
	}
	return err
}
