// Package outbox sends what the application recorded to send — task answers
// and workflow starts — after the change that caused it, again until it is
// sent: the never-lost half of every answer a person gives.
//
// A change and its Delivery are stored in one transaction (see
// pathway.Delivery). The request that made the change then sends it at once
// (Send); if that fails, or the process dies first, Sweep sends it later:
// the local server sweeps at start-up and every minute, and on AWS a
// schedule invokes the API function every minute to sweep.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// Grace is how long a new delivery is left to the request that recorded
// it before a sweep may take it: the request sends it at once, and two
// senders of one answer would make the second look unused.
const Grace = 30 * time.Second

// Lease is how long a sweep's claim on a delivery keeps other sweeps off.
const Lease = time.Minute

// Workflows is what deliveries are sent through: the application's port.
type Workflows = pathway.Workflows

// Result is what became of one attempt to send a delivery.
type Result int

// Results of Send.
const (
	// Sent: the workflow has it.
	Sent Result = iota
	// Unused: the workflow can no longer take it (the task timed out or
	// was answered another way, the execution ended); recorded as such.
	Unused
	// Later: sending failed for now; a sweep will try again.
	Later
)

// Outbox sends deliveries.
type Outbox struct {
	store pathway.Store
	wf    Workflows
	now   func() time.Time
	log   *slog.Logger
	// mailer and base send mail deliveries (mail.go); set by WithMail.
	mailer pathway.Mailer
	base   string
	// insight refreshes the aggregates (insight.go); set by WithInsight.
	insight Refresher
}

// New returns an outbox over the store and workflows; now nil means
// time.Now, log nil slog.Default().
func New(store pathway.Store, wf Workflows, now func() time.Time, log *slog.Logger) *Outbox {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Outbox{store: store, wf: wf, now: now, log: log}
}

// NewAnswer returns the delivery of a task's answer, to be stored with the
// task's completion; the request that stores it has Grace to send it.
func (o *Outbox) NewAnswer(t *pathway.Task, by string, payload json.RawMessage) *pathway.Delivery {
	now := o.now()
	return &pathway.Delivery{
		ID: ulid.Make().String(), Kind: pathway.DeliverTaskAnswer, Subject: t.Subject,
		Task: t.ID, TaskTitle: t.Title, Token: t.Token, Payload: payload, By: by,
		NotBefore: now.Add(Grace), CreatedAt: now,
	}
}

// NewStart returns the delivery that starts an execution, to be stored with
// the record the execution is for.
func (o *Outbox) NewStart(s pathway.Subject, machine, name string, input json.RawMessage, by string) *pathway.Delivery {
	now := o.now()
	return &pathway.Delivery{
		ID: ulid.Make().String(), Kind: pathway.DeliverStart, Subject: s,
		StateMachine: machine, Name: name, Payload: input, By: by,
		NotBefore: now.Add(Grace), CreatedAt: now,
	}
}

// Send makes one attempt to send d and records its result: a sent or
// unused delivery is finished (an unused answer with a line in its
// subject's audit trail); a failed attempt is left for a sweep, with a
// backoff. An error means even that record could not be written; the
// delivery is then still pending and a sweep will send it.
func (o *Outbox) Send(ctx context.Context, d *pathway.Delivery) (Result, error) {
	ctx = context.WithoutCancel(ctx)
	res, cause := o.attempt(ctx, d)
	switch res {
	case Sent:
		return Sent, o.finish(ctx, d, nil)
	case Unused:
		return Unused, o.finish(ctx, d, o.unusedEvent(d))
	case recorded:
		return Sent, nil
	}
	d.Attempts++
	d.LastError = pathway.Clip(cause.Error(), 2000)
	d.NotBefore = o.now().Add(backoff(d.Attempts))
	o.log.WarnContext(ctx, "outbox: sending failed; will retry", "delivery", d.ID, "kind", d.Kind,
		"subject", d.Subject.String(), "attempts", d.Attempts, "err", cause)
	if err := o.store.RetryDelivery(ctx, d); err != nil && pathway.ErrorCode(err) != pathway.ECONFLICT {
		return Later, err
	}
	return Later, nil
}

