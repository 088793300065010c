// Package sfn implements pathway.Workflows with AWS Step Functions
// (aws-sdk-go-v2/service/sfn).
//
// It maps workflow names to state machine ARNs and the service errors the
// application tells apart to the port's (pathway.ErrAlreadyStarted,
// pathway.ErrNotWaiting), so callers behave the same against AWS and against
// the local engine. The service's error stays wrapped beneath: errors.As
// finds its smithy.APIError and AWS's name.
package sfn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

var _ pathway.Workflows = (*Client)(nil)

// API is the part of the Step Functions client the adapter calls;
// *sfn.Client satisfies it.
type API interface {
	StartExecution(context.Context, *awssfn.StartExecutionInput, ...func(*awssfn.Options)) (*awssfn.StartExecutionOutput, error)
	DescribeExecution(context.Context, *awssfn.DescribeExecutionInput, ...func(*awssfn.Options)) (*awssfn.DescribeExecutionOutput, error)
	SendTaskSuccess(context.Context, *awssfn.SendTaskSuccessInput, ...func(*awssfn.Options)) (*awssfn.SendTaskSuccessOutput, error)
}

// Client is the Step Functions adapter.
type Client struct {
	api      API
	machines map[string]string // workflow name → state machine ARN
}

// New returns an adapter over api. machines maps workflow names (such as
// pathway.WorkflowApplication) to state machine ARNs; a name not in it is
// taken to be an ARN already.
func New(api API, machines map[string]string) *Client {
	return &Client{api: api, machines: machines}
}

// machineARN resolves a workflow name or ARN. A name with no ARN is the
// error AWS gives for a state machine that does not exist.
func (c *Client) machineARN(nameOrARN string) (string, error) {
	if arn, ok := c.machines[nameOrARN]; ok && arn != "" {
		return arn, nil
	}
	if strings.HasPrefix(nameOrARN, "arn:") {
		return nameOrARN, nil
	}
	return "", &smithy.GenericAPIError{Code: "StateMachineDoesNotExist",
		Message: "no state machine ARN is configured for workflow " + nameOrARN, Fault: smithy.FaultClient}
}

// StartExecution starts an execution. AWS answers ExecutionAlreadyExists
// for a name already used by a finished execution even when the input is
// the same; the port promises no error in that case, so a retried start
// after a lost response is never an error: the execution is described and
// its input compared.
func (c *Client) StartExecution(ctx context.Context, machine, name string, input json.RawMessage) error {
	arn, err := c.machineARN(machine)
	if err != nil {
		return err
	}
	_, err = c.api.StartExecution(ctx, &awssfn.StartExecutionInput{
		StateMachineArn: aws.String(arn),
		Name:            aws.String(name),
		Input:           aws.String(string(input)),
	})
	if err == nil {
		return nil
	}
	err = portError(err)
	if !errors.Is(err, pathway.ErrAlreadyStarted) {
		return err
	}
	out, derr := c.api.DescribeExecution(ctx, &awssfn.DescribeExecutionInput{ExecutionArn: aws.String(ExecutionARN(arn, name))})
	if derr != nil || out.Input == nil || !sameJSON([]byte(*out.Input), input) {
		return err
	}
	return nil
}

// ExecutionARN returns the ARN of the execution name of a state machine.
func ExecutionARN(machineARN, name string) string {
	return strings.Replace(machineARN, ":stateMachine:", ":execution:", 1) + ":" + name
}

// sameJSON reports whether two JSON documents are equal as values.
func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

// SendTaskSuccess completes a callback task.
func (c *Client) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	_, err := c.api.SendTaskSuccess(ctx, &awssfn.SendTaskSuccessInput{
		TaskToken: aws.String(token), Output: aws.String(string(output)),
	})
	return portError(err)
}

// portError wraps the service errors the port tells apart in the port's
// errors, keeping the service's error beneath. Other errors (other
// service errors, network, credentials) pass through unchanged.
func portError(err error) error {
	var ae smithy.APIError
	if err == nil || !errors.As(err, &ae) {
		return err
	}
	switch ae.ErrorCode() {
	case "ExecutionAlreadyExists":
		return fmt.Errorf("%w: %w", pathway.ErrAlreadyStarted, err)
	case "TaskDoesNotExist", "TaskTimedOut", "InvalidToken":
		return fmt.Errorf("%w: %w", pathway.ErrNotWaiting, err)
	}
	return err
}
