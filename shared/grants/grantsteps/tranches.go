package grantsteps

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/oklog/ulid/v2"
)

// ASL errors the tranche steps raise for the workflow to catch.
const (
	// ErrTriggerMet: the tranche's trigger has happened already, so there
	// is nothing to wait for.
	ErrTriggerMet = "Pathway.TriggerMet"
	// ErrTranchePaid: the tranche is paid already.
	ErrTranchePaid = "Pathway.TranchePaid"
)

// WaitPollDays is how often a trigger wait looks again for itself, so that
// a release lost on the way (a crash between the registration step's
// event and its answer) is found within a week.
const WaitPollDays = 7

// OpenTriggerWait waits for a tranche's cqc-registered or report trigger:
// ErrTriggerMet when it has happened (the co-op is registered with CQC;
// as many reports are accepted as this is the tranche released by a
// report, counting in order), else a machine-only wait task
// (TaskWaitCQC, TaskWaitReport) whose token the release answers.
func (s *Steps) OpenTriggerWait(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openTriggerWait(ctx, in))
}

func (s *Steps) openTriggerWait(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	t, err := tranche(r.app, in.Tranche)
	if err != nil {
		return nil, err
	}
	met, kind, title := t.Status != grants.TrancheOpen, "", ""
	switch t.Trigger {
	case grants.TriggerCQCRegistered:
		c, err := s.coop(ctx, r)
		if err != nil {
			return nil, err
		}
		met = met || pathway.Registered(c.Stage)
		kind, title = TaskWaitCQC, "Waiting for the co-op's CQC registration"
	case grants.TriggerReport:
		met = met || reportReleased(r.app, t.ID)
		kind, title = TaskWaitReport, "Waiting for an accepted monitoring report"
	default:
		return nil, pathway.Errorf(pathway.EINVALID, "Tranche %s is released by %q, which no wait task waits for.", t.ID, t.Trigger)
	}
	if met {
		return nil, messages.InvokeResponse_Error{Type: ErrTriggerMet, Message: "Tranche " + t.ID + "'s trigger has happened."}
	}
	w := s.newTask(r, t.ID, in.TaskToken, pathway.Task{Kind: kind, Role: pathway.RoleFunder,
		Title: title, Due: r.at.Add(steps.Days(WaitPollDays))})
	return s.openTasks(ctx, r, []string{kind}, t.ID, w)
}

// tranche returns the award's tranche with the ID.
func tranche(a *grants.Application, id string) (*grants.Tranche, error) {
	if a.Award == nil {
		return nil, pathway.Errorf(pathway.EINVALID, "The application %s has no award.", a.ID)
	}
	t := a.Tranche(id)
	if t == nil {
		return nil, pathway.Invalid(map[string]string{"tranche": "The award has no tranche " + id})
	}
	return t, nil
}

// reportReleased reports whether the report tranche with the ID has its
// report: the k-th report tranche comes with the k-th accepted report.
func reportReleased(a *grants.Application, id string) bool {
	accepted := 0
	for _, rp := range a.Reports {
		if rp.Status == grants.ReportAccepted {
			accepted++
		}
	}
	k := 0
	for _, t := range a.Award.Tranches {
		if t.Trigger == grants.TriggerReport {
			k++
			if t.ID == id {
				return k <= accepted
			}
		}
	}
	return false
}

// OpenPaymentTask releases the tranche (due, with its event) unless it is
// due already, and asks the funder to record its payment.
func (s *Steps) OpenPaymentTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openPaymentTask(ctx, in))
}

func (s *Steps) openPaymentTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	t, err := tranche(r.app, in.Tranche)
	if err != nil {
		return nil, err
	}
	switch t.Status {
	case grants.TranchePaid:
		return nil, messages.InvokeResponse_Error{Type: ErrTranchePaid, Message: "Tranche " + t.ID + " is paid already."}
	case grants.TrancheOpen:
		next := *r.app
		next.Award = cloneAward(r.app.Award)
		next.Tranche(t.ID).Status = grants.TrancheDue
		next.UpdatedAt = s.now()
		e, err := s.event(r, 0, grants.ActionTrancheDue,
			fmt.Sprintf("Tranche %s of %s is due to be paid (%s).", t.ID, grants.Pounds(t.Amount), triggerWords(t.Trigger)),
			map[string]string{"tranche": t.ID, "trigger": t.Trigger})
		if err != nil {
			return nil, err
		}
		if err := s.grants.UpdateApplication(ctx, &next, e); err != nil {
			return nil, err
		}
		*r.app = next
	}
	task := s.newTask(r, t.ID, in.TaskToken, pathway.Task{Kind: grants.TaskPayment, Organisation: r.app.Funder,
		Role: pathway.RoleFunder, Title: fmt.Sprintf("Pay tranche %s (%s): %s", t.ID, grants.Pounds(t.Amount), r.app.Title),
		Due: r.due(in, steps.Days(PaymentDays))})
	return s.openTasks(ctx, r, []string{grants.TaskPayment}, t.ID, task)
}