// attempt sends d once.
func (o *Outbox) attempt(ctx context.Context, d *pathway.Delivery) (Result, error) {
	if d.Kind == pathway.DeliverMail {
		return o.mail(ctx, d) // its own timeouts, one per email
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var err error
	switch d.Kind {
	case pathway.DeliverTaskAnswer:
		err = o.wf.SendTaskSuccess(ctx, d.Token, d.Payload)
		if errors.Is(err, pathway.ErrNotWaiting) {
			return Unused, err
		}
	case pathway.DeliverStart:
		err = o.wf.StartExecution(ctx, d.StateMachine, d.Name, d.Payload)
		if errors.Is(err, pathway.ErrAlreadyStarted) {
			err = nil // started before, with other input: nothing more to do
		}
	case pathway.DeliverInsight:
		err = o.refresh(ctx, d)
	default:
		return Unused, errors.New("outbox: unknown delivery kind " + d.Kind)
	}
	if err != nil {
		return Later, err
	}
	return Sent, nil
}

// finish removes a delivery that needs no more attempts; a delivery that
// another sender finished already is no error.
func (o *Outbox) finish(ctx context.Context, d *pathway.Delivery, e *pathway.Event) error {
	err := o.store.FinishDelivery(ctx, d, e)
	if pathway.ErrorCode(err) == pathway.ECONFLICT {
		return nil
	}
	if err == nil && d.Kind == pathway.DeliverTaskAnswer {
		return o.closeSiblings(ctx, d)
	}
	return err
}

// closeSiblings cancels the other open tasks of the subject that hold the
// delivered answer's token (the founders' and the agency's copies of one
// decision, a decision and its escalation): the workflow has its answer,
// so they leave inboxes now. The step that records the answer closes them
// too; whichever is first wins.
func (o *Outbox) closeSiblings(ctx context.Context, d *pathway.Delivery) error {
	open, err := o.store.ListTasks(ctx, pathway.TaskFilter{Subject: d.Subject})
	if err != nil {
		return err
	}
	outcome, _ := json.Marshal(map[string]string{"reason": "answered in another task", "answeredIn": d.Task})
	for _, t := range open {
		if t.ID == d.Task || t.Token != d.Token {
			continue
		}
		_, err := o.store.CompleteTask(ctx, t.ID, pathway.TaskCompletion{
			By: d.By, At: o.now(), Outcome: outcome, Status: pathway.TaskCancelled,
		})
		if code := pathway.ErrorCode(err); code != "" && code != pathway.ECONFLICT && code != pathway.ENOTFOUND {
			return err
		}
	}
	return nil
}

// unusedEvent records in the subject's trail that an answer came after
// the workflow had stopped waiting for it; the workflow has opened, or
// will open, whatever replaces the task.
func (o *Outbox) unusedEvent(d *pathway.Delivery) *pathway.Event {
	if d.Kind != pathway.DeliverTaskAnswer {
		return nil
	}
	e := &pathway.Event{
		ID: ulid.Make().String(), Subject: d.Subject, At: o.now(), Actor: pathway.ActorSystem,
		Action:  pathway.ActionTaskNotUsed,
		Summary: pathway.Clip("The answer to “"+d.TaskTitle+"” came after the workflow had stopped waiting for it, so it was not used.", 1000),
		Data:    map[string]string{"task": d.Task, "by": d.By},
	}
	if d.Subject.Kind == pathway.SubjectCoop {
		e.Coop = d.Subject.ID
	}
	return e
}

// Sweep sends every pending delivery that is due, claiming each first so
// that concurrent sweeps never send one twice, and returns how many it
// sent. With all set it ignores NotBefore: a process that has just started
// is the only sender of what an earlier run left.
func (o *Outbox) Sweep(ctx context.Context, all bool) (int, error) {
	pending, err := o.store.PendingDeliveries(ctx, pathway.MaxPageSize)
	if err != nil {
		return 0, err
	}
	if pending, err = o.withMail(ctx, pending); err != nil {
		return 0, err
	}
	if pending, err = o.withInsight(ctx, pending); err != nil {
		return 0, err
	}
	return o.sendDue(ctx, pending, all), nil
}

// sendDue claims and sends each of pending that is due (every one that is
// not held, with all) and returns how many it sent.
func (o *Outbox) sendDue(ctx context.Context, pending []*pathway.Delivery, all bool) int {
	sent := 0
	for _, d := range pending {
		if (!all || isHeld(d)) && o.now().Before(d.NotBefore) {
			continue
		}
		if !o.claim(ctx, d) {
			continue
		}
		res, err := o.Send(ctx, d)
		if err != nil {
			o.log.ErrorContext(ctx, "outbox: recording a delivery", "delivery", d.ID, "err", err)
		}
		if res != Later {
			sent++
		}
	}
	return sent
}

// claim takes d for this sweep for Lease, or reports that another sender has.
func (o *Outbox) claim(ctx context.Context, d *pathway.Delivery) bool {
	d.NotBefore = o.now().Add(Lease)
	err := o.store.RetryDelivery(ctx, d)
	if err != nil && pathway.ErrorCode(err) != pathway.ECONFLICT {
		o.log.ErrorContext(ctx, "outbox: claiming a delivery", "delivery", d.ID, "err", err)
	}
	return err == nil
}

// Run sweeps at once (everything pending) and then every interval until ctx
// ends.
func (o *Outbox) Run(ctx context.Context, every time.Duration) {
	all := true
	for {
		if _, err := o.Sweep(ctx, all); err != nil && ctx.Err() == nil {
			o.log.ErrorContext(ctx, "outbox: sweep", "err", err)
		}
		all = false
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// backoff is the wait before attempt n+1: 5 s doubling, at most 5 minutes.
func backoff(n int) time.Duration {
	d := 5 * time.Second << min(n-1, 6)
	return min(d, 5*time.Minute)
}
