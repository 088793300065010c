// Package sfn implements pathway.Workflows with AWS Step Functions
// (aws-sdk-go-v2/service/sfn). It maps workflow names to state machine ARNs
// and service errors to *pathway.WorkflowError with AWS's error names, so
// callers behave the same against AWS and against the local engine.
package sfn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

var _ pathway.Workflows = (*Client)(nil)

// API is the part of the Step Functions client the adapter calls;
// *sfn.Client satisfies it.
type API interface {
	StartExecution(context.Context, *awssfn.StartExecutionInput, ...func(*awssfn.Options)) (*awssfn.StartExecutionOutput, error)
	DescribeExecution(context.Context, *awssfn.DescribeExecutionInput, ...func(*awssfn.Options)) (*awssfn.DescribeExecutionOutput, error)
	GetExecutionHistory(context.Context, *awssfn.GetExecutionHistoryInput, ...func(*awssfn.Options)) (*awssfn.GetExecutionHistoryOutput, error)
	ListExecutions(context.Context, *awssfn.ListExecutionsInput, ...func(*awssfn.Options)) (*awssfn.ListExecutionsOutput, error)
	StopExecution(context.Context, *awssfn.StopExecutionInput, ...func(*awssfn.Options)) (*awssfn.StopExecutionOutput, error)
	SendTaskSuccess(context.Context, *awssfn.SendTaskSuccessInput, ...func(*awssfn.Options)) (*awssfn.SendTaskSuccessOutput, error)
	SendTaskFailure(context.Context, *awssfn.SendTaskFailureInput, ...func(*awssfn.Options)) (*awssfn.SendTaskFailureOutput, error)
	SendTaskHeartbeat(context.Context, *awssfn.SendTaskHeartbeatInput, ...func(*awssfn.Options)) (*awssfn.SendTaskHeartbeatOutput, error)
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

// machineARN resolves a workflow name or ARN.
func (c *Client) machineARN(nameOrARN string) (string, error) {
	if arn, ok := c.machines[nameOrARN]; ok && arn != "" {
		return arn, nil
	}
	if strings.HasPrefix(nameOrARN, "arn:") {
		return nameOrARN, nil
	}
	return "", &pathway.WorkflowError{Name: pathway.ErrStateMachineDoesNotExist,
		Message: "no state machine ARN is configured for workflow " + nameOrARN}
}

// StartExecution starts an execution. AWS answers ExecutionAlreadyExists
// for a name already used by a finished execution even when the input is the
// same; the port promises the existing execution in that case, so a retried
// start after a lost response is never an error.
func (c *Client) StartExecution(ctx context.Context, in pathway.StartExecutionInput) (*pathway.Execution, error) {
	arn, err := c.machineARN(in.StateMachine)
	if err != nil {
		return nil, err
	}
	out, err := c.api.StartExecution(ctx, &awssfn.StartExecutionInput{
		StateMachineArn: aws.String(arn),
		Name:            aws.String(in.Name),
		Input:           aws.String(string(in.Input)),
	})
	if err == nil {
		return &pathway.Execution{ARN: aws.ToString(out.ExecutionArn), StateMachineARN: arn,
			Name: in.Name, Status: pathway.ExecRunning, Input: in.Input, StartDate: aws.ToTime(out.StartDate)}, nil
	}
	err = mapError(err)
	var we *pathway.WorkflowError
	if !errors.As(err, &we) || we.Name != pathway.ErrExecutionAlreadyExists {
		return nil, err
	}
	ex, derr := c.DescribeExecution(ctx, ExecutionARN(arn, in.Name))
	if derr != nil || !sameJSON(ex.Input, in.Input) {
		return nil, err
	}
	return ex, nil
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

// DescribeExecution returns an execution.
func (c *Client) DescribeExecution(ctx context.Context, executionARN string) (*pathway.Execution, error) {
	out, err := c.api.DescribeExecution(ctx, &awssfn.DescribeExecutionInput{ExecutionArn: aws.String(executionARN)})
	if err != nil {
		return nil, mapError(err)
	}
	return &pathway.Execution{
		ARN:             aws.ToString(out.ExecutionArn),
		StateMachineARN: aws.ToString(out.StateMachineArn),
		Name:            aws.ToString(out.Name),
		Status:          string(out.Status),
		Input:           raw(out.Input),
		Output:          raw(out.Output),
		Error:           aws.ToString(out.Error),
		Cause:           aws.ToString(out.Cause),
		StartDate:       aws.ToTime(out.StartDate),
		StopDate:        aws.ToTime(out.StopDate),
	}, nil
}

// raw turns an optional JSON string into a RawMessage.
func raw(s *string) json.RawMessage {
	if s == nil {
		return nil
	}
	return json.RawMessage(*s)
}

// GetExecutionHistory returns every event of an execution, following pages.
func (c *Client) GetExecutionHistory(ctx context.Context, executionARN string) ([]pathway.HistoryEvent, error) {
	var events []pathway.HistoryEvent
	p := awssfn.NewGetExecutionHistoryPaginator(c.api, &awssfn.GetExecutionHistoryInput{
		ExecutionArn: aws.String(executionARN), MaxResults: 1000,
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapError(err)
		}
		for _, ev := range page.Events {
			events = append(events, historyEvent(ev))
		}
	}
	return events, nil
}

// ListExecutions returns a state machine's executions, newest first (as
// AWS lists them), following pages.
func (c *Client) ListExecutions(ctx context.Context, stateMachine, status string) ([]*pathway.Execution, error) {
	arn, err := c.machineARN(stateMachine)
	if err != nil {
		return nil, err
	}
	in := &awssfn.ListExecutionsInput{StateMachineArn: aws.String(arn), MaxResults: 1000}
	if status != "" {
		in.StatusFilter = types.ExecutionStatus(status)
	}
	var list []*pathway.Execution
	p := awssfn.NewListExecutionsPaginator(c.api, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapError(err)
		}
		for _, e := range page.Executions {
			list = append(list, &pathway.Execution{
				ARN: aws.ToString(e.ExecutionArn), StateMachineARN: aws.ToString(e.StateMachineArn),
				Name: aws.ToString(e.Name), Status: string(e.Status),
				StartDate: aws.ToTime(e.StartDate), StopDate: aws.ToTime(e.StopDate),
			})
		}
	}
	return list, nil
}

// StopExecution aborts an execution.
func (c *Client) StopExecution(ctx context.Context, executionARN, errorName, cause string) error {
	_, err := c.api.StopExecution(ctx, &awssfn.StopExecutionInput{
		ExecutionArn: aws.String(executionARN), Error: optional(errorName), Cause: optional(cause),
	})
	return mapError(err)
}

// SendTaskSuccess completes a callback task.
func (c *Client) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	_, err := c.api.SendTaskSuccess(ctx, &awssfn.SendTaskSuccessInput{
		TaskToken: aws.String(token), Output: aws.String(string(output)),
	})
	return mapError(err)
}

// SendTaskFailure fails a callback task.
func (c *Client) SendTaskFailure(ctx context.Context, token, errorName, cause string) error {
	_, err := c.api.SendTaskFailure(ctx, &awssfn.SendTaskFailureInput{
		TaskToken: aws.String(token), Error: optional(errorName), Cause: optional(cause),
	})
	return mapError(err)
}

// SendTaskHeartbeat reports that a callback task's worker is alive.
func (c *Client) SendTaskHeartbeat(ctx context.Context, token string) error {
	_, err := c.api.SendTaskHeartbeat(ctx, &awssfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)})
	return mapError(err)
}

// optional returns nil for an empty string, which the API rejects.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// mapError turns a service error into a *pathway.WorkflowError named as AWS
// names it, so callers can test names without importing the SDK. Other
// errors (network, credentials) pass through unchanged.
func mapError(err error) error {
	var ae smithy.APIError
	if err == nil || !errors.As(err, &ae) {
		return err
	}
	return &pathway.WorkflowError{Name: ae.ErrorCode(), Message: ae.ErrorMessage()}
}
