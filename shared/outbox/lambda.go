package outbox

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
)

// scheduled is the part of an EventBridge Scheduler or rule event that
// tells it from an HTTP request.
type scheduled struct {
	Source     string `json:"source"`
	DetailType string `json:"detail-type"`
}

// SweepResult is what a scheduled invocation returns (for its log).
type SweepResult struct {
	Sent int `json:"sent"`
}

// OrHTTP returns a Lambda handler that sweeps the outbox when invoked by a
// schedule and passes every other invocation to http, an API Gateway HTTP
// API (payload 2.0) handler. One function thus serves the API and its
// outbox, with the same permissions it already needs to answer tasks.
func (o *Outbox) OrHTTP(http func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)) func(context.Context, json.RawMessage) (any, error) {
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		var s scheduled
		if json.Unmarshal(raw, &s) == nil && s.DetailType == "Scheduled Event" {
			n, err := o.Sweep(ctx, false)
			if err == nil {
				n += o.drainInsight(ctx)
			}
			return SweepResult{Sent: n}, err
		}
		var req events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &req); err != nil {
			return nil, fmt.Errorf("outbox: not an HTTP API request: %w", err)
		}
		return http(ctx, req)
	}
}
