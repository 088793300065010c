package sfn

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"

	"github.com/coopcarepathway/pathway/shared/cost"
)

// HistoryAPI is the part of the Step Functions client the history reader
// calls; *sfn.Client satisfies it. Apart from API so that the adapter's
// existing fakes need not grow.
type HistoryAPI interface {
	GetExecutionHistory(context.Context, *awssfn.GetExecutionHistoryInput, ...func(*awssfn.Options)) (*awssfn.GetExecutionHistoryOutput, error)
}

// Histories reads executions' histories for counting state transitions
// (cost.Histories).
type Histories struct {
	api HistoryAPI
	c   *Client // for its workflow name → ARN map
}

var _ cost.Histories = (*Histories)(nil)

// NewHistories returns the reader over api; machines maps workflow names to
// state machine ARNs as for New.
func NewHistories(api HistoryAPI, machines map[string]string) *Histories {
	return &Histories{api: api, c: New(nil, machines)}
}

// historyPage is the most events AWS returns in one page.
const historyPage = 1000

// History returns every event of the execution, following nextToken
// through the pages (AWS returns at most 1,000 events a page; a long
// journey's execution has more). An execution that does not exist (never
// started, or deleted after its retention) has no events and no error.
func (h *Histories) History(ctx context.Context, machine, name string) ([]cost.Event, error) {
	arn, err := h.c.machineARN(machine)
	if err != nil {
		return nil, err
	}
	in := &awssfn.GetExecutionHistoryInput{
		ExecutionArn:         aws.String(ExecutionARN(arn, name)),
		MaxResults:           historyPage,
		IncludeExecutionData: aws.Bool(false), // types and times are all that is counted
	}
	var out []cost.Event
	for {
		page, err := h.api.GetExecutionHistory(ctx, in)
		if err != nil {
			var ae smithy.APIError
			if errors.As(err, &ae) && ae.ErrorCode() == "ExecutionDoesNotExist" {
				return nil, nil
			}
			return nil, err
		}
		for _, ev := range page.Events {
			out = append(out, cost.Event{Type: string(ev.Type), Timestamp: aws.ToTime(ev.Timestamp)})
		}
		if page.NextToken == nil || *page.NextToken == "" {
			return out, nil
		}
		in.NextToken = page.NextToken
	}
}
