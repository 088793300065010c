package outbox

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// NewStop returns the delivery that stops the execution name of machine,
// to be stored with the change that ends the journey it runs (a co-op
// withdrawn): the payload is the cause, for the execution's history.
func (o *Outbox) NewStop(s pathway.Subject, machine, name, cause, by string) *pathway.Delivery {
	now := o.now()
	payload, _ := jsonString(pathway.Clip(cause, 250))
	return &pathway.Delivery{
		ID: ulid.Make().String(), Kind: pathway.DeliverStop, Subject: s,
		StateMachine: machine, Name: name, Payload: payload, By: by,
		NotBefore: now.Add(Grace), CreatedAt: now,
	}
}

// stop sends a stop: an engine that cannot stop executions is a wiring
// mistake, so the delivery is left to be retried (and logged) until it is
// fixed rather than dropped.
func (o *Outbox) stop(ctx context.Context, d *pathway.Delivery) (Result, error) {
	st, ok := o.wf.(pathway.Stopper)
	if !ok {
		return Later, errors.New("outbox: the workflows engine cannot stop executions")
	}
	var cause string
	_ = unmarshalString(d.Payload, &cause)
	if err := st.StopExecution(ctx, d.StateMachine, d.Name, cause); err != nil {
		return Later, err
	}
	return Sent, nil
}

// jsonString and unmarshalString carry the stop's cause as a JSON string
// in the delivery's payload.
func jsonString(s string) ([]byte, error) { return json.Marshal(s) }

func unmarshalString(b []byte, s *string) error {
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, s)
}