// cloneAward copies an award with its tranches, so a change is made on the copy.
func cloneAward(a *grants.Award) *grants.Award {
	c := *a
	c.Tranches = append([]grants.Tranche(nil), a.Tranches...)
	return &c
}

// triggerWords names a trigger as people read it.
func triggerWords(trigger string) string {
	for _, t := range grants.Triggers {
		if t.Code == trigger {
			return t.Name
		}
	}
	return trigger
}

// PaymentInput carries the funder's record of a payment.
type PaymentInput struct {
	Input
	Tranche string               `json:"tranche"`
	Payment grants.PaymentAnswer `json:"payment"`
}

// RecordPayment closes the payment task and records the payment
// (grantstore.Pay) unless the service did.
func (s *Steps) RecordPayment(ctx context.Context, in PaymentInput) (*OutcomeOutput, error) {
	return steps.Result(s.recordPayment(ctx, in))
}

func (s *Steps) recordPayment(ctx context.Context, in PaymentInput) (*OutcomeOutput, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	t, err := tranche(r.app, in.Tranche)
	if err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, r, []string{grants.TaskPayment}, t.ID, nil, "the payment was recorded"); err != nil {
		return nil, err
	}
	if t.Status != grants.TranchePaid {
		e, err := s.event(r, 0, grants.ActionPaid, fmt.Sprintf("Tranche %s of %s was paid, reference %s.", t.ID,
			grants.Pounds(t.Amount), in.Payment.Reference), map[string]string{"tranche": t.ID})
		if err != nil {
			return nil, err
		}
		r.app.Award = cloneAward(r.app.Award)
		if err := grants.Pay(r.app, t.ID, &in.Payment); err != nil {
			return nil, err
		}
		if err := s.grants.Pay(ctx, r.app, t.ID, e); err != nil {
			return nil, err
		}
	}
	return &OutcomeOutput{Outcome: grants.TranchePaid}, nil
}

// ReleaseCQC releases the tranches of the co-op's active grants that wait
// for its CQC registration: each TaskWaitCQC task is completed with its
// answer for the workflow in one transaction (the outbox sends it). The
// registration workflow's step that records the registration calls it
// (steps.Steps.OnRegistered); it is idempotent, since a completed wait
// task is not open any more, and a release it misses (it failed for good)
// the wait finds itself within WaitPollDays.
func (s *Steps) ReleaseCQC(ctx context.Context, coop string) error {
	return s.releaseWaits(ctx, coop, "", TaskWaitCQC, nil)
}

// releaseWaits completes the open wait tasks of the kind of one
// application (app), or of every active application of the co-op, for
// which release (nil: all) says yes.
func (s *Steps) releaseWaits(ctx context.Context, coop, app, kind string, release func(t *pathway.Task) bool) error {
	apps := []string{app}
	if app == "" {
		all, err := s.grants.ListCoopApplications(ctx, coop)
		if err != nil {
			return err
		}
		apps = apps[:0]
		for _, a := range all {
			if a.Status == grants.StatusActive {
				apps = append(apps, a.ID)
			}
		}
	}
	for _, id := range apps {
		open, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: grants.Subject(id)})
		if err != nil {
			return err
		}
		for _, t := range open {
			if t.Kind != kind || release != nil && !release(t) {
				continue
			}
			if err := s.release(ctx, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// release completes a wait task with the answer that wakes its wait.
func (s *Steps) release(ctx context.Context, t *pathway.Task) error {
	now := s.now().UTC()
	body, _ := json.Marshal(map[string]string{"released": t.Kind})
	_, err := s.store.CompleteTask(ctx, t.ID, pathway.TaskCompletion{
		By: pathway.ActorSystem, At: now, Status: pathway.TaskCompleted, Outcome: body,
		Delivery: &pathway.Delivery{ID: ulid.Make().String(), Kind: pathway.DeliverTaskAnswer, Subject: t.Subject,
			Task: t.ID, TaskTitle: t.Title, Token: t.Token, Payload: body, By: pathway.ActorSystem,
			NotBefore: now, CreatedAt: now},
	})
	if code := pathway.ErrorCode(err); code == pathway.ECONFLICT || code == pathway.ENOTFOUND {
		return nil // released already
	}
	return err
}
