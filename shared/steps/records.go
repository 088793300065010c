package steps

import (
	"context"
	"encoding/json"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// CoopInput is the input of a step that needs only the co-op.
type CoopInput struct {
	Invocation
	// CoopID is the co-op the execution is about.
	CoopID string `json:"coopId"`
}

// check validates the input: the invocation and the co-op ID, naming
// every field at fault.
func (in CoopInput) check() error {
	if _, fields := inputFields(in.Invocation, in.CoopID); len(fields) > 0 {
		return pathway.Invalid(fields)
	}
	return nil
}

// inputFields checks what every step's input carries, the invocation and
// the co-op ID, and returns when the state was entered and the fields at
// fault (none when the map is empty).
func inputFields(inv Invocation, coopID string) (time.Time, map[string]string) {
	at, err := inv.entered()
	fields := pathway.ErrorFields(err)
	if fields == nil {
		fields = map[string]string{}
	}
	if coopID == "" {
		fields["coopId"] = "Enter the co-op ID"
	}
	return at, fields
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

// stageRule says in which stages a step may run.
type stageRule func(stage string) bool

// at is the rule of a step that runs in one stage only.
func at(stage string) stageRule { return func(s string) bool { return s == stage } }

// towards is the rule of a step that moves the co-op to stage: it runs
// where the stage table lets the co-op move there, and at the stage
// itself, as when the step runs a second time.
func towards(stage string) stageRule {
	return func(s string) bool { return s == stage || pathway.CanMove(s, stage) }
}

// awaitingCQC is the rule of the steps of the wait for CQC's decision:
// the stages from which the table lets CQC's decision end the journey.
func awaitingCQC(s string) bool { return pathway.CanMove(s, pathway.StageCQCRefused) }

// loadCoopAt returns the co-op, which must be in a stage the rule allows:
// what says what the step would have it do, for the error. A nil rule
// allows any stage, for a step whose own stage change checks it.
func (s *Steps) loadCoopAt(ctx context.Context, id, what string, rule stageRule) (*pathway.Coop, error) {
	c, err := s.loadCoop(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := requireStage(c, what, rule); err != nil {
		return nil, err
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
	// to is the target stage; the stage table (pathway.Move) says from
	// which stages the co-op may move there.
	to string
	// action, summary and data describe the event.
	action, summary string
	data            map[string]string
	// actor is who caused it; ActorSystem when empty.
	actor string
	// edit sets other fields that change with the stage.
	edit func(c *pathway.Coop)
}

// move changes the co-op's stage through the stage table (pathway.Move)
// and appends the change's event (event 0 of the state entry) in one
// UpdateCoop call, unless the co-op is in the target stage already, as it
// is when the step runs a second time. It reports whether it changed
// anything. A move the table does not allow is EINVALID here, not the
// table's ECONFLICT: the workflows retry conflicts, and no retry can take
// a co-op out of a stage the table forbids leaving that way, so the
// workflow records a failure for the agency at once.
func (s *Steps) move(ctx context.Context, inv Invocation, c *pathway.Coop, ch change) (bool, error) {
	if c.Stage == ch.to {
		return false, nil
	}
	e, err := s.event(inv, 0, c, ch.actor, ch.action, ch.summary, ch.data)
	if err != nil {
		return false, err
	}
	next := *c
	if err := pathway.Move(&next, ch.to, e.At); err != nil {
		return false, pathway.Errorf(pathway.EINVALID, "%s", pathway.ErrorMessage(err))
	}
	e.From, e.To = c.Stage, ch.to
	if ch.edit != nil {
		ch.edit(&next)
	}
	if err := s.store.UpdateCoop(ctx, &next, withDecisionNotice(&next, e)); err != nil {
		return false, err
	}
	*c = next
	return true, nil
}

// requireStage fails with EINVALID unless the rule allows the co-op's
// stage (a nil rule allows any).
func requireStage(c *pathway.Coop, what string, rule stageRule) error {
	if rule == nil || rule(c.Stage) {
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
		ID: id, Coop: c.ID, At: s.now(), Actor: pathway.Clip(actor, 128), Action: action,
		Summary: pathway.Clip(summary, 1000), Data: data,
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
	return s.record(ctx, inv, n, c, pathway.ActionNotificationSent, message, map[string]string{"to": to})
}

// mustJSON encodes a small value the steps build themselves.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of strings are passed
	}
	return b
}
