package sfn

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// historyEvent flattens an AWS history event into the port's shape: the
// event's details struct differs per type, so only the fields callers read
// (state name, input, output, error, cause, resource) are copied.
func historyEvent(ev types.HistoryEvent) pathway.HistoryEvent {
	h := pathway.HistoryEvent{
		ID: ev.Id, PreviousEventID: ev.PreviousEventId,
		Timestamp: aws.ToTime(ev.Timestamp), Type: string(ev.Type),
	}
	d := map[string]string{}
	put := func(k string, v *string) {
		if v != nil {
			d[k] = *v
		}
	}
	switch {
	case ev.StateEnteredEventDetails != nil:
		h.StateName = aws.ToString(ev.StateEnteredEventDetails.Name)
		put("input", ev.StateEnteredEventDetails.Input)
	case ev.StateExitedEventDetails != nil:
		h.StateName = aws.ToString(ev.StateExitedEventDetails.Name)
		put("output", ev.StateExitedEventDetails.Output)
	case ev.ExecutionStartedEventDetails != nil:
		put("input", ev.ExecutionStartedEventDetails.Input)
	case ev.ExecutionSucceededEventDetails != nil:
		put("output", ev.ExecutionSucceededEventDetails.Output)
	case ev.ExecutionFailedEventDetails != nil:
		put("error", ev.ExecutionFailedEventDetails.Error)
		put("cause", ev.ExecutionFailedEventDetails.Cause)
	case ev.TaskScheduledEventDetails != nil:
		put("resource", ev.TaskScheduledEventDetails.Resource)
		put("parameters", ev.TaskScheduledEventDetails.Parameters)
	case ev.TaskSucceededEventDetails != nil:
		put("output", ev.TaskSucceededEventDetails.Output)
	case ev.TaskFailedEventDetails != nil:
		put("error", ev.TaskFailedEventDetails.Error)
		put("cause", ev.TaskFailedEventDetails.Cause)
	case ev.TaskTimedOutEventDetails != nil:
		put("error", ev.TaskTimedOutEventDetails.Error)
		put("cause", ev.TaskTimedOutEventDetails.Cause)
	}
	if len(d) > 0 {
		h.Details = d
	}
	return h
}
