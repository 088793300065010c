package steps

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// CoopInput is the input of a step that needs only the co-op.
type CoopInput struct {
	Invocation
	// CoopID is the co-op the execution is about.
	CoopID string `json:"coopId"`
}

// StageOutput is the output of a step that may change the stage.
type StageOutput struct {
	// Stage is the co-op's stage after the step.
	Stage string `json:"stage"`
}

// Who a notification goes to.
const (
	toFounders   = "founders"
	toAgency     = "agency"
	toAgencyLead = "agency-lead"
)

// loadCoop returns the co-op, naming the coopId field when it is missing.
func (s *Steps) loadCoop(ctx context.Context, id string) (*pathway.Coop, error) {
	if id == "" {
		return nil, pathway.Invalid(map[string]string{"coopId": "Enter the co-op ID"})
	}
	return s.store.GetCoop(ctx, id)
}

// loadCoopAt returns the co-op, which must be in one of the stages: what
// says what the step would have it do, for the error. With no stages any
// stage will do, for a step whose own stage change checks it.
func (s *Steps) loadCoopAt(ctx context.Context, id, what string, stages ...string) (*pathway.Coop, error) {
	c, err := s.loadCoop(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(stages) > 0 {
		if err := requireStage(c, what, stages...); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// loadProgramme returns the co-op's programme.
func (s *Steps) loadProgramme(ctx context.Context, c *pathway.Coop) (*pathway.Programme, error) {
	p, err := s.store.GetProgramme(ctx, c.Programme)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, pathway.Errorf(pathway.EINVALID, "The co-op's programme %q does not exist.", c.Programme)
	}
	return p, err
}

// change is a stage change and the event that records it.
type change struct {
	// to is the target stage; from lists the stages the co-op may leave.
	to   string
	from []string
	// action, summary and data describe the event.
	action, summary string
	data            map[string]string
	// actor is who caused it; ActorSystem when empty.
	actor string
	// edit sets other fields that change with the stage.
	edit func(c *pathway.Coop)
}

// move changes the co-op's stage and appends the change's event (event 0 of
// the state entry) in one UpdateCoop call, unless the co-op is in the
// target stage already, as it is when the step runs a second time. It
// reports whether it changed anything. A co-op in a stage it may not leave
// this way is EINVALID: retrying cannot help, so the workflow records a
// failure for the agency.
func (s *Steps) move(ctx context.Context, inv Invocation, c *pathway.Coop, ch change) (bool, error) {
	if c.Stage == ch.to {
		return false, nil
	}
	if !slices.Contains(ch.from, c.Stage) {
		return false, pathway.Errorf(pathway.EINVALID,
			"The co-op is at the %q stage, so it cannot move to %q.", c.Stage, ch.to)
	}
	e, err := s.event(inv, 0, c, ch.actor, ch.action, ch.summary, ch.data)
	if err != nil {
		return false, err
	}
	e.From, e.To = c.Stage, ch.to
	next := *c
	next.Stage, next.StageEnteredAt, next.UpdatedAt, next.Failure = ch.to, e.At, e.At, ""
	if ch.edit != nil {
		ch.edit(&next)
	}
	if err := s.store.UpdateCoop(ctx, &next, e); err != nil {
		return false, err
	}
	*c = next
	return true, nil
}

// requireStage fails with EINVALID unless the co-op is in one of the stages.
func requireStage(c *pathway.Coop, what string, stages ...string) error {
	if slices.Contains(stages, c.Stage) {
		return nil
	}
	return pathway.Errorf(pathway.EINVALID, "The co-op is at the %q stage, so it cannot %s.", c.Stage, what)
}

// event builds the n-th event of a state entry.
func (s *Steps) event(inv Invocation, n int, c *pathway.Coop, actor, action, summary string, data map[string]string) (*pathway.Event, error) {
	id, err := inv.eventID(n)
	if err != nil {
		return nil, err
	}
	if actor == "" {
		actor = pathway.ActorSystem
	}
	return &pathway.Event{
		ID: id, Coop: c.ID, At: s.now(), Actor: clip(actor, 128), Action: action,
		Summary: clip(summary, 1000), Data: data,
	}, nil
}

// record appends the n-th event of a state entry, without a stage change.
// Appending it again is a no-op, so a second run records it once.
func (s *Steps) record(ctx context.Context, inv Invocation, n int, c *pathway.Coop, action, summary string, data map[string]string) error {
	e, err := s.event(inv, n, c, "", action, summary, data)
	if err != nil {
		return err
	}
	return s.store.AppendEvent(ctx, e)
}

// notify records a notification to the founders, the agency or its lead as
// the n-th event of a state entry. The event is the notification's record
// and what the recipient sees in the co-op's history; sending it by email
// is a later addition that will read these events.
func (s *Steps) notify(ctx context.Context, inv Invocation, n int, c *pathway.Coop, to, message string) error {
	return s.record(ctx, inv, n, c, "notification.sent", message, map[string]string{"to": to})
}

// mustJSON encodes a small value the steps build themselves.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of strings are passed
	}
	return b
}
